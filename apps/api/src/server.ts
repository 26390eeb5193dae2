/**
 * The public listener: Hono on @hono/node-server. Every path and method goes to one handler (the
 * public port serves only repository paths), which returns a Reply; the Reply becomes
 * node-server's lightweight Response with a plain header object, which node-server writes with
 * one writeHead/end, synchronously (no Response object is materialised, no stream, no await).
 * Repeated headers (`Link`) are arrays in that object, so each goes out as its own line.
 *
 * createApiListener() is the same handler as a bare node:http listener (bench/redirect compares
 * the two).
 */
import http from 'node:http';
import { Hono } from 'hono';
import { getRequestListener, type HttpBindings } from '@hono/node-server';
import { apiContext, type ApiContext, type ApiDeps } from './deps.ts';
import { handleSafely } from './handler.ts';
import { writeReply, type Reply } from './reply.ts';

export type ApiApp = Hono<{ Bindings: HttpBindings }>;

const toContext = (deps: ApiDeps | ApiContext): ApiContext => ('trusted' in deps ? deps : apiContext(deps));

/**
 * `Response` is read when called: once node-server's listener exists it is node-server's
 * lightweight class, which keeps the header object as given.
 */
function toResponse(reply: Reply): Response {
  return new Response(reply.body as ConstructorParameters<typeof Response>[0], {
    status: reply.status,
    headers: reply.headers as unknown as Record<string, string>,
  });
}

export function createApiApp(deps: ApiDeps | ApiContext): ApiApp {
  const ctx = toContext(deps);
  const app: ApiApp = new Hono<{ Bindings: HttpBindings }>();
  const run = (env: HttpBindings): Response | Promise<Response> => {
    const out = handleSafely(ctx, env.incoming);
    return out instanceof Promise ? out.then(toResponse) : toResponse(out);
  };
  app.all('*', (c) => run(c.env));
  // Hono answers HEAD by dispatching GET and re-wrapping the Response in a Headers object, which
  // joins repeated headers into one line; the handler answers HEAD itself (Node drops the body).
  const honoFetch = app.fetch;
  app.fetch = (request, env, exec) => {
    const b = env as Partial<HttpBindings> | undefined;
    return request.method === 'HEAD' && b?.incoming ? run(b as HttpBindings) : honoFetch(request, env, exec);
  };
  return app;
}

/** The same handler as a plain node:http request listener. */
export function createApiListener(deps: ApiDeps | ApiContext): http.RequestListener {
  const ctx = toContext(deps);
  return (req, res) => {
    const out = handleSafely(ctx, req);
    if (out instanceof Promise) void out.then((reply) => writeReply(res, reply));
    else writeReply(res, out);
  };
}

/** Server limits of contract §2.1 (read/write 10 s); headers over 16 KiB get Node's 431. */
const SERVER_OPTIONS: http.ServerOptions = { maxHeaderSize: 16 * 1024, requestTimeout: 10_000, headersTimeout: 10_000 };

/** The public server (production): the Hono app through @hono/node-server's request listener. */
export function createPublicServer(deps: ApiDeps | ApiContext): http.Server {
  // `hostname` stands in for a missing Host header (HTTP/1.0 clients); the handler never reads it.
  const listener = getRequestListener(createApiApp(deps).fetch, { hostname: 'localhost' });
  return tune(http.createServer(SERVER_OPTIONS, listener));
}

/** The plain node:http variant (bench/redirect's comparison). */
export function createPlainServer(deps: ApiDeps | ApiContext): http.Server {
  return tune(http.createServer(SERVER_OPTIONS, createApiListener(deps)));
}

function tune(server: http.Server): http.Server {
  server.keepAliveTimeout = 65_000; // longer than typical load-balancer idle timeouts
  return server;
}
