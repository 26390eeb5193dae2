// Builders shared by this library's tests (not exported from index.ts).
import { EMPTY_GEO, emptyMirror, splitCodes, type FileInfo, type GeoRecord, type Mirror, type MirrorFileInfo } from '@mirrorball/model';
import type { GoTime } from '@mirrorball/gofmt';
import type { Candidate, SelectedMirror, SelectionConfig } from './types.ts';

export const T0: GoTime = { sec: 1705320000, nsec: 0 }; // 2024-01-15 12:00:00 UTC, the captures' mtime

/** An enabled mirror, up on both protocols, with the given fields; country lists derived from the codes. */
export function mkMirror(id: number, fields: Partial<Mirror> = {}): Mirror {
  const m: Mirror = {
    ...emptyMirror(id), name: `m${id}`, httpURL: `http://m${id}.mirror/`, enabled: true, httpUp: true, httpsUp: true,
    ...fields,
  };
  m.countryList = fields.countryList ?? splitCodes(m.countryCodes);
  m.excludedCountryList = fields.excludedCountryList ?? splitCodes(m.excludedCountryCodes);
  return m;
}

export function mkFile(path = '/test/file.tgz', size = 43000, modTime: GoTime = T0): FileInfo {
  return { path, size, modTime, sha1: '', sha256: '', md5: '' };
}

export function mkCandidate(m: Mirror, fi: Partial<MirrorFileInfo> | null = {}): Candidate {
  return { mirror: m, fileInfo: fi === null ? null : { size: 43000, modTime: T0, ...fi } };
}

export function mkClient(fields: Partial<GeoRecord> = {}): GeoRecord {
  return { ...EMPTY_GEO, ...fields };
}

export function mkSelected(m: Mirror, distance: number): SelectedMirror {
  return { mirror: m, absoluteURL: m.httpURL, distance: Math.fround(distance), computedScore: 0, weight: 0, excludeReason: '' };
}

export const CFG: SelectionConfig = { weightDistributionRange: 1.5, allowOutdatedFiles: [], fixTimezoneOffsets: false };

/** Deterministic PRNG (mulberry32) so statistical tests are reproducible. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The three mirrors of the Mirrorbits captures (testdata README): gb-mirror, us-mirror, se-mirror,
 * all `http://127.0.0.1/mN/`, HTTPS not available.
 */
export const CAPTURE_MIRRORS = {
  gb: mkMirror(1, { name: 'gb-mirror', httpURL: 'http://127.0.0.1/m1/', latitude: 51.5142, longitude: -0.0931, continentCode: 'EU', countryCodes: 'GB', asnum: 0, httpsUp: false, lastSuccessfulSyncPrecision: 1e9 }),
  us: mkMirror(2, { name: 'us-mirror', httpURL: 'http://127.0.0.1/m2/', latitude: 47.2513, longitude: -122.3149, continentCode: 'NA', countryCodes: 'US CA', asnum: 209, score: 10, httpsUp: false, lastSuccessfulSyncPrecision: 1e9 }),
  se: mkMirror(3, { name: 'se-mirror', httpURL: 'http://127.0.0.1/m3/', latitude: 58.4167, longitude: 15.6167, continentCode: 'EU', countryCodes: 'SE', asnum: 29518, httpsUp: false, lastSuccessfulSyncPrecision: 1e9 }),
};

/** Clients of the captures, as the MaxMind test databases geolocate them. */
export const CAPTURE_CLIENTS = {
  london: mkClient({ countryCode: 'GB', continentCode: 'EU', latitude: 51.5142, longitude: -0.0931, asNum: 0 }),
  boxford: mkClient({ countryCode: 'GB', continentCode: 'EU', latitude: 51.75, longitude: -1.25, asNum: 0 }),
  milton: mkClient({ countryCode: 'US', continentCode: 'NA', latitude: 47.2513, longitude: -122.3149, asNum: 209 }),
  linkoping: mkClient({ countryCode: 'SE', continentCode: 'EU', latitude: 58.4167, longitude: 15.6167, asNum: 29518 }),
  norway: mkClient({ countryCode: 'NO', continentCode: 'EU', latitude: 62, longitude: 10, asNum: 0 }),
  changchun: mkClient({ countryCode: 'CN', continentCode: 'AS', latitude: 43.88, longitude: 125.3228, asNum: 0 }),
  bhutan: mkClient({ countryCode: 'BT', continentCode: 'AS', latitude: 27.5, longitude: 90.5, asNum: 35908 }),
  tokyo: mkClient({ countryCode: 'JP', continentCode: 'AS', latitude: 35.68536, longitude: 139.75309, asNum: 0 }),
};
