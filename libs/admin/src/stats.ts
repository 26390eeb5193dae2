/**
 * `stats file` and `stats mirror` over a date range, summing the hashes of the key coverage of
 * contract §10.4.
 */
import { statsKeysForPeriod } from '@mirrorball/redis';
import type { Redis } from 'ioredis';
import { InputError } from './errors.ts';

/** Lenient `2006-1-2` date, UTC midnight (stats keys are UTC days). */
export function parseStatsDate(s: string, field: string): Date {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s.trim());
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!d || d.getUTCMonth() !== Number(m![2]) - 1 || d.getUTCDate() !== Number(m![3])) {
    throw new InputError(`${field}: expected a date as YYYY-MM-DD, got ${JSON.stringify(s)}`, field);
  }
  return d;
}

/** Dates as `YYYY-MM-DD` (HTTP) or instants (gRPC Timestamps); absent = now. */
export function statsPeriod(start: string | Date | undefined, end: string | Date | undefined, now: Date): { start: Date; end: Date } {
  const s = start instanceof Date ? start : start ? parseStatsDate(start, 'start') : now;
  const e = end instanceof Date ? end : end ? parseStatsDate(end, 'end') : now;
  if (s.getTime() > e.getTime()) throw new InputError('start must not be after end', 'start');
  return { start: s, end: e };
}

export async function statsFiles(redis: Redis, pattern: string, start: Date, end: Date): Promise<Record<string, number>> {
  let re: RegExp;
  try {
    re = new RegExp(pattern);
  } catch (err) {
    throw new InputError(`pattern: invalid regular expression: ${(err as Error).message}`, 'pattern');
  }
  const keys = statsKeysForPeriod('file', start, end);
  const p = redis.pipeline();
  for (const k of keys) p.hgetall(k);
  const out = new Map<string, number>();
  for (const [err, hash] of (await p.exec()) ?? []) {
    if (err) throw err;
    for (const [path, v] of Object.entries(hash as Record<string, string>)) {
      if (!re.test(path)) continue;
      out.set(path, (out.get(path) ?? 0) + (Number.parseInt(v, 10) || 0));
    }
  }
  return Object.fromEntries([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export async function statsMirror(redis: Redis, id: number, start: Date, end: Date): Promise<{ requests: number; bytes: number }> {
  const p = redis.pipeline();
  for (const k of statsKeysForPeriod('mirror', start, end)) p.hget(k, String(id));
  const nReq = (p.length as number);
  for (const k of statsKeysForPeriod('mirrorBytes', start, end)) p.hget(k, String(id));
  let requests = 0;
  let bytes = 0;
  ((await p.exec()) ?? []).forEach(([err, v], i) => {
    if (err) throw err;
    const n = Number.parseInt((v as string | null) ?? '0', 10) || 0;
    if (i < nReq) requests += n;
    else bytes += n;
  });
  return { requests, bytes };
}
