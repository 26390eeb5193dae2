/**
 * The public request pipeline (contract §2): canonical path → classification → existence →
 * route → a Reply. Reads Node's request directly, and the warm redirect allocates little and
 * awaits nothing (the Reply comes back synchronously).
 */
import type { IncomingMessage } from 'node:http';
import type { ApiContext } from './deps.ts';
import { movedBody, parseTarget } from './path.ts';
import { classify, metalinkBase, parseQuery } from './query.ts';
import { readHeaders } from './headers.ts';
import { notFound, send, sendError, TEXT_HTML, type Reply } from './reply.ts';
import type { Req } from './request.ts';
import { countRequest, typeIndex } from './tally.ts';
import { monotonicSeconds } from './durations.ts';
import { resolve, resolveCached, type Resolved } from './resolve.ts';
import { checksum } from './routes/checksum.ts';
import { metalink } from './routes/metalink.ts';
import { mirrorlist } from './routes/mirrorlist.ts';
import { mirrorstats } from './routes/mirrorstats.ts';
import { standard } from './routes/standard.ts';
import { stats } from './routes/stats.ts';

export function handle(ctx: ApiContext, req: IncomingMessage): Reply | Promise<Reply> {
  const target = parseTarget(req.url ?? '/');
  if (target.kind === 'error') return sendError(target.status, target.text, ctx.server);
  if (target.kind === 'redirect') {
    // Go's multiplexer answers this itself: no Server header, body only for GET.
    const h = ['Location', target.location];
    if (req.method === 'GET' || req.method === 'HEAD') h.unshift('Content-Type', TEXT_HTML);
    return send(301, h, req.method === 'GET' ? movedBody(target.location) : '');
  }
  const h = readHeaders(req.rawHeaders);
  const r: Req = {
    req, method: req.method ?? 'GET', path: target.path, query: parseQuery(target.query), h,
    gzip: ctx.config.Gzip && h.ae !== undefined && h.ae.includes('gzip'), type: undefined,
  };
  const type = classify(r.query, ctx.config.MetalinkEnabled);
  let out: Reply | Promise<Reply>;
  switch (type) {
    case 'stats':
      out = stats(ctx, r);
      break;
    case 'mirrorstats':
      out = mirrorstats(ctx, r);
      break;
    case 'checksum':
      out = checksum(ctx, r);
      break;
    default: {
      const cached = resolveCached(ctx, r.path);
      out = cached ? route(ctx, r, type, cached) : resolve(ctx, r.path).then((resolved) => route(ctx, r, type, resolved));
    }
  }
  if (out instanceof Promise) return out.then((reply) => typed(reply, r));
  return typed(out, r);
}

/** The answer type the route tagged, else the status decides (302 = a redirect). */
function typed(reply: Reply, r: Req): Reply {
  reply.type ??= r.type ?? (reply.status === 302 ? 'redirect' : 'other');
  return reply;
}

function route(ctx: ApiContext, r: Req, type: string, resolved: Resolved): Reply | Promise<Reply> {
  if (resolved.kind === 'missing') {
    const base = ctx.config.MetalinkEnabled && type === 'standard' ? metalinkBase(r.path) : null;
    if (base) return resolve(ctx, base).then((b) => (b.kind === 'file' ? metalink(ctx, r, b) : notFound(ctx.server, r.gzip)));
    return notFound(ctx.server, r.gzip);
  }
  if (type === 'mirrorlist') return mirrorlist(ctx, r, resolved);
  if (type === 'metalink') {
    if (resolved.kind !== 'file') return notFound(ctx.server, r.gzip);
    return metalink(ctx, r, resolved);
  }
  return standard(ctx, r, resolved);
}

/** Last line of defence: a bug answers 500, never crashes the process or leaves the socket hanging. */
export function handleSafely(ctx: ApiContext, req: IncomingMessage): Reply | Promise<Reply> {
  const t0 = monotonicSeconds();
  try {
    const out = handle(ctx, req);
    if (out instanceof Promise) return out.then((reply) => tally(ctx, req, reply, t0), (err: unknown) => fail(ctx, req, err, t0));
    return tally(ctx, req, out, t0);
  } catch (err) {
    return fail(ctx, req, err, t0);
  }
}

/**
 * Count the answer by type, status and method, and time it (the handler's own time: until the
 * answer was ready to write). Bounded labels only, integer keys.
 */
function tally(ctx: ApiContext, req: IncomingMessage, reply: Reply, t0: number): Reply {
  const type = typeIndex(reply.type);
  countRequest(ctx.tally, type, reply.status, req.method);
  ctx.tally.durations.observe(type, monotonicSeconds() - t0);
  return reply;
}

function fail(ctx: ApiContext, req: IncomingMessage, err: unknown, t0: number): Reply {
  ctx.onError?.(err);
  return tally(ctx, req, { ...sendError(500, 'Internal Server Error', ctx.server), type: 'other' }, t0);
}

