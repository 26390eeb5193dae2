import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMPTY_GEO } from '@mirrorball/model';
import { buildGeoDatabases } from '@mirrorball/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { GeoIP } from './geoip.ts';
import { HostLookupError, locateHost, WARN_NO_LOCATION, WARN_SEVERAL_ADDRESSES } from './locate-host.ts';

describe('locateHost', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mb-geo-host-'));
  afterAll(() => rm(dir, { recursive: true, force: true }));
  await buildGeoDatabases(dir, [
    { network: '127.0.0.0/8', country: 'FR', continent: 'EU', city: 'Paris', lat: 48.8582, lon: 2.3387, asn: 64500, asOrg: 'Loop AS' },
    { network: '::1/128', country: 'DE', continent: 'EU', lat: 52.52, lon: 13.405, asn: 64501 },
  ]);
  const geo = await GeoIP.open({ path: dir, embedded: false });

  it('locates a literal IPv4 address without DNS', async () => {
    const r = await locateHost('127.0.0.2', geo);
    expect(r.addresses).toEqual(['127.0.0.2']);
    expect(r.warnings).toEqual([]);
    expect(r.record).toMatchObject({ countryCode: 'FR', continentCode: 'EU', asNum: 64500, latitude: Math.fround(48.8582) });
  });

  it('accepts a bracketed IPv6 literal', async () => {
    const r = await locateHost('[::1]', geo);
    expect(r.addresses).toEqual(['::1']);
    expect(r.record).toMatchObject({ countryCode: 'DE', asNum: 64501 });
  });

  it('resolves localhost with the system resolver and uses the first address', async () => {
    const r = await locateHost('localhost', geo);
    expect(r.addresses.length).toBeGreaterThan(0);
    expect(r.record).toEqual(geo.lookup(r.addresses[0]!));
    expect(r.warnings.includes(WARN_SEVERAL_ADDRESSES)).toBe(r.addresses.length > 1);
  });

  it('warns when the name has several addresses, as Mirrorbits does', async () => {
    const r = await locateHost('mirror.example', geo, { resolve: async () => ['127.0.0.9', '::1'] });
    expect(r.addresses).toEqual(['127.0.0.9', '::1']);
    expect(r.record.countryCode).toBe('FR');
    expect(r.warnings).toEqual([WARN_SEVERAL_ADDRESSES]);
  });

  it('warns when the address cannot be located', async () => {
    const r = await locateHost('192.0.2.1', geo);
    expect(r.record).toEqual(EMPTY_GEO);
    expect(r.warnings).toEqual([WARN_NO_LOCATION]);
  });

  it('fails clearly when the name does not resolve', async () => {
    // No real DNS query: tests talk to nothing but 127.0.0.1.
    const failing = async (): Promise<string[]> => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND nothing.invalid'), { code: 'ENOTFOUND' });
    };
    await expect(locateHost('nothing.invalid', geo, { resolve: failing })).rejects.toThrow(HostLookupError);
    await expect(locateHost('nothing.invalid', geo, { resolve: failing })).rejects.toThrow(/IP lookup failed: getaddrinfo ENOTFOUND/);
    await expect(locateHost('x', geo, { resolve: async () => [] })).rejects.toThrow(/IP lookup failed: no address for x/);
    await expect(locateHost('', geo)).rejects.toThrow(/empty host name/);
  });
});
