import { describe, expect, it } from 'vitest';
import { formatFloat32, goTimeAddMs } from '@mirrorball/gofmt';
import { filterMirrors } from './filter.ts';
import { CFG, CAPTURE_CLIENTS, CAPTURE_MIRRORS, T0, mkCandidate, mkClient, mkFile, mkMirror } from './testkit.ts';
import type { Candidate, SecureOption, SelectionConfig } from './types.ts';
import type { Mirror } from '@mirrorball/model';

const NO_CLIENT = mkClient();
const FR = mkClient({ countryCode: 'FR', continentCode: 'EU', asNum: 4444, latitude: 48.8567, longitude: 2.3508 });

function one(m: Mirror, opts: { secure?: SecureOption; cfg?: SelectionConfig; fi?: Candidate['fileInfo']; client?: typeof FR } = {}) {
  const c: Candidate = { mirror: m, fileInfo: opts.fi === undefined ? { size: 43000, modTime: T0 } : opts.fi };
  const r = filterMirrors(mkFile(), [c], opts.client ?? NO_CLIENT, opts.secure ?? 'undefined', opts.cfg ?? CFG);
  const e = r.accepted[0] ?? r.excluded[0]!;
  return { reason: e.excludeReason, url: e.absoluteURL, accepted: r.accepted.length === 1 };
}

describe('filterMirrors: protocol / state (contract §3.2 table)', () => {
  const rows: [SecureOption, string, Partial<Mirror>, string, string][] = [
    ['withTLS', 'http://m1.mirror', {}, 'Not HTTPS', 'http://m1.mirror'],
    ['withTLS', 'https://m1.mirror', { httpsUp: false, httpUp: false }, 'Down', 'https://m1.mirror'],
    ['withTLS', 'm1.mirror', { httpsUp: false, httpUp: false }, 'Down', 'https://m1.mirror'],
    ['withoutTLS', 'https://m1.mirror', {}, 'Not HTTP', 'https://m1.mirror'],
    ['withoutTLS', 'http://m1.mirror', { httpsUp: false, httpUp: false }, 'Down', 'http://m1.mirror'],
    ['withoutTLS', 'm1.mirror', { httpsUp: false, httpUp: false }, 'Down', 'http://m1.mirror'],
    ['undefined', 'http://m1.mirror', { httpsUp: false, httpUp: false }, 'Down / Not HTTPS', 'http://m1.mirror'],
    ['undefined', 'https://m1.mirror', { httpsUp: false, httpUp: false }, 'Not HTTP / Down', 'https://m1.mirror'],
    ['undefined', 'm1.mirror', { httpsUp: false, httpUp: false }, 'Down', 'http://m1.mirror'],
    ['undefined', 'https://m1.mirror', { httpsUp: true, httpUp: false }, '', 'https://m1.mirror'],
  ];
  it.each(rows)('%s %s → %j', (secure, url, state, reason, abs) => {
    const r = one(mkMirror(1, { httpURL: url, ...state }), { secure });
    expect(r.reason).toBe(reason);
    expect(r.url).toBe(abs);
    expect(r.accepted).toBe(reason === '');
  });

  it('prefers HTTPS for a scheme-less mirror up on both', () => {
    expect(one(mkMirror(1, { httpURL: 'm1.mirror/' }))).toEqual({ reason: '', url: 'https://m1.mirror/', accepted: true });
  });

  it('falls back to HTTP for a scheme-less mirror whose HTTPS is down', () => {
    const r = one(mkMirror(1, { httpURL: 'm1.mirror/', httpsUp: false, httpsDownReason: 'TLS handshake failed' }));
    expect(r).toEqual({ reason: '', url: 'http://m1.mirror/', accepted: true });
  });

  it('uses the stored down reasons and joins differing ones HTTP first (capture 14)', () => {
    const m = mkMirror(2, {
      httpURL: 'http://127.0.0.1/m2/', httpUp: false, httpsUp: false,
      httpDownReason: 'File not found /dists/stable/main/binary-amd64/Packages.gz (error 404)',
    });
    expect(one(m).reason).toBe('File not found /dists/stable/main/binary-amd64/Packages.gz (error 404) / Not HTTPS');
    const both = mkMirror(3, { httpURL: 'm3.mirror/', httpUp: false, httpsUp: false, httpDownReason: 'x', httpsDownReason: 'y' });
    expect(one(both)).toMatchObject({ reason: 'x / y', url: 'http://m3.mirror/' });
    const same = mkMirror(4, { httpURL: 'm4.mirror/', httpUp: false, httpsUp: false, httpDownReason: 'x', httpsDownReason: 'x' });
    expect(one(same).reason).toBe('x');
    expect(one(mkMirror(5, { httpURL: 'https://m5/', httpsUp: false, httpsDownReason: 'cert expired' }), { secure: 'withTLS' }).reason)
      .toBe('cert expired');
  });

  it('excludes a disabled mirror first, without computing its URL', () => {
    const r = one(mkMirror(1, { enabled: false, httpUp: false }), { fi: null });
    expect(r).toEqual({ reason: 'Disabled', url: '', accepted: false });
  });
});

