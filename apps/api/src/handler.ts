/**
 * The public request pipeline (contract §2): canonical path → classification → existence →
 * route. Works on Node's req/res directly so that the warm redirect allocates little and
 * awaits nothing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiContext } from './deps.ts';
import { movedBody, parseTarget } from './path.ts';
import { classify, metalinkBase, parseQuery } from './query.ts';
import { readHeaders } from './headers.ts';
import { notFound, send, sendError, TEXT_HTML, unavailable } from './reply.ts';
import { answerType, type Req } from './request.ts';
import { countRequest, typeIndex } from './tally.ts';
import { resolve, resolveCached, type Resolved } from './resolve.ts';
import { checksum } from './routes/checksum.ts';
import { metalink } from './routes/metalink.ts';
import { mirrorlist } from './routes/mirrorlist.ts';
import { mirrorstats } from './routes/mirrorstats.ts';
import { standard } from './routes/standard.ts';
import { stats } from './routes/stats.ts';

export function handle(ctx: ApiContext, req: IncomingMessage, res: ServerResponse): void | Promise<void> {
  const target = parseTarget(req.url ?? '/');
  if (target.kind === 'error') {
    sendError(res, target.status, target.text, ctx.server);
    return;
  }
  if (target.kind === 'redirect') {
    // Go's multiplexer answers this itself: no Server header, body only for GET.
    const h = ['Location', target.location];
    if (req.method === 'GET' || req.method === 'HEAD') h.unshift('Content-Type', TEXT_HTML);
    send(res, 301, h, req.method === 'GET' ? movedBody(target.location) : '');
    return;
  }
  const h = readHeaders(req.rawHeaders);
  const r: Req = {
    req, res, method: req.method ?? 'GET', path: target.path, query: parseQuery(target.query), h,
    gzip: ctx.config.Gzip && h.ae !== undefined && h.ae.includes('gzip'),
  };
  const type = classify(r.query, ctx.config.MetalinkEnabled);
  switch (type) {
    case 'stats':
      return stats(ctx, r);
    case 'mirrorstats':
      return mirrorstats(ctx, r);
    case 'checksum':
      return checksum(ctx, r);
    default:
      break;
  }
  const cached = resolveCached(ctx, r.path);
  if (cached) return route(ctx, r, type, cached);
  return resolve(ctx, r.path).then((resolved) => route(ctx, r, type, resolved));
}

function route(ctx: ApiContext, r: Req, type: string, resolved: Resolved): void | Promise<void> {
  if (resolved.kind === 'missing') {
    const base = ctx.config.MetalinkEnabled && type === 'standard' ? metalinkBase(r.path) : null;
    if (base) return resolve(ctx, base).then((b) => (b.kind === 'file' ? metalink(ctx, r, b) : notFound(r.res, ctx.server, r.gzip)));
    return notFound(r.res, ctx.server, r.gzip);
  }
  if (type === 'mirrorlist') return mirrorlist(ctx, r, resolved);
  if (type === 'metalink') {
    if (resolved.kind !== 'file') return notFound(r.res, ctx.server, r.gzip);
    return metalink(ctx, r, resolved);
  }
  return standard(ctx, r, resolved);
}

/** Last line of defence: a bug answers 500, never crashes the process or leaves the socket hanging. */
export function handleSafely(ctx: ApiContext, req: IncomingMessage, res: ServerResponse): void | Promise<void> {
  const t0 = performance.now();
  try {
    const p = handle(ctx, req, res);
    if (p) return p.then(() => tally(ctx, req, res, t0), (err: unknown) => fail(ctx, res, err, t0));
    tally(ctx, req, res, t0);
  } catch (err) {
    fail(ctx, res, err, t0);
  }
}

/**
 * Count the answer by type (from what was sent), status and method, and time it (the handler's
 * own time: until the response was handed to Node). Bounded labels only, integer keys.
 */
function tally(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, t0: number): void {
  const status = res.statusCode;
  const type = typeIndex(answerType(res) ?? (status === 302 ? 'redirect' : 'other'));
  countRequest(ctx.tally, type, status, req.method);
  ctx.tally.durations.observe(type, (performance.now() - t0) / 1000);
}


function fail(ctx: ApiContext, res: ServerResponse, err: unknown, t0: number): void {
  if (!res.headersSent) sendError(res, 500, 'Internal Server Error', ctx.server);
  else res.destroy();
  tally(ctx, res.req, res, t0);
  ctx.onError?.(err);
}

export { unavailable };
