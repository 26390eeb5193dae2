/** POST /v1/mirrors/{ref}/scan {protocol, enable, timeout}: run a scan job and wait for it. */
import { InputError, type ScanProtocol } from '@mirrorball/admin';
import { boolField, jsonBody, numberField, onlyKeys, type AdminRoutes } from '../context.ts';

const PROTOCOLS = ['all', 'rsync', 'ftp'];

export function scanRoute(app: AdminRoutes): void {
  app.post('/v1/mirrors/:ref/scan', async (c) => {
    const body = await jsonBody(c, true);
    onlyKeys(body, ['protocol', 'enable', 'timeout']);
    const protocol = body.protocol ?? 'all';
    if (typeof protocol !== 'string' || !PROTOCOLS.includes(protocol)) throw new InputError('protocol must be all, rsync or ftp', 'protocol');
    const autoEnable = boolField(body, 'enable', false);
    const timeoutSec = numberField(body, 'timeout', 0);
    const m = await c.var.admin.resolve(c.req.param('ref'));
    const r = await c.var.admin.scan(m.id, { protocol: protocol as ScanProtocol, autoEnable, timeoutSec });
    return c.json({
      Name: m.name, FilesIndexed: r.filesIndexed, KnownIndexed: r.knownIndexed, Removed: r.removed, TZOffsetMs: r.tzOffsetMs, Enabled: r.enabled,
    });
  });
}
