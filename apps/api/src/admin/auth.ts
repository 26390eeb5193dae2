/** Bearer-token check for everything under /api; constant-time on SHA-256 digests so lengths never leak. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

const digest = (s: string) => createHash('sha256').update(s).digest();

export function bearerAuth(token: string): MiddlewareHandler {
  const expected = digest(token);
  return async (c, next) => {
    if (token === '') return c.json({ error: 'admin API disabled: set AdminToken' }, 503);
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(header);
    if (!m || !timingSafeEqual(digest(m[1]!.trim()), expected)) {
      c.header('WWW-Authenticate', 'Bearer realm="mirrorball"');
      return c.json({ error: 'unauthorized: send Authorization: Bearer <AdminToken>' }, 401);
    }
    await next();
  };
}
