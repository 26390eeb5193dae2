import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { freePort, RedisSentinel, RedisServer } from '@mirrorball/testing';
import { checkServer, connectChecked, createRedis, parseRedisAddress, RedisConfigError, redisOptions, versionAtLeast, waitReady } from './connection.ts';

const tlsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../testdata/tls');
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});
function track<T extends { stop(): Promise<void> } | Redis>(x: T): T {
  cleanups.push(() => ('disconnect' in x ? x.disconnect() : x.stop()));
  return x;
}

describe('parseRedisAddress', () => {
  it('accepts host:port, URLs, IPv6 and unix sockets', () => {
    expect(parseRedisAddress('10.0.0.1:6380')).toEqual({ host: '10.0.0.1', port: 6380, tls: false });
    expect(parseRedisAddress('[::1]:7000')).toEqual({ host: '::1', port: 7000, tls: false });
    expect(parseRedisAddress('redis.local')).toEqual({ host: 'redis.local', port: 6379, tls: false });
    expect(parseRedisAddress('rediss://u:p%40ss@r.example:6390/4')).toMatchObject({ host: 'r.example', port: 6390, tls: true, username: 'u', password: 'p@ss', db: 4 });
    expect(parseRedisAddress('unix:/run/redis.sock')).toMatchObject({ path: '/run/redis.sock' });
  });

  it('rejects bad addresses with a clear error', () => {
    expect(() => parseRedisAddress('host:notaport')).toThrow(RedisConfigError);
    expect(() => parseRedisAddress('redis://h:1/x')).toThrow(/DB index/);
    expect(() => redisOptions({ RedisSentinels: [{ Host: 'a:1' }] }, { purpose: 'main' })).toThrow(/RedisSentinelMasterName/);
    expect(() => redisOptions({ RedisDB: -1 }, { purpose: 'main' })).toThrow(/RedisDB/);
  });

  it('sets the retry policy per purpose', () => {
    expect(redisOptions({}, { purpose: 'bullmq' }).maxRetriesPerRequest).toBeNull();
    expect(redisOptions({}, { purpose: 'main' }).maxRetriesPerRequest).toBe(1);
    expect(redisOptions({ RedisAddress: 'rediss://h' }, { purpose: 'main' }).tls).toEqual({});
    expect(redisOptions({ RedisTLS: true }, { purpose: 'main' }).tls).toEqual({});
  });

  it('compares versions numerically', () => {
    expect(versionAtLeast('3.2.0', [3, 2, 0])).toBe(true);
    expect(versionAtLeast('3.0.7', [3, 2, 0])).toBe(false);
    expect(versionAtLeast('10.0.0', [3, 2, 0])).toBe(true);
  });
});

