import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { isValidGeo, type GeoRecord } from '@mirrorball/model';

/** Mirrorbits' texts (rpc.go AddMirror), shown by `mirrorbits add`. */
export const WARN_SEVERAL_ADDRESSES =
  "Warning: the hostname returned more than one address. Assuming they're sharing the same location.";
export const WARN_NO_LOCATION = 'Warning: unable to guess the geographic location of this mirror';

export interface HostLocation {
  /** Geolocation of the first address (EMPTY_GEO if unknown). */
  record: GeoRecord;
  /** Every address the resolver returned, in its order. */
  addresses: string[];
  warnings: string[];
}

export interface LocateHostOptions {
  /** Resolves a host name to addresses; defaults to the system resolver (dns.lookup, all). */
  resolve?: (hostname: string) => Promise<string[]>;
}

export class HostLookupError extends Error {
  override name = 'HostLookupError';
}

async function systemResolve(hostname: string): Promise<string[]> {
  const all = await dnsLookup(hostname, { all: true, verbatim: true });
  return all.map((a) => a.address);
}

/**
 * Locates a mirror's host when it is added (contract §6): resolve, take the first address,
 * geolocate it. `hostname` is a URL's host without port; `[v6]` brackets are accepted.
 * @throws HostLookupError when the name does not resolve
 */
export async function locateHost(
  hostname: string,
  geo: { lookup(ip: string): GeoRecord },
  options: LocateHostOptions = {},
): Promise<HostLocation> {
  const host = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  if (host === '') throw new HostLookupError('IP lookup failed: empty host name');
  let addresses: string[];
  if (isIP(host) !== 0) {
    addresses = [host];
  } else {
    try {
      addresses = await (options.resolve ?? systemResolve)(host);
    } catch (err) {
      throw new HostLookupError(`IP lookup failed: ${(err as Error).message}`);
    }
    if (addresses.length === 0) throw new HostLookupError(`IP lookup failed: no address for ${host}`);
  }
  const warnings: string[] = [];
  if (addresses.length > 1) warnings.push(WARN_SEVERAL_ADDRESSES);
  const record = geo.lookup(addresses[0]!);
  if (!isValidGeo(record)) warnings.push(WARN_NO_LOCATION);
  return { record, addresses, warnings };
}
