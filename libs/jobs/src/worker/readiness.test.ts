import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisServer } from '@mirrorball/testing';
import { ensureSchema, keys } from '@mirrorball/redis';
import { Redis } from 'ioredis';
import { WorkerReadiness } from './readiness.ts';

describe('worker readiness against a real redis-server', () => {
  let server: RedisServer;
  let redis: Redis;
  beforeAll(async () => {
    server = await RedisServer.start();
    redis = new Redis(server.port, '127.0.0.1', { maxRetriesPerRequest: 1, retryStrategy: () => 200 });
    redis.on('error', () => {});
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  it('reports schema changes after start at most once per re-check period, and Redis loss', async () => {
    let t = 1_000_000;
    const warnings: string[] = [];
    const r = new WorkerReadiness(redis, { recheckMs: 30_000, now: () => t, log: { warn: (m: string) => warnings.push(m), info: () => {} } });
    expect(await r.check()).toBe('database schema not checked yet');
    await ensureSchema(redis);
    r.schemaChecked();
    expect(await r.check()).toBe(true);

    // A newer Mirrorbits upgraded the database: not seen before the re-check is due (no extra GET per probe)…
    await redis.set(keys.dbVersion, '3');
    t += 29_000;
    expect(await r.check()).toBe(true);
    // …then reported, and logged once.
    t += 1_000;
    expect(await r.check()).toBe('unsupported database version 3, please upgrade Mirrorball');
    expect(await r.check()).toBe('unsupported database version 3, please upgrade Mirrorball');
    expect(warnings).toEqual(['worker not ready: unsupported database version 3, please upgrade Mirrorball']);

    await redis.set(keys.dbVersion, 'garbage');
    t += 30_000;
    expect(await r.check()).toMatch(/invalid database version "garbage"/);
    await redis.set(keys.dbVersion, '1');
    t += 30_000;
    expect(await r.check()).toMatch(/schema version 1, expected 2/);
    await redis.set(keys.dbVersion, '2');
    t += 30_000;
    expect(await r.check()).toBe(true);

    await server.kill();
    expect(await r.check()).toMatch(/^redis not answering/);
    await server.restart();
    await new Promise<void>((resolve) => (redis.status === 'ready' ? resolve() : redis.once('ready', () => resolve())));
    expect(await r.check()).toBe(true);
  });
});
