/**
 * STANDARD requests (contract §2.6–§2.8): 304, then a 302 to the selected mirror (with RFC 6249
 * Link headers and, with Mirrorball's `DigestHeaders`, Digest/Repr-Digest + a describedby Metalink
 * link) or the JSON `Results`; counted and logged.
 */
import { goTimeTruncate, isUnsetTime, parseHttpDate, formatHttpDate } from '@mirrorball/gofmt';
import type { FileEntry } from '@mirrorball/catalog';
import type { SelectedMirror } from '@mirrorball/selection';
import type { ApiContext } from '../deps.ts';
import { renderResults } from '../json.ts';
import { pick, type Picked } from '../pick.ts';
import { headerValue, JSON_TYPE, NO_CACHE, send, TEXT_HTML, unavailable, type Reply, type ReplyHeaders } from '../reply.ts';
import { tagAnswer, type Req } from '../request.ts';
import type { Resolved } from '../resolve.ts';
import { countDownload } from '../count.ts';
import { countRedirect } from '../tally.ts';

/** If-Modified-Since (§2.7): the 304, or null when the request goes on. */
export function notModified(ctx: ApiContext, r: Req, file: FileEntry): Reply | null {
  if (r.method !== 'GET' && r.method !== 'HEAD') return null;
  const ims = r.h.ims;
  if (!ims || !file.exists || isUnsetTime(file.info.modTime)) return null;
  const since = parseHttpDate(ims);
  if (!since) return null;
  const mt = goTimeTruncate(file.info.modTime, 1_000_000_000);
  if (mt.sec > since.sec) return null;
  return { status: 304, headers: { 'Last-Modified': formatHttpDate(mt), Server: ctx.server }, body: null };
}

const geoCache = new WeakMap<object, string>();
function geoOf(m: SelectedMirror): string {
  let g = geoCache.get(m.mirror);
  if (g === undefined) geoCache.set(m.mirror, (g = (m.mirror.countryList[0] ?? '').toLowerCase()));
  return g;
}

export function wantsJson(ctx: ApiContext, r: Req): boolean {
  const mode = ctx.config.OutputMode;
  if (mode === 'json') return true;
  if (mode === 'redirect') return false;
  const accept = r.h.accept;
  return accept !== undefined && accept.includes('application/json');
}

/** `DigestHeaders` (Mirrorball): the JSON answer's Digest and Repr-Digest lines, when the file has a SHA-256. */
function jsonDigestHeaders(ctx: ApiContext, file: FileEntry, resolved: Resolved): string[] {
  if (!ctx.config.DigestHeaders || !file.digest || resolved.kind !== 'file') return [];
  return ['Digest', file.digest, 'Repr-Digest', file.reprDigest];
}

export function standard(ctx: ApiContext, r: Req, resolved: Exclude<Resolved, { kind: 'missing' }>): Reply {
  const file = resolved.view.file;
  const unchanged = notModified(ctx, r, file);
  if (unchanged) return unchanged;
  const picked = pick(ctx, r, resolved, 'redirect');
  if (!picked) return unavailable(ctx.server, r.gzip);
  const json = wantsJson(ctx, r);
  if (json) tagAnswer(r, 'json');
  const reply = json ? jsonReply(ctx, r, resolved, picked) : redirectReply(ctx, resolved, picked);
  ctx.log?.write({
    type: json ? 'JSON' : 'REDIRECT', status: json ? 200 : 302, method: r.method, path: resolved.path, ip: picked.ip,
    mirror: picked.list[0]!.mirror, distance: picked.list[0]!.distance, clientAsn: picked.client.asNum, fallback: picked.fallback,
  });
  if (json) return reply;
  const to = picked.list[0]!.mirror;
  countRedirect(ctx.tally, picked.client.countryCode, to.id, to.name);
  countDownload(ctx, r, file.info.path, to.id, file.info.size, picked.ip); // the catalog's string: kept until the counter folds
  return reply;
}

/** The 302 (hot path): the header object is built directly, in Go's order. */
function redirectReply(ctx: ApiContext, resolved: Resolved & { path: string }, p: Picked): Reply {
  const rel = headerValue(resolved.path.slice(1));
  const file = (resolved as { view: { file: FileEntry } }).view.file;
  // Mirrorbits' lines, plus Digest/Repr-Digest/describedby with DigestHeaders.
  const extras = resolved.kind === 'file' && ctx.config.DigestHeaders;
  const h: ReplyHeaders = { 'Cache-Control': NO_CACHE, 'Content-Type': TEXT_HTML };
  if (extras && file.digest) h.Digest = file.digest;
  const n = Math.min(p.list.length, ctx.maxLinks + 1);
  const describedBy = extras && ctx.config.MetalinkEnabled ? file.describedBy : undefined;
  if (n > 1 || describedBy) {
    const links: string[] = [];
    for (let k = 1; k < n; k++) {
      const m = p.list[k]!;
      links.push('<' + m.absoluteURL + rel + '>; rel=duplicate; pri=' + k + '; geo=' + geoOf(m));
    }
    if (describedBy) links.push(describedBy);
    h.Link = links.length === 1 ? links[0]! : links;
  }
  h.Location = p.list[0]!.absoluteURL + rel;
  if (extras && file.reprDigest) h['Repr-Digest'] = file.reprDigest;
  h.Server = ctx.server;
  h['Content-Length'] = '0';
  return { status: 302, headers: h, body: null };
}

function jsonReply(ctx: ApiContext, r: Req, resolved: Resolved & { path: string }, p: Picked): Reply {
  const file = (resolved as { view: { file: FileEntry } }).view.file;
  const body = renderResults({
    file: { ...file.info, path: resolved.path }, ip: p.ip, client: p.client, list: p.list, excluded: p.excluded,
    fallback: p.fallback, localJSPath: ctx.config.LocalJSPath,
  }, r.query.has('pretty'));
  const h = ['Cache-Control', NO_CACHE, 'Content-Type', JSON_TYPE, ...jsonDigestHeaders(ctx, file, resolved), 'Server', ctx.server];
  return send(200, h, body, { gzip: r.gzip });
}
