/** GET /v1/export/mirmon?http&rsync&ftp&disabled (all default true): mirmon's mirror list. */
import { queryBool, type AdminRoutes } from '../context.ts';

export function exportRoute(app: AdminRoutes): void {
  app.get('/v1/export/mirmon', async (c) => {
    const text = await c.var.admin.exportMirmon({
      http: queryBool(c, 'http', true), rsync: queryBool(c, 'rsync', true), ftp: queryBool(c, 'ftp', true), disabled: queryBool(c, 'disabled', true),
    });
    return c.text(text, 200, { 'Content-Type': 'text/plain; charset=utf-8' });
  });
}
