import { countries } from 'countries-list';

export interface CountryInfo {
  readonly name: string;
  readonly continent: string;
}

// Built once: the request path only does a Map lookup.
const table = new Map<string, CountryInfo>(
  Object.entries(countries as unknown as Record<string, { name: string; continent: string }>).map(
    ([code, c]) => [code, Object.freeze({ name: c.name, continent: c.continent })],
  ),
);

/**
 * English name and continent code of an ISO 3166-1 alpha-2 country, for databases (DB-IP
 * Lite) that carry only the code. Continent codes are MaxMind's (AF AN AS EU NA OC SA).
 */
export function countryInfo(code: string): CountryInfo | undefined {
  return table.get(code) ?? table.get(code.toUpperCase());
}

export function countryName(code: string): string {
  return countryInfo(code)?.name ?? '';
}

export function continentOf(code: string): string {
  return countryInfo(code)?.continent ?? '';
}
