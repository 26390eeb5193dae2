/**
 * `?stats` (contract §2.12): download counters of the raw path, indented JSON, 400 on a bad
 * period. Mirrorball reads "today" in UTC, the zone counting writes in (Mirrorbits reads it in
 * the server's local zone, a mismatch on non-UTC servers).
 */
import { goJsonString } from '@mirrorball/gofmt';
import { keys } from '@mirrorball/redis';
import { utcDaySuffix } from '@mirrorball/downloads';
import type { ApiContext } from '../deps.ts';
import { countRedisError } from '../tally.ts';
import { send, sendError, TEXT_PLAIN, type Reply } from '../reply.ts';
import { tagAnswer, type Req } from '../request.ts';

const num = (v: unknown) => {
  const n = parseInt(String(v ?? '0'), 10);
  return Number.isFinite(n) ? n : 0;
};

/** `2024-1` → `2024_1`, or null when a non-empty part is not a base-10 integer. */
export function periodSuffix(p: string): string | null {
  const parts = p.split('-');
  if (parts.length > 3) {
    // Go's SplitN(…, 3): the third part keeps the rest and then fails to parse.
    parts.splice(2, parts.length - 2, parts.slice(2).join('-'));
  }
  for (const part of parts) if (part !== '' && !/^[+-]?\d+$/.test(part)) return null;
  return parts.join('_');
}

export async function stats(ctx: ApiContext, r: Req): Promise<Reply> {
  tagAnswer(r, 'stats');
  const period = r.query.get('stats') ?? '';
  const path = r.path;
  const headers = () => ['Server', ctx.server, 'Content-Type', TEXT_PLAIN];
  try {
    if (period === '') {
      const day = utcDaySuffix(Date.now());
      const res = await ctx.redis.multi()
        .hget(keys.statsFile(day), path).hget(keys.statsFile(day.slice(0, 7)), path)
        .hget(keys.statsFile(day.slice(0, 4)), path).hget(keys.statsFile(), path).exec();
      if (!res) throw new Error('transaction aborted');
      for (const [err] of res) if (err) throw err;
      const [t, m, y, a] = res.map(([, v]) => num(v));
      return send(200, headers(), `{\n    "Today": ${t},\n    "Month": ${m},\n    "Year": ${y},\n    "Total": ${a}\n}`, { gzip: r.gzip });
    }
    const suffix = periodSuffix(period);
    if (suffix === null) {
      return sendError(400, 'Invalid period', ctx.server, r.gzip);
    }
    const v = await ctx.redis.hget(keys.statsFile(suffix), path);
    const body = `{\n    "Period": ${goJsonString(period)},\n    "Downloads": ${num(v)}\n}`;
    return send(200, headers(), body, { gzip: r.gzip });
  } catch (err) {
    countRedisError(ctx.tally, 'stats_read');
    return send(500, ['Content-Type', TEXT_PLAIN, 'Server', ctx.server, 'X-Content-Type-Options', 'nosniff'], String((err as Error).message ?? err) + '\n');
  }
}
