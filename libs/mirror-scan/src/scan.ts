import type { Redis } from 'ioredis';
import {
  CHANNELS, ClusterLock, decodeFileInfo, decodeMirrorFileInfo, encodeMirrorFileInfo, FILE_FIELDS, keys, mirrorLog, pushMirrorLog,
} from '@mirrorball/redis';
import { SYNC_PROTOCOL, type Mirror } from '@mirrorball/model';
import { formatGoTimeString } from '@mirrorball/gofmt';
import { ScanAbortedError, ScanError, ScanLockedError } from './errors.ts';
import { listRsync } from './rsync.ts';
import { listFtp } from './ftp.ts';
import { listHttp } from './http.ts';
import { APPLY_SCRIPT, DISCARD_SCRIPT, SNAPSHOT_SCRIPT, STAGE_SCRIPT } from './apply.lua.ts';
import { fetchTraceTimestamp, traceUrl } from './trace.ts';
import { guessTimezoneOffset, type TzSample } from './tzoffset.ts';
import { createAgents } from './http-client.ts';
import { NS_PER_SEC, SILENT_LOG, type ListedFile, type MirrorListing, type ScanLog } from './types.ts';

export type ScanProtocols = 'all' | 'rsync' | 'ftp' | 'http';

/** The configuration keys a scan reads (a full @mirrorball/config Config fits). */
export interface ScanConfig {
  TraceFileLocation?: string;
  FixTimezoneOffsets?: boolean;
  HttpScan?: { Concurrency: number; RequestsPerSecond: number };
}

export interface ScanOptions {
  protocols?: ScanProtocols;
  config?: ScanConfig;
  signal?: AbortSignal;
  log?: ScanLog;
  /**
   * Extra CA certificates (PEM) trusted for HTTPS (HTTP scans, trace file) on top of the system
   * ones. Tests pass their private CA here; production leaves it unset.
   */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Files per pipelined staging batch (default 1000). */
  batchSize?: number;
  /** FTP timeouts (default: the contract's 5 s connect, 30 s per operation). */
  ftp?: { connectTimeoutMs?: number; opTimeoutMs?: number };
  /** Override program paths (tests). */
  rsyncBinary?: string;
  /** Lock TTL/refresh (tests); defaults are the contract's 10 s / 5 s. */
  lock?: { ttlSec?: number; refreshMs?: number };
}

export interface ScanResult {
  filesIndexed: number;
  knownIndexed: number;
  removed: number;
  tzOffsetMs: number;
  /** 0 rsync, 1 FTP, 2 HTTP. */
  protocol: number;
  /** FILEINFO records written because they were new or changed. */
  changed: number;
  /** Listing entries skipped as unparsable. */
  skipped: number;
  precisionNs: number;
  /** Where the time went: listing + staging (overlapped), and the atomic apply (blocks Redis). */
  timings: { listMs: number; applyMs: number };
}

const PROTOCOL_NAMES = ['rsync', 'FTP', 'HTTP'];

/**
 * Scan one mirror and record its files exactly as Mirrorbits does (contract §8.2: same keys, same
 * values, same messages), under the `SCANNING_<id>` cluster lock. Deliberate differences:
 * - Atomic: the listing is compared in memory with the previous scan (read from MIRRORFILES_<id>
 *   and FILEINFO) and only the differences are staged in `MIRRORBALL_SCANTMP_<id>`; one Lua
 *   script applies them at the end. A scan that fails, is aborted or whose process dies leaves the
 *   previous set fully in place, and readers never see half a listing.
 * - Unchanged FILEINFO records are neither rewritten nor re-published (Mirrorbits rewrites all),
 *   which keeps rescans cheap; MIRRORFILES_<id> is updated in place (SADD/SREM), not renamed.
 * - An empty listing from a mirror that had files is refused as an error (Mirrorbits would drop
 *   every FILEINFO/FILEMIRRORS entry): it is far more often a broken mirror than a wiped one.
 */
