/**
 * Download statistics (contract §2.14, §10.4): key suffixes, period coverage, the batched
 * counter flush, ranged-download de-duplication and Mirrorball's optional retention.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { keys } from './keys.ts';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const DAY_MS = 86_400_000;

function dayKey(d: Date): string {
  return `${pad(d.getUTCFullYear(), 4)}_${pad(d.getUTCMonth() + 1)}_${pad(d.getUTCDate())}`;
}
function monthKey(d: Date): string {
  return `${pad(d.getUTCFullYear(), 4)}_${pad(d.getUTCMonth() + 1)}`;
}
function yearKey(d: Date): string {
  return pad(d.getUTCFullYear(), 4);
}

/** `['YYYY_MM_DD', 'YYYY_MM', 'YYYY']` of `date` in UTC. */
export function statsSuffixes(date: Date): [day: string, month: string, year: string] {
  return [dayKey(date), monthKey(date), yearKey(date)];
}

/** Go's AddDate(0, 0, 1) in UTC (no DST in UTC, so exactly 24 h). */
const addDay = (d: Date) => new Date(d.getTime() + DAY_MS);

/**
 * Mirrorbits' `utils.TimeKeyCoverage` in UTC, quirks included (§10.4): the first partial month
 * is covered day by day up to its end even when `end` comes earlier; the end day itself is
 * usually not included.
 */
export function timeKeyCoverage(start: Date, end: Date): string[] {
  const out: string[] = [];
  let s = new Date(start.getTime());
  const e = end.getTime();
  if (s.getUTCFullYear() === end.getUTCFullYear() && s.getUTCMonth() === end.getUTCMonth() && s.getUTCDate() === end.getUTCDate()) {
    return [dayKey(s)];
  }
  if (s.getUTCDate() !== 1) {
    const month = s.getUTCMonth();
    while (s.getUTCMonth() === month && s.getTime() !== e) {
      out.push(dayKey(s));
      s = addDay(s);
    }
  }
  for (;;) {
    const nextYear = Date.UTC(s.getUTCFullYear() + 1, 0, 1);
    const nextMonth = Date.UTC(s.getUTCFullYear(), s.getUTCMonth() + 1, 1);
    if (s.getUTCDate() === 1 && s.getUTCMonth() === 0 && nextYear <= e) {
      out.push(yearKey(s));
      s = new Date(nextYear);
    } else if (nextMonth <= e) {
      out.push(monthKey(s));
      s = new Date(nextMonth);
    } else break;
  }
  while (addDay(s).getTime() <= e) {
    out.push(dayKey(s));
    s = addDay(s);
  }
  return out;
}

export type StatsKind = 'file' | 'mirror' | 'mirrorBytes';

const keyFor = (kind: StatsKind, suffix?: string) =>
  kind === 'file' ? keys.statsFile(suffix) : kind === 'mirror' ? keys.statsMirror(suffix) : keys.statsMirrorBytes(suffix);

/** The stats hashes covering [start, end] for a kind, e.g. STATS_MIRROR_2015_10_30, STATS_MIRROR_2015_11, … */
export function statsKeysForPeriod(kind: StatsKind, start: Date, end: Date): string[] {
  return timeKeyCoverage(start, end).map((s) => keyFor(kind, s));
}

/** Counts aggregated in memory for one UTC day. */
export interface DownloadAggregate {
  /** Any instant of the UTC day the downloads belong to. */
  date: Date;
  /** path → download count. */
  files: Map<string, number>;
  /** mirror id → { count, bytes = count × source file size }. */
  mirrors: Map<number, { count: number; bytes: number }>;
}

/** Mirrorball's retention for daily and monthly keys (0 or absent = keep forever, as Mirrorbits). */
export interface StatsRetention {
  DailyDays?: number;
  MonthlyMonths?: number;
}

/**
 * One MULTI/EXEC with the §2.14 counters (four levels per file, STATS_TOTAL, four levels per
 * mirror count and bytes), plus EXPIREAT on daily/monthly keys when a retention is set.
 * Several aggregates (e.g. around midnight) go into the same transaction.
 */
export async function flushDownloadStats(
  redis: Redis, aggregates: DownloadAggregate | readonly DownloadAggregate[], retention?: StatsRetention,
): Promise<void> {
  const list = Array.isArray(aggregates) ? aggregates : [aggregates as DownloadAggregate];
  const multi = redis.multi();
  let n = 0;
  for (const agg of list) {
    const [d, m, y] = statsSuffixes(agg.date);
    const levels = [d, m, y, undefined];
    for (const [path, count] of agg.files) {
      for (const s of levels) multi.hincrby(keys.statsFile(s), path, count);
      multi.incrby(keys.statsTotal, count);
      n++;
    }
    for (const [id, v] of agg.mirrors) {
      for (const s of levels) multi.hincrby(keys.statsMirror(s), String(id), v.count);
      n++;
    }
    for (const [id, v] of agg.mirrors) {
      for (const s of levels) multi.hincrby(keys.statsMirrorBytes(s), String(id), v.bytes);
    }
    if (retention && n > 0) addRetention(multi, agg, retention);
  }
  if (n === 0) {
    multi.discard();
    return;
  }
  const res = await multi.exec();
  if (!res) throw new Error('stats flush: transaction aborted');
  for (const [err] of res) if (err) throw err;
}

