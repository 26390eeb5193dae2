/**
 * The public Hono app. Every path and method goes to one catch-all (the public port serves only
 * repository paths); the handler writes to Node's response itself for exact header lines
 * (several `Link` lines, Go's order) and a lean warm path.
 */
import { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { apiContext, type ApiContext, type ApiDeps } from './deps.ts';
import { handleSafely } from './handler.ts';

export type ApiApp = Hono<{ Bindings: HttpBindings }>;

export function createApiApp(deps: ApiDeps | ApiContext): ApiApp {
  const ctx = 'trusted' in deps ? deps : apiContext(deps);
  const app: ApiApp = new Hono<{ Bindings: HttpBindings }>();
  const run = async (env: HttpBindings) => {
    const p = handleSafely(ctx, env.incoming, env.outgoing);
    if (p) await p;
    return RESPONSE_ALREADY_SENT;
  };
  app.all('*', (c) => run(c.env));
  // Hono answers HEAD by running GET and re-wrapping the Response, which loses the "already sent"
  // marker; HEAD goes to the same handler directly (Node drops the body of a HEAD response).
  const honoFetch = app.fetch;
  app.fetch = (request, env, exec) => {
    const b = env as Partial<HttpBindings> | undefined;
    return request.method === 'HEAD' && b?.outgoing ? run(b as HttpBindings) : honoFetch(request, env, exec);
  };
  return app;
}
