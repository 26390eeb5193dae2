import { afterEach, describe, expect, it } from 'vitest';
import { createMetricsRegistry, startOpsServer, type OpsServer } from './index.ts';

let server: OpsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const url = (path: string) => `http://127.0.0.1:${server!.port}${path}`;

describe('ops server', () => {
  it('serves /healthz, /readyz and /metrics on a free port', async () => {
    const m = createMetricsRegistry('worker', { defaultMetrics: false });
    m.mirrorsUp.set({ protocol: 'https' }, 3);
    server = await startOpsServer({ host: '127.0.0.1', port: 0, registry: m.registry, ready: async () => true });
    expect(server.port).toBeGreaterThan(0);

    const h = await fetch(url('/healthz'));
    expect([h.status, await h.text()]).toEqual([200, 'ok\n']);
    const r = await fetch(url('/readyz'));
    expect([r.status, await r.text()]).toEqual([200, 'ready\n']);
    const me = await fetch(url('/metrics'));
    expect(me.status).toBe(200);
    expect(me.headers.get('content-type')).toBe(m.registry.contentType);
    expect(await me.text()).toContain('mirrorball_mirrors_up{protocol="https"} 3');
    const nf = await fetch(url('/nope'));
    expect(nf.status).toBe(404);
    const post = await fetch(url('/metrics'), { method: 'POST' });
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
  });

  it('answers 503 with the reason when not ready, and when the check throws or hangs', async () => {
    const m = createMetricsRegistry('scanner', { defaultMetrics: false });
    let state: () => Promise<boolean | string> = async () => 'redis not connected';
    server = await startOpsServer({ host: '127.0.0.1', port: 0, registry: m.registry, ready: () => state(), readyTimeoutMs: 100 });
    let r = await fetch(url('/readyz'));
    expect([r.status, await r.text()]).toEqual([503, 'redis not connected\n']);
    state = async () => false;
    r = await fetch(url('/readyz'));
    expect([r.status, await r.text()]).toEqual([503, 'not ready\n']);
    state = async () => {
      throw new Error('boom');
    };
    r = await fetch(url('/readyz'));
    expect([r.status, await r.text()]).toEqual([503, 'readiness check failed: boom\n']);
    state = () => new Promise(() => {});
    r = await fetch(url('/readyz'));
    expect([r.status, await r.text()]).toEqual([503, 'readiness check timed out after 100 ms\n']);
    // Liveness is independent of readiness.
    expect((await fetch(url('/healthz'))).status).toBe(200);
    state = async () => true;
    expect((await fetch(url('/readyz'))).status).toBe(200);
  });

  it('lets extra routes through and refuses a busy port with an error', async () => {
    const m = createMetricsRegistry('api', { defaultMetrics: false });
    server = await startOpsServer({
      host: '127.0.0.1',
      port: 0,
      registry: m.registry,
      ready: () => true,
      extra: (req, res) => {
        if (req.url !== '/hello') return false;
        res.end('hi');
        return true;
      },
    });
    expect(await (await fetch(url('/hello'))).text()).toBe('hi');
    expect((await fetch(url('/other'))).status).toBe(404);
    await expect(startOpsServer({ host: '127.0.0.1', port: server.port, registry: m.registry, ready: () => true })).rejects.toThrow(/EADDRINUSE/);
  });
});
