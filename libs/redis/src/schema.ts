/**
 * Schema versioning (contract §4.6): read `MIRRORBITS_DB_VERSION`, initialise a fresh
 * database, refuse newer schemas, and upgrade v0/v1 databases the way Mirrorbits does: build
 * scratch keys (V1_* / V2_*), then one MULTI/EXEC that swaps them in and sets the version, so a
 * failed upgrade leaves the old data untouched and is simply redone.
 */
import { formatRedisBool, parseGoBool } from '@mirrorball/gofmt';
import type { Redis } from 'ioredis';
import { DB_VERSION, keys } from './keys.ts';
import { UpgradeLock } from './locks.ts';

export class SchemaVersionError extends Error {
  override name = 'SchemaVersionError';
}

export interface SchemaLog {
  info?(msg: string): void;
  warn?(msg: string): void;
}

export interface EnsureSchemaOptions {
  log?: SchemaLog;
  /** Wait between LOADING retries and upgrade-lock attempts (Mirrorbits: 100 ms). */
  retryMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isLoading = (err: unknown) => /^LOADING/.test(String((err as Error)?.message ?? err));

async function withLoadingRetry<T>(fn: () => Promise<T>, retryMs: number): Promise<T> {
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (!isLoading(err)) throw err;
      await sleep(retryMs);
    }
  }
}

/**
 * The schema version in Redis. Missing: 0 when `MIRRORS` exists (a pre-versioning database;
 * a `MIRRORS` hash means ids are already in use, i.e. version 1), else the database is fresh
 * and version 2 is written.
 */
export async function readSchemaVersion(redis: Redis, retryMs = 100): Promise<number> {
  const raw = await withLoadingRetry(() => redis.get(keys.dbVersion), retryMs);
  if (raw === null) {
    const type = await redis.type(keys.mirrors);
    if (type === 'list') return 0;
    if (type === 'hash') return 1;
    if (type !== 'none') throw new SchemaVersionError(`unexpected type ${type} of key ${keys.mirrors}`);
    // NX: two nodes initialising the same fresh database must not race an upgrade.
    await redis.set(keys.dbVersion, String(DB_VERSION), 'NX');
    return readSchemaVersion(redis, retryMs);
  }
  if (!/^\d+$/.test(raw)) throw new SchemaVersionError(`invalid database version ${JSON.stringify(raw)} in ${keys.dbVersion}`);
  return Number(raw);
}

/**
 * Make the database usable at schema 2, upgrading if needed. Throws SchemaVersionError for a
 * newer schema (the caller retries and stays not-ready, as Mirrorbits does).
 */
export async function ensureSchema(redis: Redis, opts: EnsureSchemaOptions = {}): Promise<number> {
  const retryMs = opts.retryMs ?? 100;
  let version = await readSchemaVersion(redis, retryMs);
  if (version > DB_VERSION) throw new SchemaVersionError(`unsupported database version ${version}, please upgrade Mirrorball`);
  if (version === DB_VERSION) return version;
  const lock = new UpgradeLock(redis);
  await lock.acquire(retryMs);
  try {
    // Another node may have finished the upgrade while we waited for the lock.
    version = await readSchemaVersion(redis, retryMs);
    if (version > DB_VERSION) throw new SchemaVersionError(`unsupported database version ${version}, please upgrade Mirrorball`);
    for (let v = version + 1; v <= DB_VERSION; v++) {
      opts.log?.warn?.(`Upgrading database from version ${v - 1} to version ${v}...`);
      if (v === 1) await upgradeV0toV1(redis);
      else await upgradeV1toV2(redis);
      if (!lock.held) throw new Error('lost the upgrade lock during the upgrade');
    }
  } finally {
    await lock.release();
  }
  return DB_VERSION;
}

/** All keys matching `pattern` (SCAN, never KEYS, so a large database is not blocked). */
export async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const out = new Set<string>();
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    for (const k of batch) out.add(k);
    cursor = next;
  } while (cursor !== '0');
  return [...out];
}

async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  const found = await scanKeys(redis, pattern);
  for (let i = 0; i < found.length; i += 1000) await redis.del(...found.slice(i, i + 1000));
}

/** DUMP/RESTORE copy (COPY needs Redis 6.2); false when the source does not exist. */
async function copyKey(redis: Redis, src: string, dst: string): Promise<boolean> {
  const dump = await redis.dumpBuffer(src);
  if (dump === null) return false;
  await redis.restore(dst, 0, dump, 'REPLACE');
  return true;
}

async function execAll(multi: ReturnType<Redis['multi']>, what: string): Promise<void> {
  const res = await multi.exec();
  if (!res) throw new Error(`${what}: transaction aborted`);
  for (const [err] of res) if (err) throw new Error(`${what}: ${String(err)}`);
}

const V1 = keys.v1Scratch;
const V2 = keys.v2Scratch;