type Multi = ReturnType<Redis['multi']>;

function addRetention(multi: Multi, agg: DownloadAggregate, r: StatsRetention): void {
  const [d, m] = statsSuffixes(agg.date);
  const y = agg.date.getUTCFullYear(), mo = agg.date.getUTCMonth(), day = agg.date.getUTCDate();
  const kinds: StatsKind[] = [];
  if (agg.files.size) kinds.push('file');
  if (agg.mirrors.size) kinds.push('mirror', 'mirrorBytes');
  if (r.DailyDays && r.DailyDays > 0) {
    // Expire DailyDays days after the day ends.
    const at = Math.floor(Date.UTC(y, mo, day + 1 + r.DailyDays) / 1000);
    for (const k of kinds) multi.expireat(keyFor(k, d), at);
  }
  if (r.MonthlyMonths && r.MonthlyMonths > 0) {
    const at = Math.floor(Date.UTC(y, mo + 1 + r.MonthlyMonths, 1) / 1000);
    for (const k of kinds) multi.expireat(keyFor(k, m), at);
  }
}

/** `sha256_hex(<client IP> + "/" + <User-Agent>)`, the client part of a DOWNLOADED_ key. */
export function downloadClientHash(ip: string, userAgent: string): string {
  return createHash('sha256').update(`${ip}/${userAgent}`).digest('hex');
}

const noSetGet = new WeakSet<Redis>();

/**
 * Ranged-download de-duplication: true when this (client, path) was not seen in the last
 * `intervalSec` seconds, i.e. the download should be counted. The timer restarts every call.
 * `SET key 1 GET EX n` on Redis ≥ 6.2, else GET then SET EX (remembered per client).
 */
export async function markDownloaded(redis: Redis, sha256hex: string, path: string, intervalSec: number): Promise<boolean> {
  const key = keys.downloaded(sha256hex, path);
  let previous: unknown;
  if (!noSetGet.has(redis)) {
    try {
      previous = await redis.call('SET', key, '1', 'GET', 'EX', String(intervalSec));
      return previous == null || previous === '';
    } catch (err) {
      if (!/syntax|wrong number/i.test(String(err))) throw err;
      noSetGet.add(redis);
    }
  }
  previous = await redis.get(key);
  await redis.set(key, '1', 'EX', intervalSec);
  return previous == null || previous === '';
}

/** Force the GET + SET fallback for a client (what markDownloaded does on Redis < 6.2). */
export function disableSetGet(redis: Redis): void {
  noSetGet.add(redis);
}

export interface PeriodCounts {
  today: number;
  month: number;
  year: number;
  total: number;
}

/** `?stats` reads: one MULTI of four HGETs (capture 11). */
export async function readFileStats(redis: Redis, path: string, now: Date): Promise<PeriodCounts> {
  const [d, m, y] = statsSuffixes(now);
  const res = await redis.multi().hget(keys.statsFile(d), path).hget(keys.statsFile(m), path)
    .hget(keys.statsFile(y), path).hget(keys.statsFile(), path).exec();
  if (!res) throw new Error('stats read: transaction aborted');
  const v = res.map(([err, val]) => {
    if (err) throw err;
    return Number(val ?? 0) || 0;
  });
  return { today: v[0]!, month: v[1]!, year: v[2]!, total: v[3]! };
}

/** `?mirrorstats` reads: per mirror, HGET of the day's download and byte counters in one MULTI (capture 11). */
export async function readMirrorDayStats(redis: Redis, ids: readonly number[], now: Date): Promise<Map<number, { count: number; bytes: number }>> {
  const [d] = statsSuffixes(now);
  const multi = redis.multi();
  for (const id of ids) multi.hget(keys.statsMirror(d), String(id)).hget(keys.statsMirrorBytes(d), String(id));
  const res = (await multi.exec()) ?? [];
  const out = new Map<number, { count: number; bytes: number }>();
  ids.forEach((id, i) => {
    const c = res[2 * i], b = res[2 * i + 1];
    if (c?.[0]) throw c[0];
    if (b?.[0]) throw b[0];
    out.set(id, { count: Number(c?.[1] ?? 0) || 0, bytes: Number(b?.[1] ?? 0) || 0 });
  });
  return out;
}
