import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { RedisServer, writeMirrorbitsV0Fixture, writeMirrorbitsV1Fixture } from '@mirrorball/testing';
import { createRedis } from './connection.ts';
import { getMirror, listMirrors } from './mirrors.ts';
import { ensureSchema, readSchemaVersion, SchemaVersionError } from './schema.ts';

let srv: RedisServer;
let redis: Redis;
beforeAll(async () => {
  srv = await RedisServer.start();
  redis = createRedis({ RedisAddress: srv.address }, { purpose: 'main' });
});
afterAll(async () => {
  redis.disconnect();
  await srv.stop();
});
beforeEach(async () => {
  await redis.flushdb();
});
const T = '2024-01-15 12:00:00 +0000 UTC';
const send = (args: string[]) => redis.call(args[0]!, ...args.slice(1));

describe('ensureSchema', () => {
  it('initialises a fresh database at version 2', async () => {
    expect(await ensureSchema(redis)).toBe(2);
    expect(await redis.get('MIRRORBITS_DB_VERSION')).toBe('2');
    expect(await ensureSchema(redis)).toBe(2);
  });

  it('refuses a newer schema with a clear error and changes nothing', async () => {
    await redis.set('MIRRORBITS_DB_VERSION', '3');
    await redis.hset('MIRRORS', '1', 'a');
    await expect(ensureSchema(redis)).rejects.toThrow(SchemaVersionError);
    await expect(ensureSchema(redis)).rejects.toThrow('unsupported database version 3, please upgrade Mirrorball');
    expect(await redis.get('MIRRORBITS_DB_VERSION')).toBe('3');
    await redis.set('MIRRORBITS_DB_VERSION', 'x');
    await expect(readSchemaVersion(redis)).rejects.toThrow(/invalid database version/);
  });

  it('upgrades a v1 database: up/excludeReason become per-protocol fields', async () => {
    await writeMirrorbitsV1Fixture(send);
    await redis.hset('V2_MIRROR_9', 'stale', 'scratch');
    await redis.sadd('MIRRORFILES_1', '/a');
    expect(await ensureSchema(redis, { retryMs: 10 })).toBe(2);
    expect(await redis.get('MIRRORBITS_DB_VERSION')).toBe('2');
    expect(await redis.hgetall('MIRROR_1')).toEqual({ ID: '1', name: 'plain', http: 'http://p.example/', enabled: '1', httpUp: '1', httpDownReason: '' });
    expect(await redis.hgetall('MIRROR_2')).toMatchObject({ httpsUp: '0', httpsDownReason: 'Got status code 500' });
    expect(await redis.hexists('MIRROR_2', 'up')).toBe(0);
    expect(await redis.hgetall('MIRROR_3')).toMatchObject({ httpUp: '1' });
    expect(await redis.hgetall('MIRROR_4')).toEqual({ ID: '4', name: 'fresh', http: 'https://f.example/' });
    expect(await redis.smembers('MIRRORFILES_1')).toEqual(['/a']);
    expect(await redis.exists('V2_MIRROR_9', 'V2_MIRROR_1', 'LOCK_upgrade')).toBe(0);
    const m = (await getMirror(redis, 2))!;
    expect([m.httpsUp, m.httpsDownReason]).toEqual([false, 'Got status code 500']);
  });

  it('upgrades a v0 database (names everywhere) to the v2 layout', async () => {
    await writeMirrorbitsV0Fixture(send);
    expect(await readSchemaVersion(redis)).toBe(0);
    expect(await ensureSchema(redis, { retryMs: 10 })).toBe(2);

    expect(await redis.get('MIRRORBITS_DB_VERSION')).toBe('2');
    expect(await redis.hgetall('MIRRORS')).toEqual({ 1: 'alpha', 2: 'beta' });
    expect(await redis.get('LAST_MID')).toBe('2');
    const mirrors = await listMirrors(redis);
    expect(mirrors.map((m) => [m.id, m.name, m.httpURL, m.httpUp, m.httpsUp, m.httpsDownReason])).toEqual([
      [1, 'alpha', 'http://alpha.example/', true, false, ''],
      [2, 'beta', 'https://beta.example/', false, false, 'Connection refused'],
    ]);
    expect(await redis.hget('MIRROR_1', 'ID')).toBe('1');
    expect((await redis.smembers('MIRRORFILES_1')).sort()).toEqual(['/dir with space/y z', '/x.iso']);
    expect(await redis.smembers('HANDLEDFILES_1')).toEqual(['/x.iso']);
    expect(await redis.hgetall('FILEINFO_1_/dir with space/y z')).toEqual({ size: '3', modTime: T });
    expect(await redis.hgetall('FILEINFO_2_/x.iso')).toEqual({ size: '10', modTime: T });
    expect((await redis.smembers('FILEMIRRORS_/x.iso')).sort()).toEqual(['1', '2']);
    expect(await redis.smembers('FILEMIRRORS_/dir with space/y z')).toEqual(['1']);
    expect(await redis.exists('FILEMIRRORS_/gone')).toBe(0);
    expect(await redis.hgetall('STATS_MIRROR_2015_10')).toEqual({ 1: '5', 2: '2' });
    expect(await redis.hgetall('STATS_MIRROR_BYTES_2015')).toEqual({ 2: '100' });
    expect(await redis.hgetall('STATS_FILE_2015')).toEqual({ '/x.iso': '7' });
    const leftovers = [
      'MIRROR_alpha', 'MIRROR_beta', 'MIRROR_alpha_FILES', 'HANDLEDFILES_alpha', 'FILEINFO_alpha_/x.iso', 'FILEINFO_beta_/x.iso',
    ];
    expect(await redis.exists(...leftovers)).toBe(0);
    expect(await redis.keys('V1_*')).toEqual([]);
    expect(await redis.keys('V2_*')).toEqual([]);
  });

  it('waits for an upgrade lock held by another node', async () => {
    await redis.set('MIRRORBITS_DB_VERSION', '1');
    await redis.hset('MIRRORS', '1', 'a');
    await redis.hset('MIRROR_1', 'ID', '1', 'name', 'a', 'http', 'http://a/', 'up', '1');
    await redis.set('LOCK_upgrade', '12345', 'PX', 400);
    const t0 = Date.now();
    expect(await ensureSchema(redis, { retryMs: 20 })).toBe(2);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    expect(await redis.hget('MIRROR_1', 'httpUp')).toBe('1');
  });
});

