/**
 * Client → geolocation → selection → fallbacks (contract §2.4–§2.6, §2.10). Shared by the
 * redirect/JSON, mirror list and Metalink answers.
 */
import { normalizeIp, clientIp } from './client-ip.ts';
import type { ApiContext } from './deps.ts';
import type { Resolved } from './resolve.ts';
import type { Req } from './request.ts';
import type { GeoRecord } from '@mirrorball/model';
import { fallbackMirrors, secureOption, selectMirrors, type SecureOption, type SelectedMirror, type SelectionMode } from '@mirrorball/selection';

export interface Picked {
  ip: string;
  client: GeoRecord;
  secure: SecureOption;
  list: SelectedMirror[];
  excluded: SelectedMirror[];
  fallback: boolean;
}

export function requestIp(ctx: ApiContext, r: Req, allowFromIp: boolean): string {
  if (allowFromIp) {
    const from = r.query.get('fromip');
    if (from) {
      const ip = normalizeIp(from);
      if (ip) return ip;
    }
  }
  return clientIp(r.req.socket.remoteAddress, r.h.xff, ctx.trusted);
}

/** null = nothing to offer and no fallback configured (→ 503). */
export function pick(ctx: ApiContext, r: Req, resolved: Exclude<Resolved, { kind: 'missing' }>, mode: SelectionMode): Picked | null {
  const ip = requestIp(ctx, r, mode === 'mirrorlist');
  const client = ctx.geo.lookup(ip);
  const secure = secureOption({
    forwardedProto: r.h.proto,
    httpsParam: r.query.get('https'),
    allowHttpToHttps: ctx.config.AllowHTTPToHTTPSRedirects,
  });
  const view = resolved.view;
  const sel = selectMirrors({ file: view.file.info, candidates: view.candidates, client, secure, cfg: ctx.selection, mode, random: ctx.random });
  if (sel.list.length > 0) return { ip, client, secure, list: sel.list, excluded: sel.excluded, fallback: false };
  if (ctx.fallbacks.length === 0) {
    ctx.tally.noMirror++;
    return null;
  }
  const reason = resolved.kind === 'unknown' ? 'redis_unavailable' : resolved.kind === 'dir' || !resolved.view.file.exists ? 'not_indexed' : 'no_mirror';
  ctx.tally.fallbacks.set(reason, (ctx.tally.fallbacks.get(reason) ?? 0) + 1);
  return { ip, client, secure, list: fallbackMirrors(ctx.fallbacks, client, secure, ctx.random), excluded: sel.excluded, fallback: true };
}
