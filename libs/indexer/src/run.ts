import type { Redis } from 'ioredis';
import type { FileInfo } from '@mirrorball/model';
import { ClusterLock, encodeFileInfo, keys } from '@mirrorball/redis';
import { SourceError, silentLog, withRetry, type Log, type RetryPolicy, type Source, type SourceObject } from '@mirrorball/source';
import { hashStream, type Digests, type HashSelection } from './hasher.ts';
import { hashReason } from './plan.ts';
import { manifestEtag, manifestValue } from './manifest.ts';
import { readStoredRecords, type StoredRecord } from './previous.ts';
import { IndexProgress, formatBytes } from './progress.ts';
import { computeRangeSpec, formatRanges, rangeSpecName, DEFAULT_RANGE_HASHES, type RangeHashConfig } from './range-spec.ts';
import { writeIndex, type IndexEntry } from './write.ts';

export interface IndexOptions {
  redis: Redis;
  source: Source;
  hashes: HashSelection;
  rangeHashes?: RangeHashConfig;
  /** `refresh -rehash`: hash every file again. */
  rehash?: boolean;
  /** Objects hashed at once (each holds one stream chunk in memory). */
  hashConcurrency?: number;
  /** Use hashes published in object metadata (x-amz-meta-sha256…) instead of reading the object. */
  trustMetadataHash?: boolean;
  /**
   * What to do when a file cannot be hashed after retries: `fail` the run (S3: the previous index
   * stays), or store it with `empty` hashes and go on (Mirrorbits' local behaviour).
   */
  onHashError?: 'fail' | 'empty';
  /** Retries of one object's hash pass (truncated bodies, resets). */
  hashRetry?: RetryPolicy;
  /** SOURCE_REPO_SYNC: attempts 1 s apart before "scan already in progress" (Mirrorbits: 10). */
  lockAttempts?: number;
  lockRetryMs?: number;
  log?: Log;
  /** Progress log period; 0 disables. */
  progressEveryMs?: number;
  progress?: IndexProgress;
  /** Abort between phases (SIGTERM): nothing is written once aborted. */
  signal?: AbortSignal;
}

export interface IndexResult {
  files: number;
  removed: number;
  /** FILE_<path> records written (new or changed). */
  written: number;
  hashed: number;
  hashedBytes: number;
  /** Files whose range hashes alone were (re)computed with ranged reads. */
  rangeOnly: number;
  /** Files whose hashes came from object metadata. */
  fromMetadata: number;
  hashFailures: number;
  listMs: number;
  durationMs: number;
}

export class IndexBusyError extends Error {
  override readonly name = 'IndexBusyError';
}

export class IndexAbortedError extends Error {
  override readonly name = 'IndexAbortedError';
}

const DEFAULT_HASH_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 500, maxDelayMs: 8000 };

interface Work {
  obj: SourceObject;
  stored: StoredRecord | undefined;
  full: boolean;
  rangeNeeded: boolean;
  digests?: Digests;
  fromMetadata?: boolean;
}

async function acquire(lock: ClusterLock, attempts: number, retryMs: number): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (await lock.tryAcquire()) return;
    if (i < attempts - 1) await new Promise((r) => setTimeout(r, retryMs));
  }
  throw new IndexBusyError('scan already in progress');
}

