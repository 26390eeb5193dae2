import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RedisServer } from '@mirrorball/testing';
import { clearStaleContentResults, decodeRangeHash, readContentRecord, recordContentResult } from './content.ts';
import { CHANNELS } from './keys.ts';

const H = 'a'.repeat(64);

describe('content-check records', () => {
  let server: RedisServer;
  let redis: Redis;
  beforeAll(async () => {
    server = await RedisServer.start();
    redis = new Redis(server.port, '127.0.0.1');
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });
  beforeEach(async () => {
    await redis.flushall();
  });

  it('decodes range-hash records and rejects malformed ones', () => {
    expect(decodeRangeHash(['2x4', '0-3,10-13', `${H},${'B'.repeat(64)}`])).toEqual([
      { start: 0, end: 3, sha256: H }, { start: 10, end: 13, sha256: 'b'.repeat(64) },
    ]);
    expect(decodeRangeHash([null, null, null])).toBeNull();
    expect(decodeRangeHash(['1x4', '0-3,4-7', H])).toBeNull();
    expect(decodeRangeHash(['1x4', '5-3', H])).toBeNull();
    expect(decodeRangeHash(['1x4', '0-3', 'xyz'])).toBeNull();
  });

  it('mismatch joins CONTENTBAD and publishes; a match leaves it; a changed file is cleared after a scan', async () => {
    const sub = new Redis(server.port, '127.0.0.1');
    const msgs: string[] = [];
    await sub.subscribe(CHANNELS.mirrorFileUpdate);
    sub.on('message', (_c: string, m: string) => msgs.push(m));
    await redis.hset('FILEINFO_3_/a b', 'size', '10', 'modTime', 'T1');
    const rec = { checkedAt: 100, detail: 'range 0-3', size: '10', modTime: 'T1' };
    expect(await recordContentResult(redis, 3, '/a b', { ...rec, result: 'mismatch' })).toBe(true);
    expect(await redis.smembers('MIRRORBALL_CONTENTBAD_3')).toEqual(['/a b']);
    expect(await readContentRecord(redis, 3, '/a b')).toEqual({ ...rec, result: 'mismatch' });
    expect(await recordContentResult(redis, 3, '/a b', { ...rec, result: 'mismatch' })).toBe(false);
    expect(await recordContentResult(redis, 3, '/a b', { ...rec, result: 'ok', detail: '' })).toBe(true);
    expect(await redis.scard('MIRRORBALL_CONTENTBAD_3')).toBe(0);
    expect(await redis.ttl('MIRRORBALL_CONTENT_3_/a b')).toBeGreaterThan(0);

    await recordContentResult(redis, 3, '/a b', { ...rec, result: 'mismatch' });
    expect(await clearStaleContentResults(redis, 3)).toEqual([]);
    await redis.hset('FILEINFO_3_/a b', 'modTime', 'T2');
    expect(await clearStaleContentResults(redis, 3)).toEqual(['/a b']);
    expect(await redis.exists('MIRRORBALL_CONTENT_3_/a b', 'MIRRORBALL_CONTENTBAD_3')).toBe(0);
    await new Promise((r) => setTimeout(r, 50));
    expect(msgs).toEqual(['3 /a b', '3 /a b', '3 /a b', '3 /a b']);
    sub.disconnect();
  });
});
