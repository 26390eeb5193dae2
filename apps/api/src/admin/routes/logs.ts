/** GET /v1/mirrors/{ref}/logs?max=N: the last N events (default 500), rendered as `mirrorbits logs`. */
import { InputError } from '@mirrorball/admin';
import type { AdminRoutes } from '../context.ts';

export function logsRoute(app: AdminRoutes): void {
  app.get('/v1/mirrors/:ref/logs', async (c) => {
    const raw = c.req.query('max') ?? '500';
    if (!/^-?\d+$/.test(raw)) throw new InputError('max must be an integer', 'max');
    const m = await c.var.admin.resolve(c.req.param('ref'));
    return c.json({ name: m.name, lines: await c.var.admin.logs(m.id, Number(raw)) });
  });
}
