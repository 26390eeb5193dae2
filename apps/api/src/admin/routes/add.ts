/** POST /v1/mirrors: add a mirror (disabled), located by DNS + GeoIP of its HTTP host. */
import { mirrorToJson, parseMirrorPatch } from '@mirrorball/admin';
import { jsonBody, type AdminRoutes } from '../context.ts';

export function addRoute(app: AdminRoutes): void {
  app.post('/v1/mirrors', async (c) => {
    const r = await c.var.admin.add(parseMirrorPatch(await jsonBody(c)));
    return c.json({ mirror: mirrorToJson(r.mirror), location: r.location, warnings: r.warnings }, 201);
  });
}