/** v0 → v1: mirrors get numeric ids; every key and member that used a name uses the id. */
export async function upgradeV0toV1(redis: Redis): Promise<void> {
  await deleteKeys(redis, 'V1_*');
  const names = await redis.lrange(keys.mirrors, 0, -1);
  const idOf = new Map<string, number>();
  for (const name of names) {
    if (idOf.has(name)) continue;
    idOf.set(name, await redis.incr(keys.lastMirrorId));
  }
  const dels: string[] = [keys.mirrors];
  const renames: [string, string][] = [];
  if (idOf.size > 0) {
    await redis.hset(V1(keys.mirrors), ...[...idOf].flatMap(([n, id]) => [String(id), n]));
    renames.push([V1(keys.mirrors), keys.mirrors]);
  }

  for (const [name, id] of idOf) {
    const oldMirror = `MIRROR_${name}`, oldFiles = `MIRROR_${name}_FILES`, oldHandled = `HANDLEDFILES_${name}`;
    // A listed name without a record still gets a (minimal) record, so MIRRORS stays consistent.
    await copyKey(redis, oldMirror, V1(keys.mirror(id)));
    await redis.hset(V1(keys.mirror(id)), 'ID', String(id), 'name', name);
    dels.push(oldMirror);
    renames.push([V1(keys.mirror(id)), keys.mirror(id)]);
    if (await copyKey(redis, oldFiles, V1(keys.mirrorFiles(id)))) renames.push([V1(keys.mirrorFiles(id)), keys.mirrorFiles(id)]);
    dels.push(oldFiles);
    if (await copyKey(redis, oldHandled, V1(keys.handledFiles(id)))) renames.push([V1(keys.handledFiles(id)), keys.handledFiles(id)]);
    dels.push(oldHandled);
    for (const file of await redis.smembers(oldFiles)) {
      const oldInfo = `FILEINFO_${name}_${file}`;
      if (await copyKey(redis, oldInfo, V1(keys.fileInfo(id, file)))) renames.push([V1(keys.fileInfo(id, file)), keys.fileInfo(id, file)]);
      dels.push(oldInfo);
    }
  }

  // FILEMIRRORS_<path>: member names → ids; names of removed mirrors are dropped.
  for (const key of await scanKeys(redis, 'FILEMIRRORS_*')) {
    if ((await redis.type(key)) !== 'set') continue;
    const ids = (await redis.smembers(key)).map((n) => idOf.get(n)).filter((x): x is number => x !== undefined);
    dels.push(key);
    if (ids.length) {
      await redis.sadd(V1(key), ...ids.map(String));
      renames.push([V1(key), key]);
    }
  }

  // STATS_MIRROR[_BYTES][_date]: fields names → ids.
  for (const key of [...(await scanKeys(redis, 'STATS_MIRROR_*')), 'STATS_MIRROR']) {
    if ((await redis.type(key)) !== 'hash') continue;
    const fields = await redis.hgetall(key);
    const mapped = Object.entries(fields).flatMap(([n, v]) => (idOf.has(n) ? [String(idOf.get(n)), v] : []));
    dels.push(key);
    if (mapped.length) {
      await redis.hset(V1(key), ...mapped);
      renames.push([V1(key), key]);
    }
  }

  // One transaction: old keys go first, so a name that looks like an id cannot clobber a new key.
  const multi = redis.multi();
  for (let i = 0; i < dels.length; i += 1000) multi.del(...dels.slice(i, i + 1000));
  for (const [from, to] of renames) multi.rename(from, to);
  multi.set(keys.dbVersion, '1');
  await execAll(multi, 'upgrade to version 1');
}

/** v1 → v2 (Mirrorbits 0.6): `up`/`excludeReason` become per-protocol fields. */
export async function upgradeV1toV2(redis: Redis): Promise<void> {
  await deleteKeys(redis, 'V2_*');
  const renames: [string, string][] = [];
  for (const key of await scanKeys(redis, 'MIRROR_*')) {
    if ((await redis.type(key)) !== 'hash') continue;
    const scratch = V2(key);
    await copyKey(redis, key, scratch);
    const [http, up = null, reason = null] = await redis.hmget(scratch, 'http', 'up', 'excludeReason');
    const secure = (http ?? '').startsWith('https://');
    const multi = redis.multi();
    if (up !== null) {
      multi.hset(scratch, secure ? 'httpsUp' : 'httpUp', formatRedisBool(parseGoBool(up)));
      multi.hdel(scratch, 'up');
    }
    if (reason !== null) {
      multi.hset(scratch, secure ? 'httpsDownReason' : 'httpDownReason', reason);
      multi.hdel(scratch, 'excludeReason');
    }
    await execAll(multi, `upgrade ${key}`);
    renames.push([scratch, key]);
  }
  const multi = redis.multi();
  for (const [from, to] of renames) multi.rename(from, to);
  multi.set(keys.dbVersion, '2');
  await execAll(multi, 'upgrade to version 2');
}
