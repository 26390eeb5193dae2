/**
 * The public listener. Every path and method goes to one handler (the public port serves only
 * repository paths), which writes to Node's response itself: exact header lines (several `Link`
 * lines, Go's order) and a lean warm path.
 *
 * Production serves it with a plain Node request listener: with a single catch-all route a
 * framework adds nothing but per-request cost (node-server's Request wrapper, the router, and
 * the "already sent" Response round trip measured ~5 µs of the ~30 µs a warm redirect costs).
 * createApiApp() wraps the same handler as a Hono app, for embedding and tests.
 */
import http from 'node:http';
import { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { apiContext, type ApiContext, type ApiDeps } from './deps.ts';
import { handleSafely } from './handler.ts';

export type ApiApp = Hono<{ Bindings: HttpBindings }>;

const toContext = (deps: ApiDeps | ApiContext): ApiContext => ('trusted' in deps ? deps : apiContext(deps));

/** The public request listener (`http.createServer(listener)`). */
export function createApiListener(deps: ApiDeps | ApiContext): http.RequestListener {
  const ctx = toContext(deps);
  return (req, res) => {
    void handleSafely(ctx, req, res);
  };
}

/** Server limits of contract §2.1 (read/write 10 s); headers over 16 KiB get Node's 431. */
export function createPublicServer(deps: ApiDeps | ApiContext): http.Server {
  const server = http.createServer({ maxHeaderSize: 16 * 1024, requestTimeout: 10_000, headersTimeout: 10_000 }, createApiListener(deps));
  server.keepAliveTimeout = 65_000; // longer than typical load-balancer idle timeouts
  return server;
}

export function createApiApp(deps: ApiDeps | ApiContext): ApiApp {
  const ctx = toContext(deps);
  const app: ApiApp = new Hono<{ Bindings: HttpBindings }>();
  const run = (env: HttpBindings): Response | Promise<Response> => {
    const p = handleSafely(ctx, env.incoming, env.outgoing);
    return p ? p.then(() => RESPONSE_ALREADY_SENT) : RESPONSE_ALREADY_SENT;
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
