import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRedisDump } from '@mirrorball/testing';
import { emptyMirror } from '@mirrorball/model';
import {
  decodeFileInfo, decodeMirror, decodeMirrorFileInfo, encodeFileInfo, encodeMirror, encodeMirrorFileInfo,
  encodeMirrorFull, FILE_FIELDS, parseRedisInt,
} from './codec.ts';

const dump = parseRedisDump(fs.readFileSync(new URL('../testdata/10-redis-dump.txt', import.meta.url), 'utf8'));
const hashOf = (key: string): Record<string, string> => {
  const k = dump.find((d) => d.key === key);
  if (!k) throw new Error(`no ${key} in dump`);
  const h: Record<string, string> = {};
  for (let i = 0; i < k.values.length; i += 2) h[k.values[i]!] = k.values[i + 1]!;
  return h;
};
const pairs = (flat: string[]) => Array.from({ length: flat.length / 2 }, (_, i) => [flat[2 * i], flat[2 * i + 1]]);

describe('decodeMirror', () => {
  it('decodes MIRROR_1 exactly as Mirrorbits v0.6.1 wrote it', () => {
    const m = decodeMirror(1, hashOf('MIRROR_1'))!;
    expect(m).toMatchObject({
      id: 1, name: 'gb-mirror', httpURL: 'http://127.0.0.1/m1/', rsyncURL: 'rsync://127.0.0.1:8730/m1/', ftpURL: '',
      sponsorName: 'GB Sponsor', sponsorURL: 'https://gb.example.org', adminName: 'Alice', adminEmail: 'alice@example.org',
      comment: 'GB test mirror', continentOnly: false, enabled: true, httpUp: true, httpsUp: false, httpDownReason: '',
      continentCode: 'EU', countryCodes: 'GB', countryList: ['GB'], excludedCountryList: [], asnum: 0,
      lastSync: 1795638426, lastModTime: 1705320000, lastSuccessfulSyncPrecision: 1000000000, stateSince: 1795638427,
    });
    expect(m.latitude).toBe(Math.fround(51.5142));
    expect(m.longitude).toBe(Math.fround(-0.0931));
    const us = decodeMirror(2, hashOf('MIRROR_2'))!;
    expect(us.countryList).toEqual(['US', 'CA']);
    expect(us.score).toBe(10);
    expect(us.asnum).toBe(209);
  });

  it('re-encodes the dump hash byte for byte in §4.4 order', () => {
    for (const id of [1, 2, 3]) {
      const raw = dump.find((d) => d.key === `MIRROR_${id}`)!.values;
      const encoded = encodeMirror(decodeMirror(id, hashOf(`MIRROR_${id}`))!);
      expect(encoded).toEqual(raw.slice(0, encoded.length));
    }
  });

  it('reads Go booleans: "true", "T", "1" are true; "", "0", "false", garbage are false', () => {
    const m = decodeMirror(7, { name: 'x', enabled: 'true', countryOnly: 'T', asOnly: '', httpUp: 'yes', httpsUp: '1', continentOnly: 'False' })!;
    expect([m.enabled, m.countryOnly, m.asOnly, m.httpUp, m.httpsUp, m.continentOnly]).toEqual([true, true, false, false, true, false]);
  });

  it('treats a missing or empty hash as deleted, and garbage numbers as 0', () => {
    expect(decodeMirror(1, {})).toBeNull();
    expect(decodeMirror(1, null)).toBeNull();
    const m = decodeMirror(4, { name: 'g', score: 'abc', latitude: 'north', asnum: '-3', stateSince: '12x', lastSync: ' 5' })!;
    expect([m.score, m.latitude, m.asnum, m.stateSince, m.lastSync]).toEqual([0, 0, 0, 0, 0]);
    expect(parseRedisInt('-42')).toBe(-42);
  });

  it('round-trips every field (float32 coordinates, negative score)', () => {
    const m = { ...emptyMirror(9), name: 'rt', httpURL: 'mirror.example/x/', latitude: Math.fround(48.8582), longitude: -20,
      score: -15, countryCodes: 'FR BE', countryList: ['FR', 'BE'], excludedCountryCodes: 'CN', excludedCountryList: ['CN'],
      enabled: true, httpUp: true, httpsDownReason: 'Got status code 404', tzOffsetMs: -3600000, allowRedirects: 2, asnum: 3215 };
    const flat = encodeMirrorFull(m);
    const back = decodeMirror(9, Object.fromEntries(pairs(flat)))!;
    expect(back).toEqual(m);
    expect(Object.fromEntries(pairs(flat)).latitude).toBe('48.8582');
    expect(Object.fromEntries(pairs(flat)).longitude).toBe('-20');
  });
});

describe('file records', () => {
  it('decodes FILE_ and FILEINFO_ hashes from the dump', () => {
    const h = hashOf('FILE_/dir with space/file name+plus.txt');
    const f = decodeFileInfo('/dir with space/file name+plus.txt', FILE_FIELDS.map((k) => h[k]));
    expect(f.size).toBe(20);
    expect(f.modTime).toEqual({ sec: Date.UTC(2024, 0, 15, 12) / 1000, nsec: 0 });
    expect(f.sha256).toBe('416fd61b614c4d5c4468c7377aaee894bf3851f294fef8e3e91a7cedbaaa69e1');
    expect(encodeFileInfo(f)).toEqual(dump.find((d) => d.key === 'FILE_/dir with space/file name+plus.txt')!.values);
    const fi = hashOf('FILEINFO_3_/trace');
    const mf = decodeMirrorFileInfo(FILE_FIELDS.map((k) => fi[k] ?? null));
    expect(mf).toEqual({ size: 11, modTime: { sec: 1705320000, nsec: 0 } });
    expect(encodeMirrorFileInfo(mf)).toEqual(dump.find((d) => d.key === 'FILEINFO_3_/trace')!.values);
  });

  it('reads a missing record as size 0 and zero time; keeps nanoseconds and offsets', () => {
    const f = decodeFileInfo('/x', [null, null, null, null, null]);
    expect(f).toEqual({ path: '/x', size: 0, modTime: { sec: -62135596800, nsec: 0 }, sha1: '', sha256: '', md5: '' });
    const g = decodeFileInfo('/y', ['5', '2019-03-01 12:34:56.123 +0100 CET', '', '', '']);
    expect(g.modTime).toEqual({ sec: Date.UTC(2019, 2, 1, 11, 34, 56) / 1000, nsec: 123_000_000 });
    expect(encodeFileInfo(g)[3]).toBe('2019-03-01 11:34:56.123 +0000 UTC');
    expect(decodeMirrorFileInfo(['1', 'garbage'], true)).toEqual({ size: 1, modTime: { sec: -62135596800, nsec: 0 }, contentMismatch: true });
  });
});
