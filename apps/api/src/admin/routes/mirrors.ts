/** GET /v1/mirrors (list), GET /v1/mirrors/match, GET /v1/mirrors/{ref} (show). */
import { mirrorToJson } from '@mirrorball/admin';
import { InputError } from '@mirrorball/admin';
import type { AdminRoutes } from '../context.ts';

export function mirrorReadRoutes(app: AdminRoutes): void {
  app.get('/v1/mirrors', async (c) => c.json({ mirrors: (await c.var.admin.list()).map(mirrorToJson) }));
  app.get('/v1/mirrors/match', async (c) => {
    const pattern = c.req.query('pattern');
    if (pattern === undefined) throw new InputError('pattern is required', 'pattern');
    return c.json({ mirrors: await c.var.admin.match(pattern) });
  });
  app.get('/v1/mirrors/:ref', async (c) => c.json(mirrorToJson(await c.var.admin.resolve(c.req.param('ref')))));
}
