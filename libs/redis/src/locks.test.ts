import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { RedisServer } from '@mirrorball/testing';
import { createRedis } from './connection.ts';
import { ClusterLock, isLockHeld, UpgradeLock } from './locks.ts';

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
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ClusterLock', () => {
  it('is exclusive, refreshes its TTL, and releases with DEL', async () => {
    const a = ClusterLock.forMirrorScan(redis, 3, { ttlSec: 2, refreshMs: 300 });
    const b = ClusterLock.forMirrorScan(redis, 3, { ttlSec: 2 });
    expect(await a.tryAcquire()).toBe(true);
    expect(await redis.get('SCANNING_3')).toBe('1');
    expect(await b.tryAcquire()).toBe(false);
    expect(await isLockHeld(redis, 'SCANNING_3')).toBe(true);
    await sleep(2500); // longer than the TTL: only the refresh keeps it
    expect(await isLockHeld(redis, 'SCANNING_3')).toBe(true);
    await a.release();
    expect(await isLockHeld(redis, 'SCANNING_3')).toBe(false);
    expect(await b.tryAcquire()).toBe(true);
    await b.release();
  });

  it('uses the exact Mirrorbits commands (SET NX EX 10) and reports a vanished key', async () => {
    let lost = false;
    const l = ClusterLock.forSourceSync(redis, { refreshMs: 100, onLost: () => (lost = true) });
    expect(await l.tryAcquire()).toBe(true);
    const ttl = await redis.ttl('SOURCE_REPO_SYNC');
    expect(ttl).toBeGreaterThan(8);
    expect(ttl).toBeLessThanOrEqual(10);
    await redis.del('SOURCE_REPO_SYNC');
    await sleep(300);
    expect(lost).toBe(true);
    expect(l.held).toBe(false);
  });
});

describe('UpgradeLock', () => {
  it('keeps the key alive, and releases only if it is still ours', async () => {
    const a = new UpgradeLock(redis, { ttlMs: 600, keepAliveMs: 150 });
    const b = new UpgradeLock(redis, { ttlMs: 600 });
    expect(await a.tryAcquire()).toBe(true);
    expect(await redis.get('LOCK_upgrade')).toBe(a.value);
    expect(await b.tryAcquire()).toBe(false);
    await sleep(1000);
    expect(await redis.get('LOCK_upgrade')).toBe(a.value);
    const pttl = await redis.pttl('LOCK_upgrade');
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(600);
    // Someone else takes over (our lock expired meanwhile, simulated): our release must not delete theirs.
    await redis.set('LOCK_upgrade', 'someone-else');
    await sleep(300);
    expect(a.held).toBe(false);
    await a.release();
    expect(await redis.get('LOCK_upgrade')).toBe('someone-else');
    await redis.del('LOCK_upgrade');
    await b.acquire(50, 2000);
    await b.release();
    expect(await redis.exists('LOCK_upgrade')).toBe(0);
  });
});