export async function scanMirror(redis: Redis, mirror: Mirror, opts: ScanOptions = {}): Promise<ScanResult> {
  const log = opts.log ?? SILENT_LOG;
  const id = mirror.id;
  const name = await redis.hget(keys.mirrors, String(id));
  if (name === null) throw new ScanError(`mirror ${id} not found`, true);
  const attempts = pickProtocols(mirror, opts.protocols ?? 'all');
  if (attempts.length === 0) throw new ScanError('no suitable URL for the scan', true);

  const abort = new AbortController();
  const onOuterAbort = () => abort.abort();
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (opts.signal?.aborted) abort.abort();
  const lock = ClusterLock.forMirrorScan(redis, id, {
    ...opts.lock,
    onLost: () => {
      log.warn(`[${name}] scan lock lost; aborting the scan`);
      abort.abort();
    },
  });
  if (!(await lock.tryAcquire())) {
    opts.signal?.removeEventListener('abort', onOuterAbort);
    throw new ScanLockedError(id);
  }
  const signal = abort.signal;
  try {
    const started = nowSec();
    await redis.multi().hset(keys.mirror(id), 'lastSync', String(started)).exec();
    await redis.publish(CHANNELS.mirrorUpdate, String(id));

    const trace = runTrace(redis, mirror, name, opts, signal, log);
    let lastError: Error | null = null;
    for (const proto of attempts) {
      if (signal.aborted) break;
      const listing = makeListing(mirror, proto, opts, signal, log, name);
      await pushMirrorLog(redis, mirrorLog(id, { type: 7, typ: proto }));
      try {
        const t0 = performance.now();
        await stageListing(redis, id, listing, opts.batchSize ?? 1000, signal);
        const listMs = performance.now() - t0;
        const result = await applyListing(redis, mirror, name, listing, opts, log);
        result.timings.listMs = Math.round(listMs);
        await trace;
        return result;
      } catch (e) {
        lastError = e instanceof Error ? e : new Error(String(e));
        if (signal.aborted && !(lastError instanceof ScanAbortedError)) lastError = new ScanAbortedError();
        await discardStaging(redis, id).catch(() => {});
        await pushMirrorLog(redis, mirrorLog(id, { type: 1, err: lastError.message })).catch(() => {});
        log.warn(`[${name}] ${PROTOCOL_NAMES[proto]} scan failed: ${lastError.message}`);
        if (lastError instanceof ScanAbortedError) break;
      }
    }
    await trace;
    throw lastError ?? new ScanAbortedError();
  } finally {
    opts.signal?.removeEventListener('abort', onOuterAbort);
    await lock.release().catch(() => {});
  }
}

/** rsync if set, then FTP (if rsync failed), then HTTP when neither is configured or both failed. */
function pickProtocols(m: Mirror, which: ScanProtocols): number[] {
  const out: number[] = [];
  if ((which === 'all' || which === 'rsync') && m.rsyncURL) out.push(SYNC_PROTOCOL.RSYNC);
  if ((which === 'all' || which === 'ftp') && m.ftpURL) out.push(SYNC_PROTOCOL.FTP);
  if ((which === 'all' || which === 'http') && m.httpURL) out.push(SYNC_PROTOCOL.HTTP);
  return out;
}

function makeListing(m: Mirror, proto: number, opts: ScanOptions, signal: AbortSignal, log: ScanLog, name: string): MirrorListing {
  const prefixed: ScanLog = {
    info: (msg, f) => log.info(`[${name}] ${msg}`, f),
    warn: (msg, f) => log.warn(`[${name}] ${msg}`, f),
  };
  if (proto === SYNC_PROTOCOL.RSYNC) return listRsync(m.rsyncURL, { signal, log: prefixed, binary: opts.rsyncBinary });
  if (proto === SYNC_PROTOCOL.FTP) return listFtp(m.ftpURL, { signal, log: prefixed, ...opts.ftp });
  return listHttp(m.httpURL, {
    signal, log: prefixed, ca: opts.ca,
    concurrency: opts.config?.HttpScan?.Concurrency,
    requestsPerSecond: opts.config?.HttpScan?.RequestsPerSecond,
  });
}

