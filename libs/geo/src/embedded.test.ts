import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMPTY_GEO } from '@mirrorball/model';
import { buildGeoDatabases } from '@mirrorball/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { DBIP_ATTRIBUTION } from './embedded.ts';
import { GeoIP } from './geoip.ts';

// Loads the real embedded data (DB-IP Lite City + ASN table, ~150 MB) once for this file.
describe('embedded DB-IP default', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mb-geo-emb-'));
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const geo = await GeoIP.open({ path: dir });

  it('is used when the directory holds neither City nor ASN file, with attribution', () => {
    const info = geo.info();
    expect(info.source).toBe('embedded');
    expect(info.degraded).toBe(false);
    expect(info.attribution).toBe(DBIP_ATTRIBUTION);
    expect(info.cityBuildEpoch).toBeGreaterThan(1_600_000_000);
    expect(info.asnBuildEpoch).toBeGreaterThan(1_600_000_000);
  });

  it('locates well-known public addresses (country only: the data changes monthly)', () => {
    expect(geo.lookup('8.8.8.8').countryCode).toBe('US');
    expect(geo.lookup('::ffff:8.8.8.8').countryCode).toBe('US');
    expect(geo.lookup('2001:200::1').countryCode).toBe('JP'); // WIDE Project
  });

  it('fills continent and country name from the code, and the AS from the table', () => {
    const r = geo.lookup('8.8.8.8');
    expect(r).toMatchObject({ continentCode: 'NA', country: 'United States', asNum: 15169 });
    expect(r.asName).toMatch(/google/i);
    expect(r.latitude).toBe(Math.fround(r.latitude));
    expect(geo.lookup('2001:200::1')).toMatchObject({ continentCode: 'AS', asNum: 2500 });
  });

  it('answers nothing for private and invalid addresses', () => {
    expect(geo.lookup('10.1.2.3')).toEqual(EMPTY_GEO);
    expect(geo.lookup('127.0.0.1')).toEqual(EMPTY_GEO);
    expect(geo.lookup('[::1]')).toEqual(EMPTY_GEO);
    expect(geo.lookup('not an ip')).toEqual(EMPTY_GEO);
  });

  it('switches to MaxMind files that appear later, dropping both embedded halves', async () => {
    await buildGeoDatabases(dir, [{ network: '8.8.8.0/24', country: 'FR', continent: 'EU', lat: 48.85, lon: 2.35 }], {
      buildEpoch: 1_000_000,
    });
    const r = await geo.reload();
    expect(r.changed).toBe(true);
    expect(geo.info()).toMatchObject({ source: 'maxmind', cityBuildEpoch: 1_000_000 });
    expect(geo.info().attribution).toBeUndefined();
    expect(geo.lookup('8.8.8.8')).toMatchObject({ countryCode: 'FR', asNum: 0 });
    expect(geo.lookup('1.1.1.1')).toEqual(EMPTY_GEO);
  });
});
