import { Reader } from 'mmdb-lib';
import type { ParsedIp } from './ip.ts';

/** What the City database contributes to a GeoRecord (contract §2.4). */
export interface CityFields {
  countryCode: string;
  continentCode: string;
  city: string;
  country: string;
  latitude: number;
  longitude: number;
}

export interface AsnFields {
  asNum: number;
  asName: string;
}

/**
 * One loaded database. `lookup` returns null when the address is not in it and throws when
 * the database itself is broken (the caller then answers an entirely empty record).
 */
export interface GeoDatabase<T> {
  readonly file: string;
  /** Unix seconds. */
  readonly buildEpoch: number;
  readonly databaseType: string;
  /** Bytes held by the loaded data (file buffers, tables). */
  readonly bytes: number;
  lookup(ip: ParsedIp): T | null;
}

type Json = Record<string, unknown>;

/**
 * Opens a MaxMind DB buffer; throws a clear error for anything mmdb-lib cannot read.
 * No decoded-record cache: measured, it gave nothing over mmdb-lib's plain decoding; the
 * per-IP LRU in GeoIP is what saves work for repeating clients.
 */
export function openReader(buffer: Buffer, file: string): Reader<Json> {
  try {
    return new Reader<Json>(buffer);
  } catch (err) {
    throw new Error(`${file}: not a readable MaxMind DB (${(err as Error).message})`);
  }
}

function epochOf(reader: Reader<Json>): number {
  return Math.floor(reader.metadata.buildEpoch.getTime() / 1000);
}

/** Reads `ip` from `reader`, refusing IPv6 in an IPv4-only tree (mmdb-lib would walk garbage). */
function get(reader: Reader<Json>, ip: ParsedIp): Json | null {
  if (ip.family === 6 && reader.metadata.ipVersion === 4) return null;
  return reader.get(ip.text);
}

function obj(v: unknown, what: string): Json | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw new Error(`unexpected type for ${what}`);
  return v as Json;
}

// Go's decoder fails the whole lookup on a type mismatch; these helpers do the same.
function str(v: unknown, what: string): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new Error(`unexpected type for ${what}`);
  return v;
}

function num(v: unknown, what: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  throw new Error(`unexpected type for ${what}`);
}

/** A GeoLite2/GeoIP2 City (or Country) database. */
export function maxmindCity(buffer: Buffer, file: string): GeoDatabase<CityFields> {
  const reader = openReader(buffer, file);
  return {
    file,
    buildEpoch: epochOf(reader),
    databaseType: reader.metadata.databaseType,
    bytes: buffer.byteLength,
    lookup(ip) {
      const r = get(reader, ip);
      if (r === null) return null;
      const country = obj(r.country, 'country');
      const location = obj(r.location, 'location');
      return {
        countryCode: str(country?.iso_code, 'country.iso_code'),
        continentCode: str(obj(r.continent, 'continent')?.code, 'continent.code'),
        city: str(obj(obj(r.city, 'city')?.names, 'city.names')?.en, 'city.names.en'),
        country: str(obj(country?.names, 'country.names')?.en, 'country.names.en'),
        latitude: Math.fround(num(location?.latitude, 'location.latitude')),
        longitude: Math.fround(num(location?.longitude, 'location.longitude')),
      };
    },
  };
}

/** A GeoLite2 ASN database. */
export function maxmindAsn(buffer: Buffer, file: string): GeoDatabase<AsnFields> {
  const reader = openReader(buffer, file);
  return {
    file,
    buildEpoch: epochOf(reader),
    databaseType: reader.metadata.databaseType,
    bytes: buffer.byteLength,
    lookup(ip) {
      const r = get(reader, ip);
      if (r === null) return null;
      return {
        asNum: num(r.autonomous_system_number, 'autonomous_system_number'),
        asName: str(r.autonomous_system_organization, 'autonomous_system_organization'),
      };
    },
  };
}