describe('createRedis against real servers', () => {
  it('authenticates with RedisPassword, selects RedisDB and checks the server', async () => {
    const srv = track(await RedisServer.start({ args: { requirepass: 'pw' } }));
    const r = track(createRedis({ RedisAddress: srv.address, RedisPassword: 'pw', RedisDB: 3 }, { purpose: 'main' }));
    await waitReady(r);
    await r.set('k', 'v');
    const other = track(createRedis({ RedisAddress: `redis://:pw@${srv.address}/3` }, { purpose: 'main' }));
    expect(await other.get('k')).toBe('v');
    const db0 = track(createRedis({ RedisAddress: srv.address, RedisPassword: 'pw' }, { purpose: 'main' }));
    expect(await db0.get('k')).toBeNull();
    expect(await checkServer(r)).toEqual({ version: '7.0.15', role: 'master' });

    const noPw = track(createRedis({ RedisAddress: srv.address }, { purpose: 'main' }));
    await expect(waitReady(noPw, 1500)).rejects.toThrow(/NOAUTH|not ready/);
  });

  it('refuses a replica', async () => {
    const master = track(await RedisServer.start());
    const replica = track(await RedisServer.start({ args: { replicaof: `127.0.0.1 ${master.port}` } }));
    const r = track(createRedis({ RedisAddress: replica.address }, { purpose: 'main' }));
    await waitReady(r);
    await expect(checkServer(r)).rejects.toThrow(/replica, not a master/);
    await expect(connectChecked({ RedisAddress: replica.address }, { purpose: 'main' })).rejects.toThrow(/replica/);
    const ok = await connectChecked({ RedisAddress: master.address }, { purpose: 'main' });
    ok.redis.disconnect();
    expect(ok.server.role).toBe('master');
  });

  it('fails fast on a dead server instead of hanging, and recovers', async () => {
    const srv = track(await RedisServer.start());
    const r = track(createRedis({ RedisAddress: srv.address }, { purpose: 'main' }));
    await waitReady(r);
    await srv.kill();
    const t0 = Date.now();
    await expect(r.get('x')).rejects.toThrow();
    expect(Date.now() - t0).toBeLessThan(8000);
    await srv.restart();
    await waitReady(r, 10_000);
    expect(await r.ping()).toBe('PONG');
  });

  for (const sentinelPassword of [undefined, 'spw']) {
    it(`finds the master through Sentinel ${sentinelPassword ? 'with' : 'without'} a sentinel password`, async () => {
      const master = track(await RedisServer.start({ args: { requirepass: 'mpw' } }));
      const sentinel = track(await RedisSentinel.start({ masterPort: master.port, masterPassword: 'mpw', password: sentinelPassword }));
      const cfg = {
        RedisAddress: '127.0.0.1:1', RedisPassword: 'mpw', RedisDB: 2,
        RedisSentinels: [{ Host: sentinel.address }], RedisSentinelMasterName: 'mymaster', RedisSentinelPassword: sentinelPassword,
      };
      const r = track(createRedis(cfg, { purpose: 'main' }));
      await waitReady(r);
      await r.set('via-sentinel', '1');
      const direct = track(createRedis({ RedisAddress: master.address, RedisPassword: 'mpw', RedisDB: 2 }, { purpose: 'main' }));
      expect(await direct.get('via-sentinel')).toBe('1');
      expect((await checkServer(r)).role).toBe('master');
      if (sentinelPassword) {
        const wrong = track(createRedis({ ...cfg, RedisSentinelPassword: 'nope' }, { purpose: 'main' }));
        await expect(waitReady(wrong, 1500)).rejects.toThrow();
      }
    });
  }

  it('follows a Sentinel fail-over to the promoted replica', async () => {
    const master = track(await RedisServer.start());
    const replica = track(await RedisServer.start({ args: { replicaof: `127.0.0.1 ${master.port}` } }));
    const sentinel = track(await RedisSentinel.start({ masterPort: master.port }));
    const r = track(createRedis({ RedisSentinels: [{ Host: sentinel.address }], RedisSentinelMasterName: 'mymaster' }, { purpose: 'main' }));
    await waitReady(r);
    await r.set('before', '1');
    const admin = track(createRedis({ RedisAddress: sentinel.address }, { purpose: 'main' }));
    // The sentinel learns about the replica from the master's INFO; wait until it does.
    for (let i = 0; i < 100; i++) {
      const replicas = (await admin.call('SENTINEL', 'REPLICAS', 'mymaster')) as unknown[];
      if (replicas.length > 0 && String(await admin.call('SENTINEL', 'FAILOVER', 'mymaster').catch((e) => e)) === 'OK') break;
      await new Promise((res) => setTimeout(res, 200));
    }
    for (let i = 0; i < 100; i++) {
      const addr = (await admin.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'mymaster')) as string[];
      if (addr[1] === String(replica.port)) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    // Demote the old master as the sentinel eventually does (it waits for its next INFO round),
    // so a write that still reaches it fails with READONLY and makes the client re-ask the sentinels.
    const old = track(createRedis({ RedisAddress: master.address }, { purpose: 'main' }));
    await old.call('REPLICAOF', '127.0.0.1', String(replica.port));
    let ok = false;
    for (let i = 0; i < 100 && !ok; i++) {
      ok = (await r.set('after', '1').catch(() => null)) === 'OK';
      if (!ok) await new Promise((res) => setTimeout(res, 100));
    }
    expect(ok).toBe(true);
    const direct = track(createRedis({ RedisAddress: replica.address }, { purpose: 'main' }));
    expect(await direct.get('after')).toBe('1');
    expect((await checkServer(direct)).role).toBe('master');
  }, 30_000);

  it('falls back to RedisAddress when no sentinel answers (Mirrorbits rule)', async () => {
    const srv = track(await RedisServer.start());
    const deadSentinel = await freePort();
    let fellBack: Error | null = null;
    const r = track(createRedis(
      { RedisAddress: srv.address, RedisSentinels: [{ Host: `127.0.0.1:${deadSentinel}` }], RedisSentinelMasterName: 'mymaster' },
      { purpose: 'main', onSentinelFallback: (e) => (fellBack = e) },
    ));
    await waitReady(r);
    await r.set('fallback', 'yes');
    const direct = track(createRedis({ RedisAddress: srv.address }, { purpose: 'main' }));
    expect(await direct.get('fallback')).toBe('yes');
    expect(String(fellBack)).toMatch(/All sentinels are unreachable/);
  });

  it('connects over TLS (rediss://) with the server CA', async () => {
    const tlsPort = await freePort();
    const srv = track(await RedisServer.start({ args: {
      'tls-port': String(tlsPort), 'tls-cert-file': path.join(tlsDir, 'server.crt'), 'tls-key-file': path.join(tlsDir, 'server.key'),
      'tls-ca-cert-file': path.join(tlsDir, 'server.crt'), 'tls-auth-clients': 'no',
    } }));
    void srv;
    const fs = await import('node:fs');
    const ca = fs.readFileSync(path.join(tlsDir, 'server.crt'));
    const r = track(createRedis({ RedisAddress: `rediss://127.0.0.1:${tlsPort}` }, { purpose: 'main', tls: { ca } }));
    await waitReady(r);
    expect(await r.ping()).toBe('PONG');
    const untrusted = track(createRedis({ RedisAddress: `127.0.0.1:${tlsPort}`, RedisTLS: true }, { purpose: 'main' }));
    await expect(waitReady(untrusted, 1500)).rejects.toThrow();
  });
});
