/** POST /v1/mirrors/{ref}/enable and /disable. */
import { mirrorToJson } from '@mirrorball/admin';
import type { AdminRoutes } from '../context.ts';

export function enableRoutes(app: AdminRoutes): void {
  for (const [path, on] of [['enable', true], ['disable', false]] as const) {
    app.post(`/v1/mirrors/:ref/${path}`, async (c) => {
      const m = await c.var.admin.resolve(c.req.param('ref'));
      return c.json({ mirror: mirrorToJson(await c.var.admin.setEnabled(m.id, on)) });
    });
  }
}