describe('filterMirrors: size and mtime (contract §3.2.1, §3.2.2)', () => {
  const older100 = { sec: T0.sec - 100, nsec: 0 };
  const cfgWith = (prefix: string, minutes: number): SelectionConfig => ({ ...CFG, allowOutdatedFiles: [{ prefix, minutes }] });
  const table: [string, SelectionConfig, string, string][] = [
    ['none', CFG, 'Mod time mismatch (diff: 1m40s)', 'File size mismatch'],
    ['/test/ 1 min', cfgWith('/test/', 1), 'Mod time mismatch (diff: 1m40s)', 'Mod time mismatch (diff: 1m40s)'],
    ['/wrong/ 2 min', cfgWith('/wrong/', 2), 'Mod time mismatch (diff: 1m40s)', 'File size mismatch'],
    ['/test/ 2 min', cfgWith('/test/', 2), '', ''],
  ];
  it.each(table)('AllowOutdatedFiles %s', (_n, cfg, sameSize, otherSize) => {
    const m = mkMirror(1);
    expect(one(m, { cfg, fi: { size: 43000, modTime: older100 } }).reason).toBe(sameSize);
    expect(one(m, { cfg, fi: { size: 12345, modTime: older100 } }).reason).toBe(otherSize);
  });

  it('uses the first matching prefix only', () => {
    const cfg: SelectionConfig = { ...CFG, allowOutdatedFiles: [{ prefix: '/test/', minutes: 1 }, { prefix: '/', minutes: 60 }] };
    expect(one(mkMirror(1), { cfg, fi: { size: 43000, modTime: older100 } }).reason).toBe('Mod time mismatch (diff: 1m40s)');
  });

  it('prints signed Go durations', () => {
    const m = mkMirror(1);
    expect(one(m, { fi: { size: 43000, modTime: { sec: T0.sec + 10, nsec: 0 } } }).reason).toBe('Mod time mismatch (diff: -10s)');
    expect(one(m, { fi: { size: 43000, modTime: { sec: T0.sec - 10, nsec: 0 } } }).reason).toBe('Mod time mismatch (diff: 10s)');
    expect(one(m, { fi: { size: 12345, modTime: T0 } }).reason).toBe('File size mismatch');
    expect(one(m, { fi: { size: 43000, modTime: { sec: T0.sec - 1, nsec: 500_000_000 } } }).reason).toBe('Mod time mismatch (diff: 500ms)');
  });

  it('treats a missing FILEINFO as size 0 and skips the mtime test for a zero time', () => {
    expect(one(mkMirror(1), { fi: null }).reason).toBe('File size mismatch');
    const cfg = { ...CFG, allowOutdatedFiles: [{ prefix: '/', minutes: 0 }] };
    expect(one(mkMirror(1), { fi: null, cfg }).accepted).toBe(true);
  });

  it('truncates both times to the mirror scan precision', () => {
    const local = { sec: T0.sec, nsec: 700_000_000 };
    const c = { mirror: mkMirror(1, { lastSuccessfulSyncPrecision: 1e9 }), fileInfo: { size: 43000, modTime: T0 } };
    const file = { ...mkFile(), modTime: local };
    expect(filterMirrors(file, [c], NO_CLIENT, 'undefined', CFG).accepted).toHaveLength(1);
    const precise = { ...c, mirror: mkMirror(1, { lastSuccessfulSyncPrecision: 0 }) };
    expect(filterMirrors(file, [precise], NO_CLIENT, 'undefined', CFG).excluded[0]!.excludeReason)
      .toBe('Mod time mismatch (diff: 700ms)');
    const ms = { ...c, mirror: mkMirror(1, { lastSuccessfulSyncPrecision: 1e6 }), fileInfo: { size: 43000, modTime: { sec: T0.sec, nsec: 700_400_000 } } };
    expect(filterMirrors(file, [ms], NO_CLIENT, 'undefined', CFG).accepted).toHaveLength(1);
  });

  it('applies tzoffset only with FixTimezoneOffsets (§3.2.2)', () => {
    const fi = { size: 43000, modTime: { sec: T0.sec - 3600, nsec: 0 } };
    const fix = { ...CFG, fixTimezoneOffsets: true };
    for (const cfg of [CFG, fix]) {
      expect(one(mkMirror(1, { tzOffsetMs: 0 }), { cfg, fi }).reason).toBe('Mod time mismatch (diff: 1h0m0s)');
    }
    expect(one(mkMirror(1, { tzOffsetMs: 3_600_000 }), { cfg: CFG, fi }).reason).toBe('Mod time mismatch (diff: 1h0m0s)');
    expect(one(mkMirror(1, { tzOffsetMs: 3_600_000 }), { cfg: fix, fi }).accepted).toBe(true);
    // Offsets in ms survive to the sub-second digits.
    const skew = { size: 43000, modTime: goTimeAddMs(T0, -3_600_250) };
    expect(one(mkMirror(1, { tzOffsetMs: 3_600_000 }), { cfg: fix, fi: skew }).reason).toBe('Mod time mismatch (diff: 250ms)');
  });

  it('excludes a content mismatch after the mtime test and before geo restrictions', () => {
    expect(one(mkMirror(1), { fi: { size: 43000, modTime: T0, contentMismatch: true } }).reason).toBe('Content mismatch');
    expect(one(mkMirror(1), { fi: { size: 1, modTime: T0, contentMismatch: true } }).reason).toBe('File size mismatch');
    expect(one(mkMirror(1), { fi: { size: 43000, modTime: { sec: T0.sec - 1, nsec: 0 }, contentMismatch: true } }).reason)
      .toBe('Mod time mismatch (diff: 1s)');
    const co = mkMirror(1, { continentOnly: true, continentCode: 'NA' });
    expect(one(co, { client: FR, fi: { size: 43000, modTime: T0, contentMismatch: true } }).reason).toBe('Content mismatch');
    expect(one(mkMirror(1), { fi: { size: 43000, modTime: T0, contentMismatch: false } }).accepted).toBe(true);
  });
});