describe('ensureSchema while Redis loads its dataset', () => {
  it('retries LOADING replies until the dump is loaded, then reads the version', async () => {
    // A real redis-server slowed down while it reads its dump (5 ms per key, events served
    // during the load so that clients get -LOADING instead of waiting).
    const loading = await RedisServer.start({
      args: { 'enable-debug-command': 'local', 'key-load-delay': '5000', 'loading-process-events-interval-bytes': '1024' },
    });
    const { Redis: IORedis } = await import('ioredis');
    try {
      const setup = new IORedis(loading.port, '127.0.0.1');
      await setup.call('DEBUG', 'POPULATE', '300');
      await setup.set('MIRRORBITS_DB_VERSION', '2');
      await setup.save();
      setup.disconnect();
      await loading.restart(); // ~1.5 s of loading
      // No ready check: the client would otherwise wait through LOADING itself.
      const client = new IORedis(loading.port, '127.0.0.1', { enableReadyCheck: false });
      try {
        await expect(client.get('MIRRORBITS_DB_VERSION')).rejects.toThrow(/^LOADING/);
        const t0 = Date.now();
        expect(await ensureSchema(client, { retryMs: 50 })).toBe(2);
        expect(Date.now() - t0).toBeGreaterThan(100);
        expect(await client.dbsize()).toBe(301);
      } finally {
        client.disconnect();
      }
    } finally {
      await loading.stop();
    }
  }, 30_000);
});
