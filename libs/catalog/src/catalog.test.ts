import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { loadRedisDump, parseRedisDump, RedisServer } from '@mirrorball/testing';
import { attachInvalidation, Catalog, CatalogUnavailableError, DirectoryIndex, Lru } from './index.ts';

let srv: RedisServer;
let redis: Redis;
let sub: Redis;
const dump = parseRedisDump(fs.readFileSync(new URL('../testdata/10-redis-dump.txt', import.meta.url), 'utf8'));
const DEB = '/pool/main/h/hello/hello_2.10-3_amd64.deb';

beforeAll(async () => {
  srv = await RedisServer.start();
  redis = new Redis(srv.port, '127.0.0.1', { maxRetriesPerRequest: 1, retryStrategy: () => 50 });
  sub = new Redis(srv.port, '127.0.0.1', { retryStrategy: () => 50 });
  redis.on('error', () => undefined);
  sub.on('error', () => undefined);
  await loadRedisDump((a) => redis.call(a[0]!, ...a.slice(1)), dump);
});
afterAll(async () => {
  redis.disconnect();
  sub.disconnect();
  await srv.stop();
});

describe('Lru', () => {
  it('evicts least recently used entries past the budget', () => {
    const l = new Lru<string, number>(3);
    l.set('a', 1); l.set('b', 2); l.set('c', 3);
    l.get('a');
    l.set('d', 4);
    expect(l.has('b')).toBe(false);
    expect(l.has('a')).toBe(true);
    expect(l.delete('a')).toBe(true);
    expect(l.delete('a')).toBe(false);
    l.clear();
    expect(l.size).toBe(0);
  });
});

describe('Catalog', () => {
  it('loads a path in two round trips, then serves it from memory', async () => {
    const c = new Catalog(redis);
    const v = await c.getPath(DEB);
    expect(c.redisRoundTrips).toBe(2);
    expect(v.file.exists).toBe(true);
    expect(v.file.info.size).toBe(262144);
    expect(v.file.digest).toBe('SHA-256=' + Buffer.from('6bd095fd5c901e75323414c4b542125cc4b494dd535680eafe50bb844af99eb7', 'hex').toString('base64'));
    expect(v.candidates.map((x) => x.mirror.name).sort()).toEqual(['gb-mirror', 'se-mirror', 'us-mirror']);
    expect(v.mirrors.find((m) => m.mirror.id === 2)!.geo).toBe('us');
    expect(c.peekPath(DEB)).toBeDefined();
    await c.getPath(DEB);
    expect(c.redisRoundTrips).toBe(2);
  });

  it('single-flights a cold burst', async () => {
    const c = new Catalog(redis);
    await Promise.all(Array.from({ length: 50 }, () => c.getPath('/README.txt')));
    expect(c.redisRoundTrips).toBe(2);
  });

  it('caches negative entries', async () => {
    const c = new Catalog(redis);
    const v = await c.getPath('/nope');
    expect(v.file.exists).toBe(false);
    expect(v.candidates).toEqual([]);
    await c.getPath('/nope');
    expect(c.redisRoundTrips).toBe(1);
  });

  it('is invalidated by pub/sub and cleared on reconnection', async () => {
    const c = new Catalog(redis);
    const inv = attachInvalidation(sub, c);
    await inv.ready;
    await c.getPath(DEB);
    await redis.hset('MIRROR_3', 'name', 'se-renamed');
    await redis.publish('_mirrorbits_mirror_update', '3');
    await new Promise((r) => setTimeout(r, 100));
    expect(c.peekPath(DEB)).toBeUndefined();
    const trips = c.redisRoundTrips;
    const v = await c.getPath(DEB);
    // Only the dropped mirror record is fetched again: one round trip.
    expect(c.redisRoundTrips).toBe(trips + 1);
    expect(v.candidates.map((x) => x.mirror.name)).toContain('se-renamed');
    await redis.publish('_mirrorbits_mirror_file_update', '3 ' + DEB);
    await redis.publish('_mirrorbits_file_update', DEB);
    await new Promise((r) => setTimeout(r, 100));
    expect(c.fileMirrors.has(DEB)).toBe(false);
    expect(c.files.has(DEB)).toBe(false);
    await redis.hset('MIRROR_3', 'name', 'se-mirror');
    await inv.stop();
  });

  it('keeps serving cached entries while Redis is down; misses fail fast', async () => {
    const c = new Catalog(redis);
    await c.getPath(DEB);
    await srv.kill();
    await new Promise((r) => setTimeout(r, 50));
    expect(c.peekPath(DEB)?.file.exists).toBe(true);
    const t0 = Date.now();
    await expect(c.getPath('/README.txt')).rejects.toBeInstanceOf(CatalogUnavailableError);
    expect(Date.now() - t0).toBeLessThan(500);
    await srv.restart();
    await loadRedisDump((a) => redis.call(a[0]!, ...a.slice(1)), dump).catch(async () => {
      await new Promise((r) => setTimeout(r, 300));
      await loadRedisDump((a) => redis.call(a[0]!, ...a.slice(1)), dump);
    });
    expect((await c.getPath('/README.txt')).file.exists).toBe(true);
  });
});

describe('DirectoryIndex', () => {
  it('knows every directory prefix of FILES', async () => {
    const d = new DirectoryIndex(redis);
    await d.load();
    expect(d.isDirectory('/')).toBe(true);
    expect(d.isDirectory('/pool')).toBe(true);
    expect(d.isDirectory('/pool/')).toBe(true);
    expect(d.isDirectory('/pool/main/h/hello')).toBe(true);
    expect(d.isDirectory('/dir with space')).toBe(true);
    expect(d.isDirectory('/README.txt')).toBe(false);
    expect(d.isDirectory('/po')).toBe(false);
    expect(d.fileCount).toBe(10);
  });
});
