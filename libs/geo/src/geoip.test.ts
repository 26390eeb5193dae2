import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EMPTY_GEO, type GeoRecord } from '@mirrorball/model';
import { buildGeoDatabases } from '@mirrorball/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { GeoIP } from './geoip.ts';

const FIXTURES = fileURLToPath(new URL('../testdata/maxmind/', import.meta.url));
const dirs: string[] = [];
const geos: GeoIP[] = [];

afterAll(async () => {
  for (const g of geos) g.close();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** A temp directory holding fixtures under the given names ({target: fixture}). */
async function dbDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mb-geo-'));
  dirs.push(dir);
  for (const [target, fixture] of Object.entries(files)) await copyFile(join(FIXTURES, fixture), join(dir, target));
  return dir;
}

async function open(path: string, embedded = false): Promise<GeoIP> {
  const g = await GeoIP.open({ path, embedded });
  geos.push(g);
  return g;
}

function city(cc: string, cont: string, cityName: string, country: string, lat: number, lon: number): Partial<GeoRecord> {
  return { countryCode: cc, continentCode: cont, city: cityName, country, latitude: Math.fround(lat), longitude: Math.fround(lon) };
}

// /work/shared/testdata/geoip/README.md, "Expected lookups".
const CITY_ROWS: [string, Partial<GeoRecord>][] = [
  ['81.2.69.142', city('GB', 'EU', 'London', 'United Kingdom', 51.5142, -0.0931)],
  ['81.2.69.160', city('GB', 'EU', 'London', 'United Kingdom', 51.5142, -0.0931)],
  ['216.160.83.56', city('US', 'NA', 'Milton', 'United States', 47.2513, -122.3149)],
  ['89.160.20.112', city('SE', 'EU', 'Linköping', 'Sweden', 58.4167, 15.6167)],
  ['2.125.160.216', city('GB', 'EU', 'Boxford', 'United Kingdom', 51.75, -1.25)],
  ['175.16.199.1', city('CN', 'AS', 'Changchun', 'China', 43.88, 125.3228)],
  ['67.43.156.1', city('BT', 'AS', '', 'Bhutan', 27.5, 90.5)],
  ['202.196.224.1', city('PH', 'AS', '', 'Philippines', 13, 122)],
  ['2001:218::1', city('JP', 'AS', '', 'Japan', 35.68536, 139.75309)],
  ['2a02:d280::1', city('CZ', 'EU', '', 'Czech Republic', 49.75, 15)],
  ['::ffff:81.2.69.142', city('GB', 'EU', 'London', 'United Kingdom', 51.5142, -0.0931)],
  ['::ffff:216.160.83.56', city('US', 'NA', 'Milton', 'United States', 47.2513, -122.3149)],
];
const NO_CITY = ['8.8.8.8', '127.0.0.1', '1.128.0.1', '::ffff:8.8.8.8', '149.101.100.1'];

const ASN_ROWS: [string, number, string][] = [
  ['1.128.0.1', 1221, 'Telstra Pty Ltd'],
  ['12.81.92.1', 7018, 'AT&T Services'],
  ['89.160.20.112', 29518, 'Bredband2 AB'],
  ['149.101.100.1', 6167, 'CELLCO-PART'],
  ['216.160.83.56', 209, ''],
  ['67.43.156.1', 35908, ''],
  ['2600:6000::1', 237, 'Merit Network Inc.'],
  ['2001:1700::1', 6730, 'Sunrise Communications AG'],
  ['::ffff:1.128.0.1', 1221, 'Telstra Pty Ltd'],
];
const NO_ASN = ['81.2.69.142', '8.8.8.8', '127.0.0.1'];

describe('GeoIP with MaxMind databases', async () => {
  const dir = await dbDir({ 'GeoLite2-City.mmdb': 'GeoLite2-City-Test.mmdb', 'GeoLite2-ASN.mmdb': 'GeoLite2-ASN-Test.mmdb' });
  const geo = await open(dir);

  it('reports its source and build epochs', () => {
    const info = geo.info();
    expect(info.source).toBe('maxmind');
    expect(info.degraded).toBe(false);
    expect(info.errors).toEqual([]);
    expect(info.attribution).toBeUndefined();
    expect(info.cityFile).toBe(join(dir, 'GeoLite2-City.mmdb'));
    expect(new Date(info.cityBuildEpoch! * 1000).toISOString().slice(0, 10)).toBe('2026-02-04');
    expect(info.asnBuildEpoch).toBeGreaterThan(0);
  });

  it.each(CITY_ROWS)('City fields of %s', (ip, expected) => {
    expect(geo.lookup(ip)).toMatchObject(expected);
  });

  it.each(NO_CITY)('%s has no City record (GeoLite2)', (ip) => {
    expect(geo.lookup(ip)).toMatchObject({ countryCode: '', continentCode: '', city: '', country: '', latitude: 0, longitude: 0 });
  });

  it.each(ASN_ROWS)('ASN fields of %s', (ip, asNum, asName) => {
    expect(geo.lookup(ip)).toMatchObject({ asNum, asName });
  });

  it.each(NO_ASN)('%s has no ASN record', (ip) => {
    expect(geo.lookup(ip)).toMatchObject({ asNum: 0, asName: '' });
  });

  it('combines both databases into one record; an address in neither gives EMPTY_GEO', () => {
    expect(geo.lookup('89.160.20.112')).toEqual({
      ...city('SE', 'EU', 'Linköping', 'Sweden', 58.4167, 15.6167),
      asNum: 29518,
      asName: 'Bredband2 AB',
    });
    // ASN only: not "valid" (no country), but the AS fields are kept, as Mirrorbits does.
    expect(geo.lookup('1.128.0.1')).toEqual({ ...EMPTY_GEO, asNum: 1221, asName: 'Telstra Pty Ltd' });
    expect(geo.lookup('8.8.8.8')).toEqual(EMPTY_GEO);
  });

  it.each(['', ' ', 'garbage', '[::1]', '[::1]:8080', '81.2.69.142:80', ' 81.2.69.142', '81.2.69.142 ', '1.2.3',
    'fe80::1%eth0', '::ffff:81.2.69.142:80', 'x'.repeat(10_000)])('never throws for %j', (ip) => {
    expect(geo.lookup(ip)).toEqual(EMPTY_GEO);
    expect(geo.lookup(ip)).toEqual(EMPTY_GEO);
  });

  it('never throws for non-string input', () => {
    for (const bad of [undefined, null, 42, {}, []]) expect(geo.lookup(bad as unknown as string)).toEqual(EMPTY_GEO);
  });

  it('answers repeated addresses from the cache with the same record', () => {
    const before = geo.cacheStats();
    const first = geo.lookup('175.16.199.77');
    const second = geo.lookup('175.16.199.77');
    expect(second).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    const after = geo.cacheStats();
    expect(after.hits - before.hits).toBe(1);
    expect(after.capacity).toBeGreaterThanOrEqual(10_000);
  });
});

describe('GeoIP with GeoIP2-City (same answers, plus 149.101.100.1)', async () => {
  const geo = await open(await dbDir({ 'GeoIP2-City.mmdb': 'GeoIP2-City-Test.mmdb', 'GeoLite2-ASN.mmdb': 'GeoLite2-ASN-Test.mmdb' }));

  it.each(CITY_ROWS)('City fields of %s', (ip, expected) => {
    expect(geo.lookup(ip)).toMatchObject(expected);
  });

  it('has 149.101.100.1, which GeoLite2-City lacks', () => {
    expect(geo.lookup('149.101.100.1')).toEqual({
      ...city('US', 'NA', '', 'United States', 37.751, -97.822),
      asNum: 6167,
      asName: 'CELLCO-PART',
    });
  });
});

describe('GeoIP file resolution', () => {
  it('accepts GeoIP2-City.mmdb and a path without trailing slash or with one', async () => {
    const dir = await dbDir({ 'GeoIP2-City.mmdb': 'GeoIP2-City-Test.mmdb', 'GeoLite2-ASN.mmdb': 'GeoLite2-ASN-Test.mmdb' });
    for (const path of [dir, `${dir}/`]) {
      const geo = await open(path);
      expect(geo.info().cityFile).toBe(join(dir, 'GeoIP2-City.mmdb'));
      // In GeoIP2-City only.
      expect(geo.lookup('149.101.100.1')).toMatchObject({ countryCode: 'US', continentCode: 'NA', asNum: 6167 });
    }
  });

  it('prefers GeoLite2-City.mmdb when both City files are present', async () => {
    const dir = await dbDir({ 'GeoLite2-City.mmdb': 'GeoLite2-City-Test.mmdb', 'GeoIP2-City.mmdb': 'GeoIP2-City-Test.mmdb' });
    const geo = await open(dir);
    expect(geo.info().cityFile).toBe(join(dir, 'GeoLite2-City.mmdb'));
    expect(geo.lookup('149.101.100.1').countryCode).toBe('');
  });

  it('uses <name>.updated instead of <name> when it exists', async () => {
    const dir = await dbDir({
      'GeoLite2-City.mmdb': 'GeoLite2-City-Test.mmdb',
      'GeoLite2-City.mmdb.updated': 'GeoIP2-City-Test.mmdb',
      'GeoLite2-ASN.mmdb': 'GeoLite2-ASN-Test.mmdb',
    });
    const geo = await open(dir);
    expect(geo.info().cityFile).toBe(join(dir, 'GeoLite2-City.mmdb.updated'));
    expect(geo.info().asnFile).toBe(join(dir, 'GeoLite2-ASN.mmdb'));
    expect(geo.lookup('149.101.100.1').countryCode).toBe('US');
  });

  it('runs degraded with only one database and says so', async () => {
    const asnOnly = await open(await dbDir({ 'GeoLite2-ASN.mmdb': 'GeoLite2-ASN-Test.mmdb' }));
    expect(asnOnly.info()).toMatchObject({ source: 'maxmind', degraded: true, cityBuildEpoch: null });
    expect(asnOnly.info().errors).toEqual([expect.stringMatching(/City database not found/)]);
    expect(asnOnly.lookup('89.160.20.112')).toEqual({ ...EMPTY_GEO, asNum: 29518, asName: 'Bredband2 AB' });

    const cityOnly = await open(await dbDir({ 'GeoLite2-City.mmdb': 'GeoLite2-City-Test.mmdb' }));
    expect(cityOnly.info()).toMatchObject({ source: 'maxmind', degraded: true, asnBuildEpoch: null });
    expect(cityOnly.lookup('89.160.20.112')).toMatchObject({ countryCode: 'SE', asNum: 0, asName: '' });
  });

  it('reports a broken file and works with the other database', async () => {
    const dir = await dbDir({ 'GeoLite2-ASN.mmdb': 'GeoLite2-ASN-Test.mmdb' });
    await writeFile(join(dir, 'GeoLite2-City.mmdb'), 'this is not a MaxMind database');
    const geo = await open(dir);
    expect(geo.info().degraded).toBe(true);
    expect(geo.info().errors).toEqual([expect.stringMatching(/^City database: .*GeoLite2-City.mmdb: not a readable MaxMind DB/)]);
    expect(geo.lookup('1.128.0.1').asNum).toBe(1221);
  });

  it('with no database and no embedded fallback, every client is un-geolocated', async () => {
    const geo = await open(await dbDir({}));
    expect(geo.info()).toMatchObject({ source: 'none', degraded: false, cityBuildEpoch: null, asnBuildEpoch: null });
    expect(geo.info().errors[0]).toMatch(/no GeoIP database in/);
    expect(geo.lookup('81.2.69.142')).toEqual(EMPTY_GEO);
    expect(GeoIP.empty().lookup('81.2.69.142')).toEqual(EMPTY_GEO);
    const missing = await open(join(tmpdir(), 'mb-geo-does-not-exist'));
    expect(missing.info().source).toBe('none');
  });
});

describe('GeoIP reload', () => {
  const client = '203.0.113.9';
  const place = (country: string, continent: string) => [
    { network: '203.0.113.0/24', country, continent, city: 'X', lat: 1, lon: 2, asn: 64500, asOrg: 'Example' },
  ];

  it('swaps a database only when its build epoch changed, and clears the cache', async () => {
    const dir = await dbDir({});
    await buildGeoDatabases(dir, place('FR', 'EU'), { buildEpoch: 1_000_000 });
    const geo = await open(dir);
    expect(geo.lookup(client).countryCode).toBe('FR');

    // Same build epoch: kept, as Mirrorbits does.
    await buildGeoDatabases(dir, place('DE', 'EU'), { buildEpoch: 1_000_000 });
    expect(await geo.reload()).toEqual({ changed: false, errors: [] });
    expect(geo.lookup(client).countryCode).toBe('FR');

    await buildGeoDatabases(dir, place('DE', 'EU'), { buildEpoch: 2_000_000 });
    expect(await geo.reload()).toEqual({ changed: true, errors: [] });
    expect(geo.lookup(client)).toMatchObject({ countryCode: 'DE', country: 'Germany', city: 'X', asNum: 64500 });
    expect(geo.info().cityBuildEpoch).toBe(2_000_000);
  });

  it('keeps the last good database when the new file is broken or gone', async () => {
    const dir = await dbDir({});
    await buildGeoDatabases(dir, place('FR', 'EU'), { buildEpoch: 1_000_000 });
    const geo = await open(dir);
    await writeFile(join(dir, 'GeoLite2-City.mmdb'), Buffer.from('garbage'));
    const r = await geo.reload();
    expect(r.changed).toBe(false);
    expect(r.errors).toEqual([expect.stringMatching(/City database: .*not a readable MaxMind DB/)]);
    expect(geo.lookup(client)).toMatchObject({ countryCode: 'FR', asNum: 64500 });

    await rm(join(dir, 'GeoLite2-City.mmdb'));
    await rm(join(dir, 'GeoLite2-ASN.mmdb'));
    expect((await geo.reload()).errors[0]).toMatch(/keeping the loaded ones/);
    expect(geo.lookup(client).countryCode).toBe('FR');
  });

  it('picks up a new .updated file', async () => {
    const dir = await dbDir({});
    await buildGeoDatabases(dir, place('FR', 'EU'), { buildEpoch: 1_000_000 });
    const geo = await open(dir);
    await buildGeoDatabases(dir, place('JP', 'AS'), {
      buildEpoch: 3_000_000,
      cityFile: 'GeoLite2-City.mmdb.updated',
      asnFile: 'GeoLite2-ASN.mmdb.updated',
    });
    expect((await geo.reload()).changed).toBe(true);
    expect(geo.lookup(client).countryCode).toBe('JP');
    expect(geo.info().cityFile).toBe(join(dir, 'GeoLite2-City.mmdb.updated'));
  });

  it('watch() reloads when a file changes', async () => {
    const dir = await dbDir({});
    await buildGeoDatabases(dir, place('FR', 'EU'), { buildEpoch: 1_000_000 });
    const geo = await open(dir);
    const stop = geo.watch(0.05);
    await new Promise((r) => setTimeout(r, 120));
    await buildGeoDatabases(dir, place('BR', 'SA'), { buildEpoch: 4_000_000 });
    const deadline = Date.now() + 5000;
    while (geo.lookup(client).countryCode !== 'BR' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    stop();
    expect(geo.lookup(client)).toMatchObject({ countryCode: 'BR', continentCode: 'SA' });
  });
});
