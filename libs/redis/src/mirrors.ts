/**
 * Mirror records: reads and the write sequences of contract §4.4, issued exactly as a Go node
 * issues them so that Go and TypeScript nodes can administer the same database.
 */
import { formatRedisBool, goTimeFromDate, parseGoBool, type GoTime } from '@mirrorball/gofmt';
import { sanitizeCodes, splitCodes, type Mirror } from '@mirrorball/model';
import type { Redis } from 'ioredis';
import { decodeMirror, encodeMirror, type RedisHash } from './codec.ts';
import { keys } from './keys.ts';
import { LOG_PROTO, mirrorLog, pushMirrorLog } from './logs.ts';
import { publishMirrorFileUpdate, publishMirrorUpdate } from './subscriber.ts';

export class NameTakenError extends Error {
  override name = 'NameTakenError';
  constructor(readonly mirrorName: string) {
    super(`a mirror named ${JSON.stringify(mirrorName)} already exists`);
  }
}

export class MirrorNotFoundError extends Error {
  override name = 'MirrorNotFoundError';
  constructor(readonly id: number) {
    super(`no mirror with id ${id}`);
  }
}

export class MirrorValidationError extends Error {
  override name = 'MirrorValidationError';
}

/** Result of EXEC: throw the first command error, if any. */
function checkExec(results: [Error | null, unknown][] | null, what: string): void {
  if (!results) throw new Error(`${what}: transaction aborted`);
  for (const [err] of results) if (err) throw err;
}

export async function getMirror(redis: Redis, id: number): Promise<Mirror | null> {
  return decodeMirror(id, await redis.hgetall(keys.mirror(id)));
}

/** `HGETALL MIRRORS` → id → name. Non-numeric ids (never written by Mirrorbits) are skipped. */
export async function mirrorNames(redis: Redis): Promise<Map<number, string>> {
  const all = await redis.hgetall(keys.mirrors);
  const out = new Map<number, string>();
  for (const [id, name] of Object.entries(all)) if (/^\d+$/.test(id)) out.set(Number(id), name);
  return out;
}

/** Every mirror listed in `MIRRORS` whose record exists, ordered by id (HGETALL MIRRORS, then pipelined HGETALLs). */
export async function listMirrors(redis: Redis): Promise<Mirror[]> {
  const ids = [...(await mirrorNames(redis)).keys()].sort((a, b) => a - b);
  if (ids.length === 0) return [];
  const p = redis.pipeline();
  for (const id of ids) p.hgetall(keys.mirror(id));
  const replies = (await p.exec()) ?? [];
  const out: Mirror[] = [];
  replies.forEach(([err, hash], i) => {
    if (err) throw err;
    const m = decodeMirror(ids[i]!, hash as RedisHash);
    if (m) out.push(m);
  });
  return out;
}

/** Exact, case-sensitive name lookup in `MIRRORS`. */
export async function findMirrorIdByName(redis: Redis, name: string): Promise<number | null> {
  for (const [id, n] of await mirrorNames(redis)) if (n === name) return id;
  return null;
}

const withSlash = (u: string) => (u === '' || u.endsWith('/') ? u : u + '/');

