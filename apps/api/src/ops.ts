/**
 * The admin listener: `/healthz` (process alive), `/readyz` (Redis reachable, schema version OK,
 * directory index loaded), `/metrics` (Prometheus), and the admin API under `/api`. No token for
 * the first three (CONTRIBUTING "Ports").
 */
import { Hono } from 'hono';
import type { ApiMetrics } from '@mirrorball/metrics';
import { metricsText } from '@mirrorball/metrics';
import { createAdminApi, type AdminApiOptions } from './admin/index.ts';

export interface OpsOptions {
  registry: ApiMetrics['registry'];
  /** true = ready, a string = the reason it is not. */
  ready: () => true | string;
  /** The admin API under /api (absent: every /api call answers 503). */
  adminApi?: AdminApiOptions;
}

export function createAdminApp(o: OpsOptions): Hono {
  const app = new Hono();
  const text = (body: string, status: 200 | 503) =>
    new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
  app.get('/healthz', () => text('ok\n', 200));
  app.get('/readyz', () => {
    const r = o.ready();
    return r === true ? text('ready\n', 200) : text(r + '\n', 503);
  });
  app.get('/metrics', async () => {
    const m = await metricsText(o.registry);
    return new Response(m.body, { headers: { 'Content-Type': m.contentType } });
  });
  app.route('/api', createAdminApi(o.adminApi));
  return app;
}
