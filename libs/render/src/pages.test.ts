import { describe, expect, it } from 'vitest';
import { FR, GB, mirrorlistData, mirrorstatsData, NOW } from './fixtures.test-data.ts';
import { renderMirrorlistPage } from './mirrorlist.ts';
import { buildMirrorStats, mirrorState, renderMirrorstatsPage, syncOffset } from './mirrorstats.ts';

/** Visible text of a table row, tags removed, whitespace collapsed. */
function rowsOf(page: string, tableClass: string): string[] {
  const table = new RegExp(`<table class="${tableClass}">([\\s\\S]*?)</table>`).exec(page)?.[1] ?? '';
  return [...table.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((m) =>
    m[1]!.replace(/<[^>]+>/g, ' ').replace(/&lt;/g, '<').replace(/\s+/g, ' ').trim(),
  );
}

describe('renderMirrorlistPage', () => {
  it('shows client, file, hashes, mirrors and excluded mirrors', () => {
    const page = renderMirrorlistPage(mirrorlistData());
    expect(page).toMatch(/^<!DOCTYPE html>/);
    expect(page).toContain('<title>Mirrorlist /release/1.0/demo-1.0-amd64.iso</title>');
    expect(page).toContain('IP address <b>81.2.69.142</b>, which belongs to autonomous system <b>Example AS</b> (ASN64500).');
    expect(page).toContain('near <b>London</b> in <b>United Kingdom</b>');
    expect(page).toContain('has a size of <b>976.6 KiB</b> (1000000 bytes) and was last modified on <b>Sun, 01 Jun 2025 06:00:00 UTC</b>');
    expect(rowsOf(page, 'hashes')).toEqual(['MD5 N/A', 'SHA1 5e9931f052a8c1e675bd13b8c5a399568b1b41bc', 'SHA256 d7d83a6bbbdaf684a7a043f6604e94edb4f242c22e033cd48b1b997c0a9e919a']);
    expect(rowsOf(page, 'mirrors')).toEqual([
      'Rank Mirror Name URL Country Continent Distance Selection',
      '1. GB Sponsor http://127.0.0.1/m1/ GB EU 2 Km 67%',
      '2. se-mirror https://se.example.org/pub/ SE EU 1414 Km 32%',
      '3. fr-mirror http://fr.example.org/ FR EU 344 Km <1%',
      '4. us-mirror http://127.0.0.1/m2/ US CA NA 7732 Km n/a',
    ]);
    expect(page).toContain('<a href="http://127.0.0.1/m1/release/1.0/demo-1.0-amd64.iso">http://127.0.0.1/m1/</a>');
    expect(page).toMatch(/<tr class="noweight"><td class="num">4\.<\/td>/);
    // Excluded sorted by reason, byte-wise: "File size mismatch" < "Not HTTPS".
    expect(rowsOf(page, 'excluded')).toEqual([
      'Mirror Name URL Country Continent Distance Exclude Reason',
      'aa-mirror http://jp.example.org/ JP AS 9561 Km File size mismatch',
      'zz-mirror http://de.example.org/ DE EU 640 Km Not HTTPS',
    ]);
    expect(page).not.toContain('Warning: file not served');
    expect(page).toContain('Mirrorball 0.1.0 running on test-host');
    expect(page).toContain('IP geolocation by DB-IP (CC BY 4.0)');
    expect(page).not.toMatch(/<script|https?:\/\/[^"<]*\.(js|css)\b/);
  });

  it('covers the other client and file variants', () => {
    const noCity = renderMirrorlistPage(mirrorlistData({ clientInfo: { ...mirrorlistData().clientInfo, city: '' } }));
    expect(noCity).toContain('somewhere in <b>United Kingdom</b>');
    const nowhere = renderMirrorlistPage(
      mirrorlistData({ clientInfo: { countryCode: '', continentCode: '', city: '', country: '', latitude: 0, longitude: 0, asName: '', asNum: 0 }, mirrorList: [{ ...GB, weight: 0 }] }),
    );
    expect(nowhere).toContain('chosen at random');
    expect(nowhere).toContain('IP address <b>81.2.69.142</b>.');
    expect(nowhere).toContain('>Random<'); // single Random slice in the pie legend
    const unscanned = renderMirrorlistPage(mirrorlistData({ fileInfo: { path: '/x', size: 0, modTime: { sec: -62135596800, nsec: 0 }, sha1: '', sha256: '', md5: '' } }));
    expect(unscanned).toContain('The file <b>/x</b> has not been scanned yet.');
  });

  it('shows the fallback warning and the empty list', () => {
    const fb = renderMirrorlistPage(mirrorlistData({ fallback: true, mirrorList: [{ ...FR, name: 'fallback0', weight: undefined }], excludedList: [] }));
    expect(fb).toContain('<p class="warning">Warning: file not served by any mirror, fallbacks to the rescue.</p>');
    expect(fb).not.toContain('Excluded Mirrors');
    const empty = renderMirrorlistPage(mirrorlistData({ mirrorList: [] }));
    expect(empty).toContain('No mirrors for this file');
  });

  it('escapes hostile data everywhere', () => {
    const evil = '<img src=x onerror=alert(1)>"\'';
    const page = renderMirrorlistPage(
      mirrorlistData({
        ip: evil,
        fileInfo: { ...mirrorlistData().fileInfo, path: `/a/${evil}` },
        mirrorList: [{ ...GB, sponsorName: evil, countryCodes: evil, absoluteURL: 'javascript:alert(1)//' }],
        excludedList: [{ ...FR, excludeReason: evil }],
      }),
    );
    expect(page).not.toContain('<img');
    expect(page).not.toContain('href="javascript:');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;');
  });
});

describe('mirrorstats', () => {
  it('computes percentages without NaN, sorts by downloads, states and ages', () => {
    const rows = buildMirrorStats(mirrorstatsData().mirrors, NOW);
    expect(rows.map((r) => r.mirror.name)).toEqual(['us-mirror', 'gb-mirror', 'ahead-mirror', 'se-mirror', 'off-mirror']);
    expect(rows.map((r) => Math.round(r.percentDownloads))).toEqual([100, 33, 4, 0, 0]);
    expect(rows.map((r) => Math.round(r.percentBytes))).toEqual([25, 100, 0, 0, 0]);
    expect(rows.map((r) => r.state)).toEqual(['degraded', 'up', 'up', 'down', 'disabled']);
    expect(rows.map((r) => [r.sync.text, r.sync.level])).toEqual([
      ['3 days ago', 'orange'], ['up-to-date', 'green'], ['in the future', 'green'], ['40 days ago', 'red'], ['unknown', 'unknown'],
    ]);
    expect(rows[0]!.tzOffset).toBe('1h0m0s');
    const quiet = buildMirrorStats(mirrorstatsData().mirrors.map((m) => ({ ...m, downloads: 0, bytes: 0 })), NOW);
    expect(quiet.every((r) => r.percentDownloads === 0 && r.percentBytes === 0)).toBe(true);
  });

  it('ages at the colour boundaries', () => {
    const t = NOW.getTime() / 1000;
    expect(syncOffset(t - 48 * 3600, NOW).level).toBe('green');
    expect(syncOffset(t - 49 * 3600, NOW).level).toBe('orange');
    expect(syncOffset(t - 720 * 3600, NOW).level).toBe('orange');
    expect(syncOffset(t - 721 * 3600, NOW).level).toBe('red');
    expect(mirrorState({ enabled: true, httpURL: 'm/', httpUp: false, httpsUp: false })).toBe('down');
  });

  it('renders the table, with Adjusted TZ only when some mirror has an offset', () => {
    const page = renderMirrorstatsPage(mirrorstatsData());
    expect(page).toContain('<th>Adjusted TZ</th>');
    expect(page).toContain('<td>1h0m0s</td>');
    expect(page).toContain('<td class="age-red">40 days ago</td>');
    expect(page).not.toContain('NaN');
    const noTz = renderMirrorstatsPage(mirrorstatsData({ mirrors: mirrorstatsData().mirrors.map((m) => ({ ...m, mirror: { ...m.mirror, tzOffsetMs: 0 } })) }));
    expect(noTz).not.toContain('Adjusted TZ');
  });
});
