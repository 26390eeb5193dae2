/**
 * AdminJobs over the worker's BullMQ queues (libs/jobs): enqueue, then wait for the result.
 * On-demand jobs are not retried: the operator is waiting and sees the error at once.
 */
import { JobClient, JobTimeoutError, type ScanJobResult } from '@mirrorball/jobs';
import type { ConnectionOptions } from 'bullmq';
import { AdminError, TimeoutError } from './errors.ts';
import type { AdminJobs, RefreshRequest, ScanOutcome, ScanRequest } from './jobs.ts';

/** How long to wait when the caller set no timeout (Mirrorbits waits forever; a day is plenty). */
const NO_LIMIT_MS = 24 * 3600 * 1000;

export class QueueJobs implements AdminJobs {
  readonly client: JobClient;

  constructor(connection: ConnectionOptions, prefix?: string) {
    this.client = new JobClient({ connection, prefix, jobOptions: { attempts: 1 } });
  }

  async scan(req: ScanRequest): Promise<ScanOutcome> {
    const job = await this.client.enqueueScan({
      mirrorId: req.id, force: true, protocols: req.protocol, autoEnable: req.autoEnable, timeoutSec: req.timeoutSec,
    });
    // The job aborts itself after timeoutSec; wait a little longer so its own error wins.
    const waitMs = req.timeoutSec > 0 ? req.timeoutSec * 1000 + 5000 : NO_LIMIT_MS;
    const r = await this.wait<ScanJobResult>(job, waitMs);
    if (r.skipped) throw new AdminError(`scan skipped: ${r.skipped}`, r.skipped === 'mirror not found' ? 404 : 409);
    return {
      filesIndexed: r.filesIndexed ?? 0, knownIndexed: r.knownIndexed ?? 0, removed: r.removed ?? 0,
      tzOffsetMs: r.tzOffsetMs ?? 0, enabled: r.enabled ?? false,
    };
  }

  async refresh(req: RefreshRequest): Promise<void> {
    const job = await this.client.enqueueIndexRefresh({ rehash: req.rehash });
    await this.wait(job, req.timeoutSec > 0 ? req.timeoutSec * 1000 : NO_LIMIT_MS);
  }

  private async wait<R>(job: Parameters<JobClient['waitForResult']>[0], ms: number): Promise<R> {
    try {
      return await this.client.waitForResult<R>(job, ms);
    } catch (err) {
      if (err instanceof JobTimeoutError) throw new TimeoutError(err.message);
      // A failed job: its reason is the message the operator needs (e.g. the rsync error).
      throw new AdminError((err as Error).message || String(err), 502);
    }
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
