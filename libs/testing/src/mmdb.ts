import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { countryName, mmdb, writeMmdb, type MmdbEntry, type MmdbValue } from '@mirrorball/geo';

/** One network placed by a test: where its clients (or a mirror) are. */
export interface GeoPlacement {
  /** CIDR or single address (`203.0.113.0/24`, `2001:db8::/32`, `198.51.100.7`). */
  network: string;
  /** ISO 3166-1 alpha-2, e.g. `FR`. */
  country: string;
  /** MaxMind continent code, e.g. `EU`. */
  continent: string;
  city?: string;
  lat: number;
  lon: number;
  asn?: number;
  asOrg?: string;
}

export interface BuildGeoOptions {
  /** Unix seconds written as the build epoch of both files (default: now). */
  buildEpoch?: number;
  /** File names (default `GeoLite2-City.mmdb` / `GeoLite2-ASN.mmdb`). */
  cityFile?: string;
  asnFile?: string;
}

/**
 * Writes GeoLite2-City.mmdb and GeoLite2-ASN.mmdb into `dir` with MaxMind's record shapes,
 * so a test can point GeoipDatabasePath at `dir` and place clients and mirrors exactly.
 * Networks without `asn` are left out of the ASN database.
 */
export async function buildGeoDatabases(
  dir: string,
  placements: GeoPlacement[],
  options: BuildGeoOptions = {},
): Promise<{ path: string; cityFile: string; asnFile: string }> {
  await mkdir(dir, { recursive: true });
  const city: MmdbEntry[] = placements.map((p) => {
    const data: { [key: string]: MmdbValue } = {
      continent: { code: p.continent, names: { en: continentName(p.continent) } },
      country: { iso_code: p.country, names: { en: countryName(p.country) || p.country } },
      location: { latitude: mmdb.double(p.lat), longitude: mmdb.double(p.lon), accuracy_radius: mmdb.uint16(10) },
    };
    if (p.city !== undefined) data.city = { names: { en: p.city } };
    return { network: p.network, data };
  });
  const asn: MmdbEntry[] = placements
    .filter((p) => p.asn !== undefined)
    .map((p) => {
      const data: { [key: string]: MmdbValue } = { autonomous_system_number: mmdb.uint32(p.asn!) };
      if (p.asOrg !== undefined) data.autonomous_system_organization = p.asOrg;
      return { network: p.network, data };
    });
  const cityFile = join(dir, options.cityFile ?? 'GeoLite2-City.mmdb');
  const asnFile = join(dir, options.asnFile ?? 'GeoLite2-ASN.mmdb');
  const common = { ipVersion: 6 as const, recordSize: 28 as const, buildEpoch: options.buildEpoch };
  await writeFile(cityFile, writeMmdb({ ...common, databaseType: 'GeoLite2-City', languages: ['en'], entries: city }));
  await writeFile(asnFile, writeMmdb({ ...common, databaseType: 'GeoLite2-ASN', languages: [], entries: asn }));
  return { path: dir, cityFile, asnFile };
}

const CONTINENTS: Record<string, string> = {
  AF: 'Africa', AN: 'Antarctica', AS: 'Asia', EU: 'Europe', NA: 'North America', OC: 'Oceania', SA: 'South America',
};

function continentName(code: string): string {
  return CONTINENTS[code] ?? code;
}