describe('filterMirrors: geo restrictions (contract §3.2.3)', () => {
  const cases: [string, Partial<Mirror>, string][] = [
    ['continentOnly NA', { continentOnly: true, continentCode: 'NA' }, 'Continent only'],
    ['continentOnly EU', { continentOnly: true, continentCode: 'EU' }, ''],
    ['countryOnly UK', { countryOnly: true, countryCodes: 'UK' }, 'Country only'],
    ['countryOnly FI NO SE', { countryOnly: true, countryCodes: 'FI NO SE' }, 'Country only'],
    ['countryOnly BE FR', { countryOnly: true, countryCodes: 'BE FR' }, ''],
    ['asOnly 5555', { asOnly: true, asnum: 5555 }, 'AS only'],
    ['asOnly 4444', { asOnly: true, asnum: 4444 }, ''],
    ['excluded FR', { excludedCountryCodes: 'FR' }, "User's country restriction"],
    ['excluded ES FR IT PT', { excludedCountryCodes: 'ES FR IT PT' }, "User's country restriction"],
    ['excluded ES IT', { excludedCountryCodes: 'ES IT' }, ''],
  ];
  it.each(cases)('%s', (_n, fields, reason) => {
    expect(one(mkMirror(1, fields), { client: FR }).reason).toBe(reason);
  });

  it('restricted mirrors refuse an un-geolocated client; excluded countries do not apply to it', () => {
    expect(one(mkMirror(1, { continentOnly: true, continentCode: '' })).reason).toBe('Continent only');
    expect(one(mkMirror(1, { countryOnly: true, countryCodes: 'FR' })).reason).toBe('Country only');
    expect(one(mkMirror(1, { asOnly: true, asnum: 0 })).reason).toBe('AS only');
    expect(one(mkMirror(1, { excludedCountryCodes: 'FR' })).accepted).toBe(true);
  });

  it('checks the restrictions in contract order', () => {
    const m = mkMirror(1, { continentOnly: true, continentCode: 'NA', countryOnly: true, countryCodes: 'US', asOnly: true, excludedCountryCodes: 'FR' });
    expect(one(m, { client: FR }).reason).toBe('Continent only');
    expect(one({ ...m, continentOnly: false }, { client: FR }).reason).toBe('Country only');
    expect(one({ ...m, continentOnly: false, countryOnly: false }, { client: FR }).reason).toBe('AS only');
    expect(one({ ...m, continentOnly: false, countryOnly: false, asOnly: false }, { client: FR }).reason).toBe("User's country restriction");
  });
});

