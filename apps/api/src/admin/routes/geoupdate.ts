/** POST /v1/mirrors/{ref}/geoupdate {save}: re-geolocate; saves only when `save` is true. */
import { mirrorToJson } from '@mirrorball/admin';
import { boolField, jsonBody, onlyKeys, type AdminRoutes } from '../context.ts';

export function geoUpdateRoute(app: AdminRoutes): void {
  app.post('/v1/mirrors/:ref/geoupdate', async (c) => {
    const body = await jsonBody(c, true);
    onlyKeys(body, ['save']);
    const m = await c.var.admin.resolve(c.req.param('ref'));
    const r = await c.var.admin.geoUpdate(m.id, boolField(body, 'save', false));
    return c.json({ mirror: mirrorToJson(r.mirror), diff: r.diff, warnings: r.warnings, saved: boolField(body, 'save', false) && r.diff !== '' });
  });
}
