/** GET /v1/stats/files?pattern&start&end and GET /v1/mirrors/{ref}/stats?start&end (§10.4 key coverage). */
import { InputError, mirrorToJson } from '@mirrorball/admin';
import type { AdminRoutes } from '../context.ts';

export function statsRoutes(app: AdminRoutes): void {
  app.get('/v1/stats/files', async (c) => {
    const pattern = c.req.query('pattern');
    if (pattern === undefined || pattern === '') throw new InputError('pattern is required', 'pattern');
    const files = await c.var.admin.statsFile(pattern, c.req.query('start'), c.req.query('end'));
    return c.json({ files, total: Object.values(files).reduce((a, b) => a + b, 0) });
  });
  app.get('/v1/mirrors/:ref/stats', async (c) => {
    const m = await c.var.admin.resolve(c.req.param('ref'));
    const r = await c.var.admin.statsMirror(m.id, c.req.query('start'), c.req.query('end'));
    return c.json({ mirror: mirrorToJson(r.mirror), requests: r.requests, bytes: r.bytes });
  });
}
