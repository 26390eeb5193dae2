import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildGeoDatabases } from '@mirrorball/testing';
import { Reader } from 'mmdb-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { GeoIP } from './geoip.ts';

type Rec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const FIXTURES = fileURLToPath(new URL('../testdata/maxmind/', import.meta.url));

describe('buildGeoDatabases (libs/testing harness)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mb-geo-harness-'));
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const built = await buildGeoDatabases(dir, [
    { network: '198.51.100.0/24', country: 'FR', continent: 'EU', city: 'Paris', lat: 48.8582, lon: 2.3387, asn: 64500, asOrg: 'Example AS' },
    { network: '203.0.113.7', country: 'US', continent: 'NA', lat: 40, lon: -74 },
    { network: '2001:db8:1::/48', country: 'JP', continent: 'AS', city: 'Tokyo', lat: 35.68536, lon: 139.75309, asn: 64501 },
  ], { buildEpoch: 1_234_567_890 });

  it('writes records shaped like MaxMind GeoLite2 ones', async () => {
    const cityDb = new Reader<Rec>(await readFile(built.cityFile));
    const real = new Reader<Rec>(await readFile(join(FIXTURES, 'GeoLite2-City-Test.mmdb'))).get('81.2.69.142')!;
    const ours = cityDb.get('198.51.100.20')!;
    expect(cityDb.metadata).toMatchObject({ databaseType: 'GeoLite2-City', ipVersion: 6, recordSize: 28 });
    expect(typeof ours.country.iso_code).toBe(typeof real.country.iso_code);
    expect(typeof ours.country.names.en).toBe(typeof real.country.names.en);
    expect(typeof ours.continent.code).toBe(typeof real.continent.code);
    expect(typeof ours.city.names.en).toBe(typeof real.city.names.en);
    expect(typeof ours.location.latitude).toBe(typeof real.location.latitude);
    expect(ours).toMatchObject({
      country: { iso_code: 'FR', names: { en: 'France' } },
      continent: { code: 'EU' },
      city: { names: { en: 'Paris' } },
      location: { latitude: 48.8582, longitude: 2.3387 },
    });
    const asnDb = new Reader<Rec>(await readFile(built.asnFile));
    expect(asnDb.metadata.databaseType).toBe('GeoLite2-ASN');
    expect(asnDb.get('198.51.100.20')).toEqual({ autonomous_system_number: 64500, autonomous_system_organization: 'Example AS' });
    expect(asnDb.get('2001:db8:1::1')).toEqual({ autonomous_system_number: 64501 });
    expect(asnDb.get('203.0.113.7')).toBeNull(); // no asn given
  });

  it('places clients exactly through GeoIP', async () => {
    const geo = await GeoIP.open({ path: built.path, embedded: false });
    expect(geo.info().cityBuildEpoch).toBe(1_234_567_890);
    expect(geo.lookup('198.51.100.1')).toEqual({
      countryCode: 'FR', continentCode: 'EU', city: 'Paris', country: 'France',
      latitude: Math.fround(48.8582), longitude: Math.fround(2.3387), asName: 'Example AS', asNum: 64500,
    });
    expect(geo.lookup('::ffff:203.0.113.7')).toMatchObject({ countryCode: 'US', city: '', latitude: 40, asNum: 0 });
    expect(geo.lookup('203.0.113.8').countryCode).toBe('');
    expect(geo.lookup('2001:db8:1:2::3')).toMatchObject({ countryCode: 'JP', city: 'Tokyo', asNum: 64501 });
  });
});
