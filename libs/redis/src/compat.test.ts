/**
 * A database written by Mirrorbits v0.6.1 (capture 10, loaded with raw commands) read and
 * re-written through this library: nothing a Go node relies on may change.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { loadRedisDump, parseRedisDump, RedisServer } from '@mirrorball/testing';
import { decodeFileInfo, FILE_FIELDS } from './codec.ts';
import { createRedis } from './connection.ts';
import { keys } from './keys.ts';
import { readMirrorLogs, renderMirrorLog } from './logs.ts';
import { getMirror, listMirrors, updateMirror } from './mirrors.ts';
import { ensureSchema } from './schema.ts';
import { readFileStats } from './stats.ts';

const dump = parseRedisDump(fs.readFileSync(new URL('../testdata/10-redis-dump.txt', import.meta.url), 'utf8'));
let srv: RedisServer;
let redis: Redis;
beforeAll(async () => {
  srv = await RedisServer.start();
  redis = createRedis({ RedisAddress: srv.address }, { purpose: 'main' });
  await loadRedisDump((args) => redis.call(args[0]!, ...args.slice(1)), dump);
});
afterAll(async () => {
  redis.disconnect();
  await srv.stop();
});

describe('Mirrorbits v0.6.1 database', () => {
  it('is accepted as schema 2 without changes', async () => {
    const before = (await redis.keys('*')).sort();
    expect(await ensureSchema(redis)).toBe(2);
    expect((await redis.keys('*')).sort()).toEqual(before);
  });

  it('reads mirrors, files, logs and stats', async () => {
    const mirrors = await listMirrors(redis);
    expect(mirrors.map((m) => [m.id, m.name, m.httpUp, m.enabled])).toEqual([[1, 'gb-mirror', true, true], [2, 'us-mirror', true, true], [3, 'se-mirror', true, true]]);
    const f = decodeFileInfo('/iso/demo-1.0-amd64.iso', await redis.hmget(keys.file('/iso/demo-1.0-amd64.iso'), ...FILE_FIELDS));
    expect(f.size).toBe(4194304);
    expect(f.md5).toBe('c99828115dfeca8ffff657a89eaa8c7d');
    expect((await redis.smembers(keys.fileMirrors('/iso/demo-1.0-amd64.iso'))).sort()).toEqual(['1', '2']);
    expect((await readMirrorLogs(redis, 2, 3)).map(renderMirrorLog)).toEqual([
      '2026-11-25 20:27:06 UTC: Scan completed: 9 files (9 known), 0 removed',
      '2026-11-25 20:27:06 UTC: Mirror enabled',
      '2026-11-25 20:27:07 UTC: HTTP mirror is up',
    ]);
    expect(await readFileStats(redis, '/pool/main/h/hello/hello_2.10-3_amd64.deb', new Date('2026-11-25T23:00:00Z'))).toEqual({ today: 10, month: 10, year: 10, total: 10 });
  });

  it('re-saving a mirror unchanged leaves its record byte-identical', async () => {
    for (const id of [1, 2, 3]) {
      const before = await redis.hgetall(keys.mirror(id));
      await updateMirror(redis, (await getMirror(redis, id))!);
      expect(await redis.hgetall(keys.mirror(id))).toEqual(before);
    }
    expect(await redis.hgetall(keys.mirrors)).toEqual({ 1: 'gb-mirror', 2: 'us-mirror', 3: 'se-mirror' });
  });
});
