import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '@mirrorball/config';
import { INDEX_JOB, INDEX_QUEUE, INDEX_SCHEDULER_ID, type IndexJobData } from '@mirrorball/indexer';
import type { Log } from '@mirrorball/source';
import type { IndexRunner } from './index-runner.ts';

export interface ScannerService {
  queue: Queue<IndexJobData>;
  /** Re-arm the periodic run (RepositoryScanInterval minutes; 0 = on demand only). */
  schedule(intervalMinutes: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Long-running mode: a BullMQ job scheduler runs the index every RepositoryScanInterval minutes,
 * and `refresh` / `refresh -rehash` arrive as jobs on the same queue. Concurrency 1 per process;
 * SOURCE_REPO_SYNC keeps it to one run cluster-wide.
 */
export async function startScannerService(opts: {
  bullConnection: Redis;
  runner: IndexRunner;
  config: Config;
  log: Log;
  signal: AbortSignal;
}): Promise<ScannerService> {
  const { bullConnection, runner, log } = opts;
  const queue = new Queue<IndexJobData>(INDEX_QUEUE, { connection: bullConnection });
  const worker = new Worker<IndexJobData>(
    INDEX_QUEUE,
    async (job: Job<IndexJobData>) => {
      const rehash = job.data?.rehash === true;
      log.info(`[source] index job ${job.id} (${job.name}${rehash ? ', rehash' : ''})`);
      const r = await runner.run(rehash, opts.signal);
      return { files: r.files, removed: r.removed, hashed: r.hashed, written: r.written };
    },
    { connection: bullConnection, concurrency: 1, autorun: true },
  );
  worker.on('error', (e) => log.error(`[source] queue worker: ${e.message}`));
  const service: ScannerService = {
    queue,
    async schedule(intervalMinutes: number) {
      if (intervalMinutes > 0) {
        await queue.upsertJobScheduler(INDEX_SCHEDULER_ID, { every: intervalMinutes * 60_000, immediately: true }, {
          name: INDEX_JOB,
          data: { rehash: false },
          opts: { removeOnComplete: 100, removeOnFail: 100 },
        });
      } else {
        await queue.removeJobScheduler(INDEX_SCHEDULER_ID);
        // Contract §7: the scan still runs once at start even when periodic scans are off.
        await queue.add(INDEX_JOB, { rehash: false }, { removeOnComplete: 100, removeOnFail: 100 });
      }
    },
    async close() {
      await worker.close();
      await queue.close();
    },
  };
  await service.schedule(opts.config.RepositoryScanInterval);
  return service;
}