// Listings repeat timestamps a lot and formatting one costs a Date: cache whole-second UTC ones.
const timeCache = new Map<number, string>();
function timeText(file: ListedFile): string {
  if (file.zone) return formatGoTimeString(file.modTime, 0, file.zone);
  if (file.modTime.nsec !== 0) return encodeMirrorFileInfo(file)[3]!; // ['size', n, 'modTime', goTime]
  let t = timeCache.get(file.modTime.sec);
  if (t === undefined) {
    if (timeCache.size > 100_000) timeCache.clear();
    t = encodeMirrorFileInfo(file)[3]!;
    timeCache.set(file.modTime.sec, t);
  }
  return t;
}

/** Drop an unapplied staging area, including FILEINFO records written early for new files. */
async function discardStaging(redis: Redis, id: number): Promise<void> {
  await redis.eval(DISCARD_SCRIPT, 3, keys.scanStaging(id), keys.mirrorFiles(id), keys.mirrorFilesTmp(id), keys.fileInfo(id, ''));
}

/** path → "size modTime" of what the mirror held after its last scan. */
async function loadSnapshot(redis: Redis, id: number): Promise<Map<string, string>> {
  const flat = (await redis.eval(SNAPSHOT_SCRIPT, 1, keys.mirrorFiles(id), keys.fileInfo(id, ''))) as string[];
  const prev = new Map<string, string>();
  for (let i = 0; i < flat.length; i += 2) prev.set(flat[i]!, flat[i + 1]!);
  return prev;
}

/**
 * Stream the listing, compare each file with the previous scan, and stage only the differences
 * (changed → "size modTime" and vanished → "" in the staging hash; new paths in MIRRORFILESTMP_<id>)
 * in batches, one in flight while the next is listed. FILEINFO of new paths is written here already: no reader looks at it
 * before the mirror joins FILEMIRRORS_<path> in the apply script, and it keeps that script (which
 * blocks Redis) short. Nothing a reader looks at changes until the apply script runs.
 */
async function stageListing(
  redis: Redis, id: number, listing: MirrorListing, batchSize: number, signal: AbortSignal,
): Promise<{ listed: number; previous: number }> {
  const staging = keys.scanStaging(id);
  await discardStaging(redis, id); // what a killed scan left behind
  // Read the previous state while the mirror starts answering; needed from the first batch on.
  const snapshot = loadSnapshot(redis, id);
  snapshot.catch(() => {});
  let prev: Map<string, string> | null = null;
  let previous = 0;
  let inFlight: Promise<unknown> = Promise.resolve();
  let fields: string[] = [];
  let fresh: Array<[string, string]> = [];
  let listed = 0;
  const flush = async () => {
    if (fields.length === 0 && fresh.length === 0) return;
    const f = fields;
    const n = fresh;
    fields = [];
    fresh = [];
    await inFlight;
    // Staged first, in the same script: a killed scan's early FILEINFO records can always be found.
    const args: string[] = [keys.fileInfo(id, ''), String(f.length / 2), ...f];
    for (const [path, v] of n) {
      const sp = v.indexOf(' ');
      args.push(path, v.slice(0, sp), v.slice(sp + 1));
    }
    inFlight = redis.eval(STAGE_SCRIPT, 2, staging, keys.mirrorFilesTmp(id), ...args);
    inFlight.catch(() => {}); // observed by the next await; never an unhandled rejection meanwhile
  };
  for await (const batch of listing.batches()) {
    if (!prev) {
      prev = await snapshot;
      previous = prev.size;
    }
    for (const file of batch) {
      const v = `${file.size} ${timeText(file)}`;
      listed++;
      const old = prev.get(file.path);
      if (old !== undefined) prev.delete(file.path);
      if (old === v) continue; // unchanged: not rewritten, not re-published
      if (old === undefined) fresh.push([file.path, v]);
      else fields.push(file.path, v);
      if (fields.length + 2 * fresh.length >= 2 * batchSize) await flush();
    }
  }
  if (signal.aborted) throw new ScanAbortedError();
  if (!prev) {
    prev = await snapshot;
    previous = prev.size;
  }
  if (listed === 0 && previous > 0) {
    throw new ScanError(`empty file list (the mirror had ${previous} files); previous file list kept`);
  }
  for (const path of prev.keys()) {
    fields.push(path, '');
    if (fields.length >= 2 * batchSize) await flush();
  }
  await flush();
  await inFlight;
  return { listed, previous };
}