/** What Mirrorbits does to a record before saving it (§4.4). Throws MirrorValidationError on an unusable name. */
export function normalizeMirror(m: Mirror): Mirror {
  const name = m.name.trim();
  if (name === '') throw new MirrorValidationError('mirror name must not be empty');
  if (/\s/.test(name)) throw new MirrorValidationError(`mirror name must not contain spaces: ${JSON.stringify(name)}`);
  for (const [field, v] of [['score', m.score], ['asnum', m.asnum], ['allowRedirects', m.allowRedirects]] as const) {
    if (!Number.isSafeInteger(v)) throw new MirrorValidationError(`${field} must be an integer, got ${v}`);
  }
  if (m.asnum < 0) throw new MirrorValidationError(`asnum must not be negative, got ${m.asnum}`);
  if (![0, 1, 2].includes(m.allowRedirects)) throw new MirrorValidationError(`allowRedirects must be 0, 1 or 2, got ${m.allowRedirects}`);
  if (!Number.isFinite(m.latitude) || Math.abs(m.latitude) > 90) throw new MirrorValidationError(`latitude must be within ±90, got ${m.latitude}`);
  if (!Number.isFinite(m.longitude) || Math.abs(m.longitude) > 180) throw new MirrorValidationError(`longitude must be within ±180, got ${m.longitude}`);
  const countryCodes = sanitizeCodes(m.countryCodes);
  const excludedCountryCodes = sanitizeCodes(m.excludedCountryCodes);
  return {
    ...m,
    name,
    httpURL: withSlash(m.httpURL.trim()),
    rsyncURL: withSlash(m.rsyncURL.trim()),
    ftpURL: withSlash(m.ftpURL.trim()),
    continentCode: sanitizeCodes(m.continentCode),
    countryCodes,
    excludedCountryCodes,
    countryList: splitCodes(countryCodes),
    excludedCountryList: splitCodes(excludedCountryCodes),
  };
}

async function assertNameFree(redis: Redis, name: string, selfId?: number): Promise<void> {
  for (const [id, n] of await mirrorNames(redis)) if (n === name && id !== selfId) throw new NameTakenError(name);
}

async function saveMirror(redis: Redis, m: Mirror): Promise<void> {
  const key = keys.mirror(m.id);
  const multi = redis.multi();
  multi.hmset(key, ...encodeMirror(m));
  if (m.httpURL.startsWith('http://')) multi.hmset(key, 'httpsUp', '0');
  else if (m.httpURL.startsWith('https://')) multi.hmset(key, 'httpUp', '0');
  multi.hset(keys.mirrors, String(m.id), m.name);
  checkExec(await multi.exec(), `save mirror ${m.id}`);
}

/**
 * Add a mirror: name check, `INCR LAST_MID`, one MULTI/EXEC, PUBLISH, `added` log. Returns the
 * new id. (Like Mirrorbits, two concurrent adds of one name are not serialised.)
 */
export async function addMirror(redis: Redis, mirror: Mirror, now: GoTime = goTimeFromDate(new Date())): Promise<number> {
  const m0 = normalizeMirror(mirror);
  await assertNameFree(redis, m0.name);
  const id = await redis.incr(keys.lastMirrorId);
  const m = { ...m0, id };
  await saveMirror(redis, m);
  await publishMirrorUpdate(redis, id);
  await pushMirrorLog(redis, mirrorLog(id, { type: 2 }, now));
  return id;
}

/** Edit mirror `m.id` (renaming allowed; the new name must be free). Same transaction as add, `edited` log. */
export async function updateMirror(redis: Redis, mirror: Mirror, now: GoTime = goTimeFromDate(new Date())): Promise<void> {
  const m = normalizeMirror(mirror);
  if ((await redis.hget(keys.mirrors, String(m.id))) === null) throw new MirrorNotFoundError(m.id);
  await assertNameFree(redis, m.name, m.id);
  await saveMirror(redis, m);
  await publishMirrorUpdate(redis, m.id);
  await pushMirrorLog(redis, mirrorLog(m.id, { type: 3 }, now));
}

/** `HMSET MIRROR_<id> enabled 1|0`, PUBLISH, `enabled`/`disabled` log. */
export async function setMirrorEnabled(redis: Redis, id: number, enabled: boolean, now: GoTime = goTimeFromDate(new Date())): Promise<void> {
  if ((await redis.hget(keys.mirrors, String(id))) === null) throw new MirrorNotFoundError(id);
  await redis.hmset(keys.mirror(id), 'enabled', formatRedisBool(enabled));
  await publishMirrorUpdate(redis, id);
  await pushMirrorLog(redis, mirrorLog(id, { type: enabled ? 4 : 5 }, now));
}

/**
 * Remove a mirror (§4.4): disable, then one MULTI dropping its per-file records (with an
 * invalidation each), its own keys and its `MIRRORS` entry; statistics are kept. Mirrorball's
 * own per-mirror keys go in the same transaction.
 */
