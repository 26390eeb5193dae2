import type { MirrorlistPageData, MirrorstatsPageData, PageMirror, StatsMirror } from './types.ts';

/** Realistic page data, modelled on the Mirrorbits captures (London client, three mirrors). */
export const META = {
  version: '0.1.0',
  hostname: 'test-host',
  geoAttribution: { text: 'IP geolocation by DB-IP (CC BY 4.0)', url: 'https://db-ip.com' },
};

const base = { sponsorName: '', latitude: 0, longitude: 0 };

export const GB: PageMirror = { ...base, id: 1, name: 'gb-mirror', sponsorName: 'GB Sponsor', countryCodes: 'GB', continentCode: 'EU', latitude: 51.5142, longitude: -0.0931, absoluteURL: 'http://127.0.0.1/m1/', distance: 2.42, weight: 67.2 };
export const SE: PageMirror = { ...base, id: 3, name: 'se-mirror', countryCodes: 'SE', continentCode: 'EU', latitude: 58.4167, longitude: 15.6167, absoluteURL: 'https://se.example.org/pub/', distance: 1414.5, weight: 32.4 };
export const FR: PageMirror = { ...base, id: 4, name: 'fr-mirror', countryCodes: 'FR', continentCode: 'EU', latitude: 48.85, longitude: 2.35, absoluteURL: 'http://fr.example.org/', distance: 343.9, weight: 0.4 };
export const US: PageMirror = { ...base, id: 2, name: 'us-mirror', countryCodes: 'US CA', continentCode: 'NA', latitude: 47.2513, longitude: -122.3149, absoluteURL: 'http://127.0.0.1/m2/', distance: 7732.329 };

export function mirrorlistData(over: Partial<MirrorlistPageData> = {}): MirrorlistPageData {
  return {
    ...META,
    fileInfo: {
      path: '/release/1.0/demo-1.0-amd64.iso',
      size: 1_000_000,
      modTime: { sec: Date.UTC(2025, 5, 1, 6) / 1000, nsec: 0 },
      sha1: '5e9931f052a8c1e675bd13b8c5a399568b1b41bc',
      sha256: 'd7d83a6bbbdaf684a7a043f6604e94edb4f242c22e033cd48b1b997c0a9e919a',
      md5: '',
    },
    ip: '81.2.69.142',
    clientInfo: { countryCode: 'GB', continentCode: 'EU', city: 'London', country: 'United Kingdom', latitude: 51.5142, longitude: -0.0931, asName: 'Example AS', asNum: 64500 },
    mirrorList: [GB, SE, FR, US],
    excludedList: [
      { ...US, id: 5, name: 'zz-mirror', countryCodes: 'DE', continentCode: 'EU', latitude: 50.1, longitude: 8.7, absoluteURL: 'http://de.example.org/', distance: 640.2, weight: 0, excludeReason: 'Not HTTPS' },
      { ...US, id: 6, name: 'aa-mirror', countryCodes: 'JP', continentCode: 'AS', latitude: 35.7, longitude: 139.7, absoluteURL: 'http://jp.example.org/', distance: 9560.7, weight: 0, excludeReason: 'File size mismatch' },
    ],
    ...over,
  };
}

function statsMirror(over: Partial<StatsMirror>): StatsMirror {
  return { id: 0, name: '', httpURL: 'http://x/', enabled: true, httpUp: true, httpsUp: true, latitude: 0, longitude: 0, lastModTime: 0, tzOffsetMs: 0, ...over };
}

export const NOW = new Date('2025-06-01T12:00:00Z');
const nowSec = NOW.getTime() / 1000;

export function mirrorstatsData(over: Partial<MirrorstatsPageData> = {}): MirrorstatsPageData {
  return {
    ...META,
    now: NOW,
    mirrors: [
      { mirror: statsMirror({ id: 1, name: 'gb-mirror', latitude: 51.5, longitude: -0.09, lastModTime: nowSec - 30 }), downloads: 40, bytes: 4_000_000 },
      { mirror: statsMirror({ id: 2, name: 'us-mirror', httpURL: 'us.example.org/', httpUp: true, httpsUp: false, latitude: 47.25, longitude: -122.3, lastModTime: nowSec - 3 * 86400, tzOffsetMs: 3_600_000 }), downloads: 120, bytes: 1_000_000 },
      { mirror: statsMirror({ id: 3, name: 'se-mirror', httpURL: 'https://se.example.org/', httpsUp: false, latitude: 58.4, longitude: 15.6, lastModTime: nowSec - 40 * 86400 }), downloads: 0, bytes: 0 },
      { mirror: statsMirror({ id: 4, name: 'off-mirror', enabled: false, latitude: -33.9, longitude: 151.2 }), downloads: 0, bytes: 0 },
      { mirror: statsMirror({ id: 5, name: 'ahead-mirror', latitude: 35.7, longitude: 139.7, lastModTime: nowSec + 7200 }), downloads: 5, bytes: 12_345 },
    ],
    ...over,
  };
}
