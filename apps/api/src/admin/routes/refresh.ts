/** POST /v1/refresh {rehash, timeout}: index the repository again (scanner job) and wait. */
import { boolField, jsonBody, numberField, onlyKeys, type AdminRoutes } from '../context.ts';

export function refreshRoute(app: AdminRoutes): void {
  app.post('/v1/refresh', async (c) => {
    const body = await jsonBody(c, true);
    onlyKeys(body, ['rehash', 'timeout']);
    await c.var.admin.refresh(boolField(body, 'rehash', false), numberField(body, 'timeout', 0));
    return c.json({ ok: true });
  });
}