export async function removeMirror(redis: Redis, id: number, now: GoTime = goTimeFromDate(new Date())): Promise<void> {
  await setMirrorEnabled(redis, id, false, now);
  const files = await redis.smembers(keys.mirrorFiles(id));
  const multi = redis.multi();
  for (const f of files) {
    multi.del(keys.fileInfo(id, f));
    multi.srem(keys.fileMirrors(f), String(id));
    publishMirrorFileUpdate(multi, id, f);
  }
  multi.del(keys.mirror(id), keys.mirrorFiles(id), keys.mirrorFilesTmp(id), keys.handledFiles(id), keys.scanning(id), keys.mirrorLogs(id));
  multi.hdel(keys.mirrors, String(id));
  for (const f of files) multi.del(keys.content(id, f));
  multi.del(keys.contentBad(id), keys.scanState(id), keys.scanStaging(id));
  checkExec(await multi.exec(), `remove mirror ${id}`);
  await publishMirrorUpdate(redis, id);
}

export type HealthProto = 'http' | 'https';

/**
 * Record a health-check result (§4.4): HGET the previous state (missing = down); HMSET the
 * state and reason, plus `stateSince` only on a change; PUBLISH; a `state changed` log only on a
 * change. Returns whether the state changed.
 */
export async function setHealthState(
  redis: Redis, id: number, proto: HealthProto, up: boolean, reason: string, now: GoTime = goTimeFromDate(new Date()),
): Promise<boolean> {
  const upField = proto === 'http' ? 'httpUp' : 'httpsUp';
  const reasonField = proto === 'http' ? 'httpDownReason' : 'httpsDownReason';
  const key = keys.mirror(id);
  const previous = parseGoBool(await redis.hget(key, upField));
  const changed = previous !== up;
  const args = [upField, formatRedisBool(up), reasonField, up ? '' : reason];
  if (changed) args.push('stateSince', String(now.sec));
  await redis.hmset(key, ...args);
  await publishMirrorUpdate(redis, id);
  if (changed) {
    await pushMirrorLog(redis, mirrorLog(id, { type: 6, proto: proto === 'http' ? LOG_PROTO.HTTP : LOG_PROTO.HTTPS, up, reason: up ? '' : reason }, now));
  }
  return changed;
}

/** Scan/trace bookkeeping fields of a mirror, by their model names. */
export interface MirrorSyncFields {
  lastSync?: number;
  lastSuccessfulSync?: number;
  lastSuccessfulSyncProtocol?: number;
  lastSuccessfulSyncPrecision?: number;
  lastModTime?: number;
  tzOffsetMs?: number;
}

const SYNC_FIELD_NAMES: Record<keyof MirrorSyncFields, string> = {
  lastSync: 'lastSync',
  lastSuccessfulSync: 'lastSuccessfulSync',
  lastSuccessfulSyncProtocol: 'lastSuccessfulSyncProtocol',
  lastSuccessfulSyncPrecision: 'lastSuccessfulSyncPrecision',
  lastModTime: 'lastModTime',
  tzOffsetMs: 'tzoffset',
};

/** The `HMSET MIRROR_<id>` arguments for sync fields (for callers building their own MULTI). */
export function encodeSyncFields(fields: MirrorSyncFields): string[] {
  const args: string[] = [];
  for (const [k, v] of Object.entries(fields) as [keyof MirrorSyncFields, number | undefined][]) {
    if (v === undefined) continue;
    if (!Number.isFinite(v)) throw new MirrorValidationError(`${k} must be a finite number, got ${v}`);
    args.push(SYNC_FIELD_NAMES[k], String(Math.trunc(v)));
  }
  return args;
}

/** `HMSET MIRROR_<id> …` for worker bookkeeping, then PUBLISH the mirror update. */
export async function setMirrorFields(redis: Redis, id: number, fields: MirrorSyncFields): Promise<void> {
  const args = encodeSyncFields(fields);
  if (args.length === 0) return;
  await redis.hmset(keys.mirror(id), ...args);
  await publishMirrorUpdate(redis, id);
}
