/**
 * The admin API, mounted at `/api` on AdminListenAddress: Mirrorbits' operations as JSON over
 * HTTP, every call behind `Authorization: Bearer <AdminToken>`. Errors are JSON
 * `{error, field?}` with 400 (bad input), 401, 404 (unknown mirror), 409 (name taken), 503.
 */
import { AdminError, type Admin } from '@mirrorball/admin';
import { Hono } from 'hono';
import { bearerAuth } from './auth.ts';
import type { AdminEnv } from './context.ts';
import { OPENAPI } from './openapi.ts';
import { addRoute } from './routes/add.ts';
import { enableRoutes } from './routes/enable.ts';
import { exportRoute } from './routes/export.ts';
import { geoUpdateRoute } from './routes/geoupdate.ts';
import { logsRoute } from './routes/logs.ts';
import { mirrorReadRoutes } from './routes/mirrors.ts';
import { refreshRoute } from './routes/refresh.ts';
import { removeRoute } from './routes/remove.ts';
import { scanRoute } from './routes/scan.ts';
import { serverRoutes } from './routes/server.ts';
import { statsRoutes } from './routes/stats.ts';
import { updateRoute } from './routes/update.ts';

export interface AdminApiOptions {
  admin: Admin;
  /** AdminToken; empty disables the API (503). */
  token: string;
  onError?: (err: unknown) => void;
}

export function createAdminApi(o?: AdminApiOptions): Hono {
  const api = new Hono<AdminEnv>();
  api.use('*', bearerAuth(o?.token ?? ''));
  if (!o) return api as unknown as Hono;
  api.use('*', async (c, next) => {
    c.set('admin', o.admin);
    await next();
  });
  api.get('/v1/openapi.json', (c) => c.json(OPENAPI));
  serverRoutes(api);
  mirrorReadRoutes(api);
  addRoute(api);
  updateRoute(api);
  removeRoute(api);
  enableRoutes(api);
  geoUpdateRoute(api);
  scanRoute(api);
  refreshRoute(api);
  statsRoutes(api);
  logsRoute(api);
  exportRoute(api);
  api.notFound((c) => c.json({ error: `no such endpoint: ${c.req.method} ${c.req.path}` }, 404));
  api.onError((err, c) => {
    if (err instanceof AdminError) {
      return c.json(err.field ? { error: err.message, field: err.field } : { error: err.message }, err.status as 400);
    }
    o.onError?.(err);
    return c.json({ error: `internal error: ${(err as Error)?.message ?? String(err)}` }, 500);
  });
  return api as unknown as Hono;
}
