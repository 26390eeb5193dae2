/** `?mirrorstats` (contract §2.13): today's (UTC) downloads and bytes per mirror, HTML (render lib). */
import { decodeMirror, keys } from '@mirrorball/redis';
import { utcDaySuffix } from '@mirrorball/downloads';
import { renderMirrorstatsPage, type MirrorStatsInput } from '@mirrorball/render';
import type { ApiContext } from '../deps.ts';
import { countRedisError } from '../tally.ts';
import { send, TEXT_HTML, TEXT_PLAIN, type Reply } from '../reply.ts';
import { tagAnswer, type Req } from '../request.ts';
import { pageMeta } from './pages.ts';

export async function mirrorstats(ctx: ApiContext, r: Req): Promise<Reply> {
  tagAnswer(r, 'mirrorstats');
  const fail = (text: string): Reply =>
    send(500, ['Content-Type', TEXT_PLAIN, 'Server', ctx.server, 'X-Content-Type-Options', 'nosniff'], text + '\n');
  let ids: number[];
  try {
    ids = Object.keys(await ctx.redis.hgetall(keys.mirrors)).map(Number).filter(Number.isInteger);
  } catch {
    countRedisError(ctx.tally, 'stats_read');
    return fail('Cannot fetch the list of mirrors');
  }
  const day = utcDaySuffix(Date.now());
  const rows: MirrorStatsInput[] = [];
  try {
    const pipe = ctx.redis.multi();
    for (const id of ids) pipe.hget(keys.statsMirror(day), String(id)).hget(keys.statsMirrorBytes(day), String(id)).hgetall(keys.mirror(id));
    const res = (await pipe.exec())!;
    ids.forEach((id, i) => {
      const [e1, d] = res[i * 3]!;
      const [e2, b] = res[i * 3 + 1]!;
      const [e3, h] = res[i * 3 + 2]!;
      if (e1 || e2 || e3) throw e1 ?? e2 ?? e3;
      // A mirror whose record is gone is skipped (without shifting the others, unlike Mirrorbits).
      const mirror = decodeMirror(id, h as Record<string, string>);
      if (mirror) rows.push({ mirror, downloads: Number(d ?? 0) || 0, bytes: Number(b ?? 0) || 0 });
    });
  } catch {
    countRedisError(ctx.tally, 'stats_read');
    return fail('Cannot fetch stats');
  }
  let body: string;
  try {
    body = renderMirrorstatsPage({ ...pageMeta(ctx), mirrors: rows });
  } catch (err) {
    return fail(String(err));
  }
  return send(200, ['Content-Type', TEXT_HTML, 'Server', ctx.server], body, { gzip: r.gzip });
}
