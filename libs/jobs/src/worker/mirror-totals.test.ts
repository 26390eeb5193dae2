import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisServer } from '@mirrorball/testing';
import { createMetricsRegistry } from '@mirrorball/metrics';
import { setHealthState, setMirrorEnabled } from '@mirrorball/redis';
import { Redis } from 'ioredis';
import { countMirrorTotals, MirrorTotalsGauge } from './mirror-totals.ts';
import { makeMirror } from './testkit.ts';

describe('mirror up/down totals against a real redis-server', () => {
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

  it('counts enabled mirrors once per protocol their URL serves, from the recorded state', async () => {
    expect(await countMirrorTotals(redis)).toEqual({ up: { http: 0, https: 0 }, down: { http: 0, https: 0 } });
    const a = await makeMirror(redis, { httpURL: 'http://a.example/pub/', enabled: true });
    await setHealthState(redis, a.id, 'http', true, '');
    const b = await makeMirror(redis, { httpURL: 'https://b.example/pub/', enabled: true });
    await setHealthState(redis, b.id, 'https', false, 'Unreachable');
    const c = await makeMirror(redis, { httpURL: 'c.example/pub/', enabled: true });
    await setHealthState(redis, c.id, 'http', true, '');
    await setHealthState(redis, c.id, 'https', false, 'Unreachable');
    const d = await makeMirror(redis, { httpURL: 'http://d.example/', enabled: false }); // disabled: not counted
    await setHealthState(redis, d.id, 'http', true, '');
    await makeMirror(redis, { rsyncURL: 'rsync://e.example/pub/', enabled: true }); // nothing to check
    const unchecked = await makeMirror(redis, { httpURL: 'https://f.example/', enabled: true });
    expect(await countMirrorTotals(redis)).toEqual({ up: { http: 2, https: 0 }, down: { http: 0, https: 3 } });

    const metrics = createMetricsRegistry('worker', { defaultMetrics: false });
    const gauge = new MirrorTotalsGauge(redis, metrics);
    await Promise.all([gauge.refresh(), gauge.refresh()]);
    const text = await metrics.registry.metrics();
    expect(text).toContain('mirrorball_mirrors_up{protocol="http"} 2');
    expect(text).toContain('mirrorball_mirrors_up{protocol="https"} 0');
    expect(text).toContain('mirrorball_mirrors_down{protocol="http"} 0');
    expect(text).toContain('mirrorball_mirrors_down{protocol="https"} 3');

    await setMirrorEnabled(redis, unchecked.id, false);
    await gauge.refresh();
    expect(await metrics.registry.metrics()).toContain('mirrorball_mirrors_down{protocol="https"} 2');

    // Redis gone: the refresh fails and the last values stay.
    await server.kill();
    await expect(gauge.refresh()).rejects.toThrow();
    expect(await metrics.registry.metrics()).toContain('mirrorball_mirrors_down{protocol="https"} 2');
    await server.restart();
  });
});
