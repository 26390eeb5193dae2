/** DELETE /v1/mirrors/{ref}: remove a mirror and its file records (statistics are kept). */
import type { AdminRoutes } from '../context.ts';

export function removeRoute(app: AdminRoutes): void {
  app.delete('/v1/mirrors/:ref', async (c) => {
    const m = await c.var.admin.resolve(c.req.param('ref'));
    await c.var.admin.remove(m.id);
    return c.json({ removed: m.id, name: m.name });
  });
}
