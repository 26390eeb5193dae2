/**
 * Content checks (Mirrorball only): the range hashes the indexer records per source file
 * (`MIRRORBALL_RANGEHASH_<path>`) and the per-mirror results the worker records
 * (`MIRRORBALL_CONTENT_<id>_<path>`, `MIRRORBALL_CONTENTBAD_<id>`). Readers (libs/catalog) only
 * test membership of CONTENTBAD; a change of membership is announced on
 * `_mirrorbits_mirror_file_update` so caches drop the entry.
 */
import type { Redis } from 'ioredis';
import { keys } from './keys.ts';
import { publishMirrorFileUpdate } from './subscriber.ts';

export interface HashedRange {
  /** Inclusive byte offsets, as in an HTTP Range header. */
  start: number;
  end: number;
  sha256: string;
}

export const RANGE_HASH_FIELDS = ['spec', 'ranges', 'sha256'] as const;

/** `HMGET MIRRORBALL_RANGEHASH_<path> spec ranges sha256` → ranges with digests; null when missing or malformed. */
export function decodeRangeHash(values: readonly (string | null | undefined)[]): HashedRange[] | null {
  const [, ranges, digests] = values;
  if (!ranges || !digests) return null;
  const rs = ranges.split(',');
  const ds = digests.split(',');
  if (rs.length !== ds.length) return null;
  const out: HashedRange[] = [];
  for (let i = 0; i < rs.length; i++) {
    const m = /^(\d+)-(\d+)$/.exec(rs[i]!);
    const d = ds[i]!.toLowerCase();
    if (!m || !/^[0-9a-f]{64}$/.test(d)) return null;
    const start = Number(m[1]);
    const end = Number(m[2]);
    if (end < start) return null;
    out.push({ start, end, sha256: d });
  }
  return out.length ? out : null;
}

export type ContentResult = 'ok' | 'mismatch';

export interface ContentRecord {
  result: ContentResult;
  /** Unix seconds. */
  checkedAt: number;
  detail: string;
  /** The mirror's FILEINFO `size` / `modTime` when checked: a rescan that changes them voids the result. */
  size: string;
  modTime: string;
}

/** An `ok` record is informational only; it expires so records of vanished files do not pile up. */
export const CONTENT_OK_TTL_SEC = 7 * 24 * 3600;

export async function readContentRecord(redis: Redis, id: number, path: string): Promise<ContentRecord | null> {
  const h = await redis.hgetall(keys.content(id, path));
  if (!h.result) return null;
  return {
    result: h.result === 'mismatch' ? 'mismatch' : 'ok', checkedAt: Number(h.checkedAt) || 0,
    detail: h.detail ?? '', size: h.size ?? '', modTime: h.modTime ?? '',
  };
}

function fields(r: ContentRecord): string[] {
  return ['result', r.result, 'checkedAt', String(Math.trunc(r.checkedAt)), 'detail', r.detail, 'size', r.size, 'modTime', r.modTime];
}

/**
 * Record a check result in one MULTI. A mismatch joins CONTENTBAD; a match leaves it. Publishes
 * `"<id> <path>"` when membership changed. Returns whether it changed.
 */
export async function recordContentResult(redis: Redis, id: number, path: string, r: ContentRecord): Promise<boolean> {
  const key = keys.content(id, path);
  const multi = redis.multi().del(key).hset(key, ...fields(r));
  if (r.result === 'ok') multi.expire(key, CONTENT_OK_TTL_SEC).srem(keys.contentBad(id), path);
  else multi.sadd(keys.contentBad(id), path);
  const res = await multi.exec();
  if (!res) throw new Error(`record content result ${id} ${path}: transaction aborted`);
  for (const [err] of res) if (err) throw err;
  const changed = res.at(-1)![1] === 1;
  if (changed) await publishMirrorFileUpdate(redis, id, path);
  return changed;
}

/**
 * After a scan: drop mismatch results whose file changed on the mirror (size or modTime differ
 * from the recorded ones, or the file is gone), so a fixed copy is selectable again. Returns the
 * paths cleared.
 */
export async function clearStaleContentResults(redis: Redis, id: number): Promise<string[]> {
  const bad = await redis.smembers(keys.contentBad(id));
  if (bad.length === 0) return [];
  const p = redis.pipeline();
  for (const path of bad) {
    p.hmget(keys.content(id, path), 'size', 'modTime');
    p.hmget(keys.fileInfo(id, path), 'size', 'modTime');
  }
  const res = (await p.exec()) ?? [];
  const stale: string[] = [];
  bad.forEach((path, i) => {
    const [e1, rec] = res[2 * i]!;
    const [e2, cur] = res[2 * i + 1]!;
    if (e1 || e2) return;
    const [rs, rm] = rec as (string | null)[];
    const [cs, cm] = cur as (string | null)[];
    if (cs === null || rs !== cs || rm !== cm) stale.push(path);
  });
  if (stale.length === 0) return [];
  const multi = redis.multi();
  for (const path of stale) {
    multi.del(keys.content(id, path));
    multi.srem(keys.contentBad(id), path);
    publishMirrorFileUpdate(multi, id, path);
  }
  const done = await multi.exec();
  for (const [err] of done ?? []) if (err) throw err;
  return stale;
}
