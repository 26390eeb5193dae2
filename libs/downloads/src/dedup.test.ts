import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisServer } from '@mirrorball/testing';
import { RangeDedup } from './dedup.ts';

let srv: RedisServer;
let redis: Redis;
beforeAll(async () => {
  srv = await RedisServer.start();
  redis = new Redis(srv.port, '127.0.0.1');
});
afterAll(async () => {
  redis.disconnect();
  await srv.stop();
});

describe('RangeDedup', () => {
  it('uses the Mirrorbits key and counts a client/path once per interval, cluster-wide', async () => {
    const hex = createHash('sha256').update('1.2.3.4/curl').digest('hex');
    expect(RangeDedup.redisKey('1.2.3.4', 'curl', '/a.iso')).toBe(`DOWNLOADED_${hex}_/a.iso`);
    const pod1 = new RangeDedup(redis, { intervalSec: 600 });
    const pod2 = new RangeDedup(redis, { intervalSec: 600 });
    expect(await pod1.shouldCount('1.2.3.4', 'curl', '/a.iso')).toBe(true);
    expect(await pod1.shouldCount('1.2.3.4', 'curl', '/a.iso')).toBe(false); // local map
    expect(await pod2.shouldCount('1.2.3.4', 'curl', '/a.iso')).toBe(false); // via Redis
    expect(await pod1.shouldCount('1.2.3.4', 'wget', '/a.iso')).toBe(true);
    const ttl = await redis.ttl(`DOWNLOADED_${hex}_/a.iso`);
    expect(ttl).toBeGreaterThan(590);
    await redis.expire(`DOWNLOADED_${hex}_/a.iso`, 5);
    await pod1.flush(); // queued refresh restores the full interval
    expect(await redis.ttl(`DOWNLOADED_${hex}_/a.iso`)).toBeGreaterThan(590);
  });

  it('forgets expired local entries', async () => {
    const d = new RangeDedup(redis, { intervalSec: 1 });
    const now = Date.now();
    expect(await d.shouldCount('9.9.9.9', 'x', '/b', now)).toBe(true);
    await d.flush(now + 5000);
    expect(d.size).toBe(0);
  });
});
