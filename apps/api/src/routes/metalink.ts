/**
 * Metalink v4 (Mirrorball; `?meta4`, `?metalink`, or `<file>.meta4` / `<file>.metalink` when
 * `<file>` is indexed): the selected mirrors in order, with the file's hashes. Not counted.
 */
import { METALINK_CONTENT_TYPE, renderMetalink } from '@mirrorball/render';
import type { ApiContext } from '../deps.ts';
import { escapePath } from '../path.ts';
import { pick } from '../pick.ts';
import { NO_CACHE, send, unavailable, type Reply } from '../reply.ts';
import { tagAnswer, type Req } from '../request.ts';
import type { Resolved } from '../resolve.ts';

export function metalink(ctx: ApiContext, r: Req, resolved: Extract<Resolved, { kind: 'file' }>): Reply {
  tagAnswer(r, 'metalink');
  const p = pick(ctx, r, resolved, 'redirect');
  if (!p) {
    return unavailable(ctx.server, r.gzip);
  }
  const rel = resolved.path.slice(1);
  const body = renderMetalink({
    file: resolved.view.file.info,
    mirrors: p.list.map((m, i) => ({ url: m.absoluteURL + rel, countryCode: m.mirror.countryList[0] ?? '', priority: i + 1 })),
    generator: `Mirrorball/${ctx.version}`,
    origin: undefined,
  });
  const name = escapePath(rel.slice(rel.lastIndexOf('/') + 1));
  return send(200, [
    'Cache-Control', NO_CACHE, 'Content-Disposition', `attachment; filename="${name}.meta4"`,
    'Content-Type', METALINK_CONTENT_TYPE, 'Server', ctx.server,
  ], body, { gzip: r.gzip });
}