async function pool<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: unknown;
  const worker = async () => {
    while (failed === undefined && next < items.length) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (e) {
        failed ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  if (failed !== undefined) throw failed;
}

function asSourceError(e: unknown): SourceError {
  if (e instanceof SourceError) return e;
  const err = e as NodeJS.ErrnoException;
  if (/^(ECONNRESET|EPIPE|ETIMEDOUT)$/.test(err?.code ?? '') || /aborted|socket hang up|premature close/i.test(err?.message ?? ''))
    return new SourceError('transient', err.message, { cause: e });
  return new SourceError('other', err?.message ?? String(e), { cause: e });
}

/**
 * One index run (contract §7, for a directory or a bucket): list the source, hash what is new or
 * changed, then swap the index atomically. Nothing is written before listing and hashing have
 * completed, so a run that fails at any point leaves the previous index untouched.
 */
export async function runIndex(opts: IndexOptions): Promise<IndexResult> {
  const { redis, source } = opts;
  const log = opts.log ?? silentLog;
  const rcfg = opts.rangeHashes ?? DEFAULT_RANGE_HASHES;
  const spec = rangeSpecName(rcfg);
  const progress = opts.progress ?? new IndexProgress();
  const lock = ClusterLock.forSourceSync(redis, { onLost: () => log.warn('[source] lost the SOURCE_REPO_SYNC lock') });
  const checkAbort = () => {
    if (opts.signal?.aborted) throw new IndexAbortedError('index run aborted');
  };
  // Never retry once aborted.
  const classify = (e: unknown) => (opts.signal?.aborted ? new SourceError('other', 'index run aborted') : asSourceError(e));
  await acquire(lock, opts.lockAttempts ?? 10, opts.lockRetryMs ?? 1000);
  const ticker = (opts.progressEveryMs ?? 10_000) > 0 ? setInterval(() => log.info(progress.line()), opts.progressEveryMs ?? 10_000) : undefined;
  ticker?.unref();
  try {
    log.info(`[source] Scanning ${source.describe()}...`);
    const objects: SourceObject[] = [];
    const seen = new Set<string>();
    // Read while the listing goes on: the manifest (one HGETALL) says which files are unchanged,
    // so a no-change rescan reads no FILE_<path> record at all.
    const previousFiles = redis.smembers(keys.files);
    const manifestP = redis.hgetall(keys.indexManifest);
    previousFiles.catch(() => {});
    manifestP.catch(() => {});
    for await (const o of source.list()) {
      if (seen.has(o.path)) continue; // defensive: a path is indexed once
      seen.add(o.path);
      objects.push(o);
      progress.listed++;
      if (progress.listed % 10_000 === 0) checkAbort();
    }
    const listMs = Date.now() - progress.startedAt;
    checkAbort();

    const manifest = await manifestP;
    const prev = new Set(await previousFiles);
    const expected = new Map<string, string>();
    const toCheck: SourceObject[] = [];
    for (const obj of objects) {
      const m = manifestValue(obj, opts.hashes, spec);
      expected.set(obj.path, m);
      // Also re-check paths missing from FILES: another writer (e.g. a Mirrorbits node) removed them.
      if (opts.rehash || manifest[obj.path] !== m || !prev.has(obj.path)) toCheck.push(obj);
    }
    // Files the manifest does not vouch for (new, changed, or indexed by another writer): §7 rules.
    const stored = await readStoredRecords(redis, toCheck.map((o) => o.path), (p) => manifestEtag(manifest[p]));
    const work: Work[] = [];
    let toHashBytes = 0;
    for (const obj of toCheck) {
      const s = stored.get(obj.path);
      const reason = hashReason(obj, s, opts.hashes, opts.rehash ?? false);
      const ranges = formatRanges(computeRangeSpec(obj.size, rcfg));
      const rangeNeeded = reason !== null || s?.range.spec !== spec || s?.range.ranges !== ranges || s?.range.sha256 === null;
      if (reason !== null || rangeNeeded) {
        work.push({ obj, stored: s, full: reason !== null, rangeNeeded });
        if (reason !== null) toHashBytes += obj.size;
      }
    }
    progress.startHashing(work.length, toHashBytes);
    log.info(`[source] listed ${objects.length} files in ${listMs} ms; ${work.filter((w) => w.full).length} to hash (${formatBytes(toHashBytes)})`);

    let hashFailures = 0;
    let fromMetadata = 0;
    const hashRetry = opts.hashRetry ?? DEFAULT_HASH_RETRY;
    await pool(work, opts.hashConcurrency ?? 4, async (w) => {
      checkAbort();
      const ranges = computeRangeSpec(w.obj.size, rcfg);
      try {
        if (w.full && opts.trustMetadataHash && source.publishedHashes) {
          const pub = await source.publishedHashes(w.obj.path);
          const ok = (['sha1', 'sha256', 'md5'] as const).every((a) => !opts.hashes[a] || pub[a]);
          if (ok) {
            const rangeDigests = await hashRanges(source, w.obj, ranges, hashRetry, classify);
            w.digests = {
              sha1: opts.hashes.sha1 ? pub.sha1! : '',
              sha256: opts.hashes.sha256 ? pub.sha256! : '',
              md5: opts.hashes.md5 ? pub.md5! : '',
              ranges: rangeDigests,
            };
            w.fromMetadata = true;
            fromMetadata++;
            return;
          }
        }
        if (w.full) {
          w.digests = await withRetry(hashRetry, w.obj.path, async () => {
            let counted = 0;
            const stream = await source.open(w.obj.path);
            // SIGTERM must not wait for a multi-GB object to finish.
            const stop = () => stream.destroy(new Error('index run aborted'));
            opts.signal?.addEventListener('abort', stop, { once: true });
            if (opts.signal?.aborted) stop();
            try {
              return await hashStream(stream, opts.hashes, ranges, w.obj.size, (n) => {
                counted += n;
                progress.hashedBytes += n;
              });
            } catch (e) {
              stream.destroy();
              progress.hashedBytes -= counted; // a retried pass counts once
              throw e;
            } finally {
              opts.signal?.removeEventListener('abort', stop);
            }
          }, classify, (err, attempt) => log.warn(`[source] ${w.obj.path}: ${err.message}; retrying (${attempt})`));
          progress.hashed++;
          if (opts.hashes.sha256) log.info(`[source] ${w.obj.path}: SHA256 ${w.digests.sha256}`);
        } else {
          const prev = w.stored!.file;
          w.digests = { sha1: prev[2] ?? '', sha256: prev[3] ?? '', md5: prev[4] ?? '', ranges: await hashRanges(source, w.obj, ranges, hashRetry, classify) };
        }
      } catch (e) {
        checkAbort(); // an abort is not a hash failure
        const err = asSourceError(e);
        if ((opts.onHashError ?? 'fail') === 'fail') {
          err.message = `hashing ${w.obj.path} failed: ${err.message}`;
          throw err;
        }
        log.error(`[source] ${w.obj.path}: hashing failed: ${err.message}`);
        hashFailures++;
        w.digests = undefined;
        w.full = true; // stored with empty hashes, as Mirrorbits does
        w.rangeNeeded = false;
      }
    });
    checkAbort();

    progress.phase = 'writing';
    const byPath = new Map(work.map((w) => [w.obj.path, w]));
    const checked = new Set(toCheck.map((o) => o.path));
    const entries: IndexEntry[] = objects.map((obj) => {
      if (!checked.has(obj.path)) return { info: { path: obj.path, size: obj.size, modTime: obj.modTime, sha1: '', sha256: '', md5: '' }, fileChanged: false };
      const e = buildEntry(obj, stored.get(obj.path), byPath.get(obj.path), spec, rcfg);
      const w = byPath.get(obj.path);
      // A failed hash is not recorded as done: the next run tries again.
      if (!(w?.full && !w.digests) && manifest[obj.path] !== expected.get(obj.path)) e.manifest = expected.get(obj.path);
      return e;
    });
    if (!lock.held) throw new Error('lost the SOURCE_REPO_SYNC lock before writing: index left unchanged');
    if (objects.length === 0 && prev.size > 0) log.warn(`[source] ${source.describe()} lists no files: the index of ${prev.size} files will be emptied`);
    // Same paths, no record to write: the index already is the result (FILES_TMP + RENAME would
    // swap in an identical set). Only the indexer writes FILES, and we hold SOURCE_REPO_SYNC.
    const unchanged = prev.size === objects.length && objects.every((o) => prev.has(o.path)) && entries.every((e) => !e.fileChanged && e.manifest === undefined && !e.range);
    let removed: string[] = [];
    let written = 0;
    if (unchanged) {
      log.info('[source] Index unchanged');
    } else {
      log.info('[source] Indexing the files...');
      ({ removed, written } = await writeIndex(redis, entries));
    }
    progress.phase = 'done';
    log.info(`[source] Indexed ${objects.length} files, ${removed.length} removed`);
    return {
      files: objects.length, removed: removed.length, written, hashed: progress.hashed, hashedBytes: progress.hashedBytes,
      rangeOnly: work.filter((w) => !w.full && w.rangeNeeded).length, fromMetadata, hashFailures, listMs,
      durationMs: Date.now() - progress.startedAt,
    };
  } finally {
    if (ticker) clearInterval(ticker);
    await lock.release().catch(() => {});
  }
}

async function hashRanges(source: Source, obj: SourceObject, ranges: ReturnType<typeof computeRangeSpec>, retry: RetryPolicy, classify: (e: unknown) => SourceError): Promise<string[]> {
  const out: string[] = [];
  for (const r of ranges) {
    const d = await withRetry(retry, `${obj.path} bytes ${r.start}-${r.end}`, async () => {
      const stream = await source.open(obj.path, r);
      try {
        return await hashStream(stream, { sha1: false, sha256: false, md5: false }, [{ start: 0, end: r.end - r.start }], r.end - r.start + 1);
      } catch (e) {
        stream.destroy();
        throw e;
      }
    }, classify);
    out.push(d.ranges[0]!);
  }
  return out;
}

function buildEntry(obj: SourceObject, stored: StoredRecord | undefined, w: Work | undefined, spec: string, rcfg: RangeHashConfig): IndexEntry {
  const prev = stored?.file ?? [];
  const d = w?.digests;
  const hashed = w?.full ?? false;
  const info: FileInfo = {
    path: obj.path,
    size: obj.size,
    modTime: obj.modTime,
    // Not rehashed: keep the stored digests (contract §7); rehashed but failed: empty.
    sha1: hashed ? (d?.sha1 ?? '') : (prev[2] ?? ''),
    sha256: hashed ? (d?.sha256 ?? '') : (prev[3] ?? ''),
    md5: hashed ? (d?.md5 ?? '') : (prev[4] ?? ''),
  };
  const encoded = encodeFileInfo(info);
  const fileChanged = encoded.some((v, i) => i % 2 === 1 && v !== (prev[(i - 1) / 2] ?? null));
  const entry: IndexEntry = { info, fileChanged };
  if (d && w?.rangeNeeded) {
    const range = { spec, ranges: formatRanges(computeRangeSpec(obj.size, rcfg)), sha256: d.ranges.join(',') };
    const r = stored?.range;
    if (!r || r.spec !== range.spec || r.ranges !== range.ranges || r.sha256 !== range.sha256) entry.range = range;
  }
  return entry;
}
