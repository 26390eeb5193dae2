import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emptyMirror, type Mirror } from '@mirrorball/model';
import { parseGoTimeString } from '@mirrorball/gofmt';
import { compact, pretty, renderResults, type JsonResults } from './json.ts';

process.env.TZ = 'UTC';
const fixture = (name: string) => fs.readFileSync(new URL(`../testdata/${name}`, import.meta.url), 'utf8');

const common = { rsyncURL: '', enabled: true, httpUp: true, stateSince: 1795638427, lastSync: 1795638426, lastSuccessfulSync: 1795638426, lastSuccessfulSyncPrecision: 1e9, lastModTime: 1705320000 };
const gb: Mirror = { ...emptyMirror(1), ...common, name: 'gb-mirror', httpURL: 'http://127.0.0.1/m1/', rsyncURL: 'rsync://127.0.0.1:8730/m1/', sponsorName: 'GB Sponsor', sponsorURL: 'https://gb.example.org', adminName: 'Alice', adminEmail: 'alice@example.org', latitude: 51.5142, longitude: -0.0931, continentCode: 'EU', countryCodes: 'GB', comment: 'GB test mirror' };
const us: Mirror = { ...emptyMirror(2), ...common, name: 'us-mirror', httpURL: 'http://127.0.0.1/m2/', rsyncURL: 'rsync://127.0.0.1:8730/m2/', score: 10, latitude: 47.2513, longitude: -122.3149, continentCode: 'NA', countryCodes: 'US CA', asnum: 209 };
const se: Mirror = { ...emptyMirror(3), ...common, name: 'se-mirror', httpURL: 'http://127.0.0.1/m3/', rsyncURL: 'rsync://127.0.0.1:8730/m3/', latitude: 58.4167, longitude: 15.6167, continentCode: 'EU', countryCodes: 'SE', asnum: 29518 };
const t = parseGoTimeString('2024-01-15 12:00:00 +0000 UTC');

describe('renderResults', () => {
  it('reproduces capture 06 (?pretty, IPv6 client in NO) byte for byte', () => {
    const r: JsonResults = {
      file: { path: '/iso/demo-1.0-amd64.iso', size: 4194304, modTime: t, sha1: 'f8a453f24c5faebe85599203d1dba97b16d70437', sha256: '4f211a34ac027d5aa32e38b633fd6d72f9160ea472b7c4dd972930646200089f', md5: 'c99828115dfeca8ffff657a89eaa8c7d' },
      ip: '2a02:cf40::1',
      client: { countryCode: 'NO', continentCode: 'EU', city: '', country: 'Norway', latitude: 62, longitude: 10, asName: '', asNum: 0 },
      list: [
        { mirror: gb, distance: 1314.8627, computedScore: 12325, absoluteURL: 'http://127.0.0.1/m1/', excludeReason: '' },
        { mirror: us, distance: 7148.4717, computedScore: 1, absoluteURL: 'http://127.0.0.1/m2/', excludeReason: '' },
      ],
      excluded: [], fallback: false, localJSPath: '',
    };
    expect(renderResults(r, true)).toBe(fixture('06-iso-pretty.json'));
  });

  it('reproduces capture 14 (excluded mirrors, down reason) byte for byte', () => {
    const usDown = { ...us, httpUp: false, httpDownReason: 'File not found /dists/stable/main/binary-amd64/Packages.gz (error 404)', stateSince: 1795638793 };
    const se2 = { ...se, lastSync: 1795638759, lastSuccessfulSync: 1795638759 };
    const r: JsonResults = {
      file: { path: '/README.txt', size: 87, modTime: t, sha1: '5e9931f052a8c1e675bd13b8c5a399568b1b41bc', sha256: 'd7d83a6bbbdaf684a7a043f6604e94edb4f242c22e033cd48b1b997c0a9e919a', md5: 'bd914745c649ec64b9fd7c1b973b7b1e' },
      ip: '216.160.83.56',
      client: { countryCode: 'US', continentCode: 'NA', city: 'Milton', country: 'United States', latitude: 47.2513, longitude: -122.3149, asName: '', asNum: 209 },
      list: [{ mirror: gb, distance: 7732.329, computedScore: 1, absoluteURL: 'http://127.0.0.1/m1/', excludeReason: '' }],
      excluded: [
        { mirror: usDown, distance: 0, computedScore: 0, absoluteURL: 'http://127.0.0.1/m2/', excludeReason: 'File not found /dists/stable/main/binary-amd64/Packages.gz (error 404) / Not HTTPS' },
        { mirror: se2, distance: 7649.969, computedScore: 0, absoluteURL: 'http://127.0.0.1/m3/', excludeReason: 'File size mismatch' },
      ],
      fallback: false, localJSPath: '',
    };
    expect(renderResults(r, true)).toBe(fixture('14-readme-pretty.json'));
  });

  it('compact mode ends with a newline, omits empty ExcludedList, prints Fallback only when true, escapes like Go', () => {
    const r: JsonResults = {
      file: { path: '/a<b>&c', size: 0, modTime: { sec: -62135596800, nsec: 0 }, sha1: '', sha256: '', md5: '' },
      ip: '', client: { countryCode: '', continentCode: '', city: '', country: '', latitude: 0, longitude: 0, asName: '', asNum: 0 },
      list: [{ mirror: { ...emptyMirror(0), name: 'fallback0', httpURL: 'https://fb.example.org/', allowRedirects: 2 }, distance: 0, computedScore: 0, absoluteURL: 'https://fb.example.org/', excludeReason: '' }],
      excluded: [], fallback: true, localJSPath: '',
    };
    const out = renderResults(r, false);
    expect(out.endsWith('}\n')).toBe(true);
    expect(out).toContain('"FileInfo":{"Path":"/a\\u003cb\\u003e\\u0026c","ModTime":"0001-01-01T00:00:00Z"}');
    expect(out).toContain('"AllowRedirects":2,');
    expect(out).toContain('"StateSince":"0001-01-01T00:00:00Z"');
    expect(out).not.toContain('ExcludedList');
    expect(out).toContain('"Fallback":true,"LocalJSPath":""}');
  });

  it('prints null and empty containers like Go', () => {
    expect(compact({ o: [['A', 'null'], ['B', { a: [] }]] })).toBe('{"A":null,"B":[]}');
    expect(pretty({ o: [['B', { a: [] }], ['C', { o: [] }]] })).toBe('{\n    "B": [],\n    "C": {}\n}');
  });
});
