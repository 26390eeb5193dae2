import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetricsRegistry } from '@mirrorball/metrics';
import { syncMetrics } from './metrics.ts';
import { createAdminApp } from './ops.ts';
import { startApi, type ApiHarness } from './test-harness.ts';

let api: ApiHarness;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});

describe('admin listener: /healthz, /readyz, /metrics', () => {
  it('reports readiness and the api metrics', async () => {
    const metrics = createMetricsRegistry('api', { defaultMetrics: false });
    let ready: true | string = 'waiting for Redis';
    const app = createAdminApp({ registry: metrics.registry, ready: () => ready });
    expect((await app.request('/healthz')).status).toBe(200);
    const nr = await app.request('/readyz');
    expect(nr.status).toBe(503);
    expect(await nr.text()).toBe('waiting for Redis\n');
    ready = true;
    expect((await app.request('/readyz')).status).toBe(200);

    await api.get('/README.txt', { 'X-Forwarded-For': '89.160.20.112' });
    await api.get('/README.txt', { 'X-Forwarded-For': '89.160.20.112' });
    await api.get('/README.txt?sha256');
    await api.get('/nonexistent');
    await api.get('/only-local.bin');
    const stop = syncMetrics(api.ctx, metrics, {}, 10_000);
    stop();
    const text = await (await app.request('/metrics')).text();
    expect(text).toContain('mirrorball_http_requests_total{type="redirect",status="302",method="GET"} 2');
    expect(text).toContain('mirrorball_http_requests_total{type="checksum",status="200",method="GET"} 1');
    expect(text).toContain('mirrorball_http_requests_total{type="other",status="404",method="GET"} 1');
    expect(text).toContain('mirrorball_no_mirror_total 1');
    expect(text).toMatch(/mirrorball_cache_entries\{cache="view"\} [1-9]/);
    expect(text).toContain('mirrorball_redis_up 1');
  });
});
