import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { RedisServer } from '@mirrorball/testing';
import { DownloadCounter } from './counter.ts';

let srv: RedisServer;
let redis: Redis;
beforeAll(async () => {
  srv = await RedisServer.start();
  redis = new Redis(srv.port, '127.0.0.1', { maxRetriesPerRequest: 1, retryStrategy: () => 50 });
  redis.on('error', () => undefined);
});
afterAll(async () => {
  redis.disconnect();
  await srv.stop();
});

const T = Date.UTC(2026, 10, 25, 20, 0, 0);

describe('DownloadCounter', () => {
  it('aggregates and writes the Mirrorbits stats keys in one flush', async () => {
    const c = new DownloadCounter(redis);
    for (let i = 0; i < 3; i++) c.record('/a.iso', 3, 1000, T);
    c.record('/b.iso', 0, 10, T);
    c.record('/b.iso', -1, 10, Date.UTC(2026, 10, 26, 0, 0, 1));
    expect(await c.flush()).toBe(true);
    expect(await redis.hget('STATS_FILE_2026_11_25', '/a.iso')).toBe('3');
    expect(await redis.hget('STATS_FILE_2026_11', '/b.iso')).toBe('2');
    expect(await redis.hget('STATS_FILE_2026_11_26', '/b.iso')).toBe('1');
    expect(await redis.hget('STATS_FILE', '/a.iso')).toBe('3');
    expect(await redis.get('STATS_TOTAL')).toBe('5');
    expect(await redis.hget('STATS_MIRROR_2026', '3')).toBe('3');
    expect(await redis.hget('STATS_MIRROR_BYTES_2026_11_25', '3')).toBe('3000');
    expect(await redis.hget('STATS_MIRROR', '0')).toBe('1');
    expect(await redis.hget('STATS_MIRROR_BYTES', '-1')).toBe('10');
    expect(c.pending).toBe(0);
  });

  it('counts every download across full batches, mixed days and mirrors (records are batched before they are folded)', async () => {
    await redis.flushall();
    const c = new DownloadCounter(redis);
    const day2 = Date.UTC(2026, 10, 26, 0, 0, 1);
    for (let i = 0; i < 10_000; i++) c.record(i % 2 ? '/odd.iso' : '/even.iso', 1 + (i % 3), 5_000_000_000, i % 5 === 0 ? day2 : T);
    expect(c.pending).toBe(10_000);
    expect(await c.flush()).toBe(true);
    expect(await redis.get('STATS_TOTAL')).toBe('10000');
    expect(await redis.hget('STATS_FILE', '/odd.iso')).toBe('5000');
    expect(await redis.hget('STATS_FILE_2026_11_26', '/even.iso')).toBe('1000'); // i ≡ 0 (mod 10)
    expect(await redis.hget('STATS_FILE_2026_11_25', '/even.iso')).toBe('4000');
    expect(await redis.hget('STATS_MIRROR', '1')).toBe('3334');
    expect(await redis.hget('STATS_MIRROR_BYTES', '1')).toBe(String(3334 * 5_000_000_000));
    expect(c.pending).toBe(0);
  });

  it('keeps the aggregate while Redis is down and writes it after recovery', async () => {
    await redis.flushall();
    const errors: unknown[] = [];
    const c = new DownloadCounter(redis, { onError: (e) => errors.push(e) });
    c.record('/x', 1, 5, T);
    await srv.kill();
    expect(await c.flush()).toBe(false);
    c.record('/x', 1, 5, T);
    expect(await c.flush()).toBe(false);
    expect(errors).toHaveLength(1);
    expect(c.pending).toBe(2);
    await srv.restart();
    await new Promise((r) => setTimeout(r, 300));
    expect(await c.stop(5000)).toBe(true);
    expect(await redis.hget('STATS_FILE_2026_11_25', '/x')).toBe('2');
    expect(await redis.hget('STATS_MIRROR_BYTES_2026_11_25', '1')).toBe('10');
  });
});