type ApplyReply = [number, number, number, number];

async function applyListing(
  redis: Redis, mirror: Mirror, name: string, listing: MirrorListing, opts: ScanOptions, log: ScanLog,
): Promise<ScanResult> {
  const id = mirror.id;
  const t0 = performance.now();
  const [changed, removed, knownIndexed, filesIndexed] = (await redis.eval(
    APPLY_SCRIPT, 5,
    keys.scanStaging(id), keys.mirrorFiles(id), keys.handledFiles(id), keys.files, keys.mirrorFilesTmp(id),
    keys.fileInfo(id, ''), keys.fileMirrors(''), String(id), CHANNELS.mirrorFileUpdate,
  )) as ApplyReply;
  const applyMs = Math.round(performance.now() - t0);
  const precisionNs = listing.precisionNs > 0 ? listing.precisionNs : NS_PER_SEC; // 0 (no dates) is stored as 1 s
  const now = String(nowSec());
  await redis.multi()
    .hset(keys.mirror(id), 'lastSync', now)
    .hmset(keys.mirror(id), 'lastSuccessfulSync', now, 'lastSuccessfulSyncProtocol', String(listing.protocol),
      'lastSuccessfulSyncPrecision', String(precisionNs))
    .exec();
  await redis.publish(CHANNELS.mirrorUpdate, String(id));

  const tzOffsetMs = opts.config?.FixTimezoneOffsets ? await detectTimezoneOffset(redis, id, precisionNs, name, log) : 0;
  await redis.hmset(keys.mirror(id), 'tzoffset', String(tzOffsetMs));
  await redis.publish(CHANNELS.mirrorUpdate, String(id));

  const result = { filesIndexed, knownIndexed, removed, tzOffsetMs };
  log.info(`[${name}] Indexed ${filesIndexed} files (${knownIndexed} known), ${removed} removed`);
  await pushMirrorLog(redis, mirrorLog(id, { type: 8, ...result }));
  return { ...result, protocol: listing.protocol, changed, skipped: listing.skipped, precisionNs, timings: { listMs: 0, applyMs } };
}

/** Contract §8.6, sampling 100 random handled files. */
async function detectTimezoneOffset(redis: Redis, id: number, precisionNs: number, name: string, log: ScanLog): Promise<number> {
  const sample = await redis.srandmember(keys.handledFiles(id), 100);
  if (sample.length === 0) return 0;
  const p = redis.pipeline();
  for (const path of sample) {
    p.hmget(keys.file(path), ...FILE_FIELDS);
    p.hmget(keys.fileInfo(id, path), ...FILE_FIELDS);
  }
  const res = (await p.exec()) ?? [];
  const pairs: TzSample[] = sample.map((path, i) => ({
    local: decodeFileInfo(path, (res[2 * i]?.[1] as (string | null)[]) ?? []),
    mirror: decodeMirrorFileInfo((res[2 * i + 1]?.[1] as (string | null)[]) ?? []),
  }));
  const guess = guessTimezoneOffset(pairs, precisionNs);
  if (guess.reason) log.warn(`[${name}] ${guess.reason}`);
  return guess.offsetMs;
}

/** Trace file (§8.5), in parallel with the listing; its failure never fails the scan. */
async function runTrace(redis: Redis, mirror: Mirror, name: string, opts: ScanOptions, signal: AbortSignal, log: ScanLog): Promise<void> {
  const location = opts.config?.TraceFileLocation;
  if (!location || !mirror.httpURL) return;
  const agent = createAgents({ ca: opts.ca, keepAlive: false });
  try {
    const ts = await fetchTraceTimestamp(traceUrl(mirror, location), { signal, agent });
    if (ts === null) {
      log.warn(`[${name}] trace file: no timestamp found`);
      return;
    }
    await redis.hset(keys.mirror(mirror.id), 'lastModTime', String(ts));
    await redis.publish(CHANNELS.mirrorUpdate, String(mirror.id));
  } catch (e) {
    log.warn(`[${name}] trace file: ${(e as Error).message}`);
  } finally {
    agent.destroy();
  }
}

function nowSec(): number {
  return Math.floor(Date.now() / 1000);
}
