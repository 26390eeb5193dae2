import type { Redis } from 'ioredis';
import type { Config } from '@mirrorball/config';
import { IndexBusyError, IndexProgress, runIndex, type IndexResult } from '@mirrorball/indexer';
import type { ScannerMetrics } from '@mirrorball/metrics';
import { ensureSchema, SchemaVersionError } from '@mirrorball/redis';
import { SourceError, type Log, type Source } from '@mirrorball/source';

/**
 * One index run with the configuration's hashing settings, feeding the scanner metrics
 * (objects listed/hashed, bytes hashed, duration, last success, errors by kind).
 */
export class IndexRunner {
  private running: Promise<IndexResult> | null = null;
  lastResult: IndexResult | null = null;
  lastError: Error | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly source: Source,
    private readonly config: () => Config,
    private readonly metrics: ScannerMetrics | null,
    private readonly log: Log,
  ) {}

  async run(rehash: boolean, signal?: AbortSignal): Promise<IndexResult> {
    // One run per process at a time; concurrent requests share it (the cluster lock covers other nodes).
    this.running ??= this.doRun(rehash, signal).finally(() => (this.running = null));
    return this.running;
  }

  private async doRun(rehash: boolean, signal?: AbortSignal): Promise<IndexResult> {
    const cfg = this.config();
    const kind = this.source.kind;
    const progress = new IndexProgress();
    let listed = 0;
    let hashed = 0;
    let bytes = 0;
    // Push the progress counters into the metrics every second while the run lasts.
    const sync = () => {
      if (!this.metrics) return;
      this.metrics.indexObjectsListed.inc({ source: kind }, progress.listed - listed);
      this.metrics.indexObjectsHashed.inc({ source: kind }, progress.hashed - hashed);
      this.metrics.indexBytesHashed.inc({ source: kind }, Math.max(0, progress.hashedBytes - bytes));
      listed = progress.listed;
      hashed = progress.hashed;
      bytes = Math.max(bytes, progress.hashedBytes);
    };
    const timer = setInterval(sync, 1000);
    timer.unref();
    const started = Date.now();
    try {
      // Never write into a database of a newer schema; upgrade an older one first (contract §4.6).
      await ensureSchema(this.redis, { log: this.log });
      const result = await runIndex({
        redis: this.redis,
        source: this.source,
        hashes: { sha1: cfg.Hashes.SHA1, sha256: cfg.Hashes.SHA256, md5: cfg.Hashes.MD5 },
        rangeHashes: { count: cfg.RangeHashes.Count, size: cfg.RangeHashes.Size },
        rehash,
        hashConcurrency: cfg.Source.S3.HashConcurrency,
        trustMetadataHash: kind === 's3' && cfg.Source.S3.TrustMetadataHash,
        // S3: a failed read fails the run (the old index stays, the next run retries);
        // local: Mirrorbits stores the file with empty hashes.
        onHashError: kind === 's3' ? 'fail' : 'empty',
        log: this.log,
        progress,
        signal,
      });
      sync();
      this.metrics?.indexRuns.inc({ source: kind, outcome: 'success' });
      this.metrics?.indexObjects.set({ source: kind }, result.files);
      this.metrics?.indexLastSuccess.set({ source: kind }, Math.floor(Date.now() / 1000));
      this.lastResult = result;
      this.lastError = null;
      return result;
    } catch (e) {
      sync();
      const err = e as Error;
      const errKind = e instanceof SourceError ? e.kind : e instanceof IndexBusyError ? 'busy' : e instanceof SchemaVersionError ? 'schema' : 'other';
      this.metrics?.indexRuns.inc({ source: kind, outcome: errKind === 'busy' ? 'busy' : 'failure' });
      this.metrics?.indexErrors.inc({ source: kind, kind: errKind });
      this.lastError = err;
      this.log.error(`[source] index run failed (the previous index is unchanged): ${err.message}`);
      throw e;
    } finally {
      clearInterval(timer);
      this.metrics?.indexRunDuration.observe({ source: kind }, (Date.now() - started) / 1000);
    }
  }
}
