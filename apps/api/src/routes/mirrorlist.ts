/** `?mirrorlist` (contract §2.9): the full candidate list as an HTML page (render lib). Not counted, not logged. */
import { renderMirrorlistPage, type PageMirror } from '@mirrorball/render';
import type { SelectedMirror } from '@mirrorball/selection';
import type { ApiContext } from '../deps.ts';
import { pick } from '../pick.ts';
import { NO_CACHE, send, TEXT_HTML, unavailable, type Reply } from '../reply.ts';
import { tagAnswer, type Req } from '../request.ts';
import type { Resolved } from '../resolve.ts';
import { pageMeta } from './pages.ts';
import { notModified } from './standard.ts';

function pageMirror(s: SelectedMirror): PageMirror {
  const m = s.mirror;
  return {
    id: m.id, name: m.name, sponsorName: m.sponsorName, countryCodes: m.countryCodes, continentCode: m.continentCode,
    latitude: m.latitude, longitude: m.longitude, absoluteURL: s.absoluteURL, distance: s.distance, weight: s.weight,
    excludeReason: s.excludeReason || undefined,
  };
}

export function mirrorlist(ctx: ApiContext, r: Req, resolved: Exclude<Resolved, { kind: 'missing' }>): Reply {
  tagAnswer(r, 'mirrorlist');
  const file = resolved.view.file;
  const unchanged = notModified(ctx, r, file);
  if (unchanged) return unchanged;
  const p = pick(ctx, r, resolved, 'mirrorlist');
  if (!p) {
    return unavailable(ctx.server, r.gzip);
  }
  let body: string;
  try {
    body = renderMirrorlistPage({
      ...pageMeta(ctx),
      fileInfo: { ...file.info, path: resolved.path },
      ip: p.ip,
      clientInfo: p.client,
      mirrorList: p.list.map(pageMirror),
      excludedList: p.excluded.map(pageMirror),
      fallback: p.fallback,
    });
  } catch (err) {
    return send(500, ['Content-Type', 'text/plain; charset=utf-8', 'Server', ctx.server], String(err));
  }
  return send(200, ['Cache-Control', NO_CACHE, 'Content-Type', TEXT_HTML, 'Server', ctx.server], body, { gzip: r.gzip });
}
