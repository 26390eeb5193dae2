/** PATCH /v1/mirrors/{ref}: change some fields (renaming allowed); answers the YAML line diff. */
import { mirrorToJson, parseMirrorPatch } from '@mirrorball/admin';
import { jsonBody, type AdminRoutes } from '../context.ts';

export function updateRoute(app: AdminRoutes): void {
  app.patch('/v1/mirrors/:ref', async (c) => {
    const m = await c.var.admin.resolve(c.req.param('ref'));
    const r = await c.var.admin.update(m.id, parseMirrorPatch(await jsonBody(c)));
    return c.json({ mirror: mirrorToJson(r.mirror), diff: r.diff });
  });
}
