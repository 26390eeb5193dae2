/** GET /v1/version and POST /v1/reload. */
import type { AdminRoutes } from '../context.ts';

export function serverRoutes(app: AdminRoutes): void {
  app.get('/v1/version', (c) => c.json(c.var.admin.version()));
  app.post('/v1/reload', async (c) => {
    await c.var.admin.reload();
    return c.json({ ok: true });
  });
}