describe('filterMirrors: closest / farthest and distances', () => {
  const at = (id: number, lat: number) => mkCandidate(mkMirror(id, { latitude: lat, longitude: 0 }));
  const client = mkClient({ countryCode: 'XX', latitude: 0, longitude: 0 });
  it('is (0, 0) with no accepted mirror', () => {
    const r = filterMirrors(mkFile(), [], client, 'undefined', CFG);
    expect([r.closest, r.farthest]).toEqual([0, 0]);
    const r2 = filterMirrors(mkFile(), [mkCandidate(mkMirror(1, { enabled: false, latitude: 10 }))], client, 'undefined', CFG);
    expect([r2.closest, r2.farthest]).toEqual([0, 0]);
  });
  it('tracks min and max of the accepted mirrors only', () => {
    const one = filterMirrors(mkFile(), [at(1, 10)], client, 'undefined', CFG);
    expect(one.closest).toBe(one.farthest);
    expect(Math.round(one.closest)).toBe(1112);
    const three = filterMirrors(mkFile(), [at(1, 30), at(2, 20), at(3, 10), mkCandidate(mkMirror(4, { latitude: 80, enabled: false }))], client, 'undefined', CFG);
    expect(three.closest).toBe(three.accepted[2]!.distance);
    expect(three.farthest).toBe(three.accepted[0]!.distance);
    expect(three.excluded[0]!.distance).toBeGreaterThan(three.farthest);
    // A mirror at 0 km is the closest even when it is listed first.
    const zero = filterMirrors(mkFile(), [at(1, 0), at(2, 10)], client, 'undefined', CFG);
    expect(zero.closest).toBe(0);
  });
  it('computes distances for excluded mirrors too (capture 14)', () => {
    const us = { ...CAPTURE_MIRRORS.us, httpUp: false, httpDownReason: 'gone' };
    const r = filterMirrors(mkFile(), [mkCandidate(CAPTURE_MIRRORS.gb), mkCandidate(us), mkCandidate(CAPTURE_MIRRORS.se, { size: 98 })],
      CAPTURE_CLIENTS.milton, 'undefined', CFG);
    expect(r.accepted.map((e) => formatFloat32(e.distance))).toEqual(['7732.329']);
    expect(r.excluded.map((e) => [e.mirror.name, formatFloat32(e.distance), e.excludeReason])).toEqual([
      ['us-mirror', '0', 'gone / Not HTTPS'],
      ['se-mirror', '7649.969', 'File size mismatch'],
    ]);
  });
  it('gives distance 0 to everyone for an un-geolocated client', () => {
    const r = filterMirrors(mkFile(), [at(1, 30), at(2, 20)], NO_CLIENT, 'undefined', CFG);
    expect(r.accepted.map((e) => e.distance)).toEqual([0, 0]);
  });
});
