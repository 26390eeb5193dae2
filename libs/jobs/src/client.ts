/**
 * What the admin API calls: enqueue a scan / check / content check / index refresh and,
 * optionally, wait for its result.
 */
import { Queue, QueueEvents, type ConnectionOptions, type Job } from 'bullmq';
import {
  DEFAULT_JOB_OPTIONS, INDEX_JOB, JOB_NAMES, QUEUES, type CheckJobData, type ContentJobData, type IndexJobData, type ScanJobData,
} from './queues.ts';

export class JobTimeoutError extends Error {
  override name = 'JobTimeoutError';
}

export interface JobClientOptions {
  /** ioredis options or client for BullMQ (maxRetriesPerRequest: null; see libs/redis `purpose: 'bullmq'`). */
  connection: ConnectionOptions;
  /** BullMQ key prefix (default `bull`). */
  prefix?: string;
  /** Retry policy override (tests use short backoffs). */
  jobOptions?: { attempts?: number; backoff?: { type: 'exponential' | 'fixed'; delay: number } };
}

type Kind = 'scan' | 'check' | 'content' | 'index';

export class JobClient {
  private readonly queues = new Map<Kind, Queue>();
  private readonly events = new Map<Kind, QueueEvents>();

  constructor(private readonly opts: JobClientOptions) {}

  queue(kind: Kind): Queue {
    let q = this.queues.get(kind);
    if (!q) {
      q = new Queue(QUEUES[kind], { connection: this.opts.connection, ...(this.opts.prefix ? { prefix: this.opts.prefix } : {}) });
      // Connection errors surface as rejected calls; unhandled 'error' events would only spam stderr.
      q.on('error', () => {});
      this.queues.set(kind, q);
    }
    return q;
  }

  private async queueEvents(kind: Kind): Promise<QueueEvents> {
    let e = this.events.get(kind);
    if (!e) {
      e = new QueueEvents(QUEUES[kind], { connection: this.opts.connection, ...(this.opts.prefix ? { prefix: this.opts.prefix } : {}) });
      e.on('error', () => {});
      this.events.set(kind, e);
      await e.waitUntilReady();
    }
    return e;
  }

  private jobOpts() {
    return { ...DEFAULT_JOB_OPTIONS, ...this.opts.jobOptions };
  }

  /** Validates the payload: a clear error instead of a job that fails later. */
  private static checkId(id: unknown): void {
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) throw new TypeError(`mirrorId must be a positive integer, got ${JSON.stringify(id)}`);
  }

  async enqueueScan(data: ScanJobData): Promise<Job<ScanJobData>> {
    JobClient.checkId(data.mirrorId);
    if (data.timeoutSec !== undefined && !(data.timeoutSec >= 0)) throw new TypeError('timeoutSec must be ≥ 0');
    // Subscribe before adding so a fast job's completion is not missed by waitForResult.
    await this.queueEvents('scan');
    return this.queue('scan').add(JOB_NAMES.onDemand, { ...data, force: data.force ?? true }, this.jobOpts());
  }

  async enqueueCheck(data: CheckJobData): Promise<Job<CheckJobData>> {
    JobClient.checkId(data.mirrorId);
    await this.queueEvents('check');
    // A check is cheap and its result stale quickly: retry only briefly.
    return this.queue('check').add(JOB_NAMES.onDemand, { ...data, force: data.force ?? true }, { ...this.jobOpts(), attempts: 1 });
  }

  async enqueueContentCheck(data: ContentJobData): Promise<Job<ContentJobData>> {
    JobClient.checkId(data.mirrorId);
    await this.queueEvents('content');
    return this.queue('content').add(JOB_NAMES.onDemand, { ...data, force: data.force ?? true }, this.jobOpts());
  }

  /** `refresh` / `refresh -rehash`: consumed by apps/scanner. */
  async enqueueIndexRefresh(data: IndexJobData = { rehash: false }): Promise<Job<IndexJobData>> {
    await this.queueEvents('index');
    return this.queue('index').add(INDEX_JOB, data, { ...this.jobOpts(), attempts: 1 });
  }

  /**
   * The job's return value once it completes; throws its failure reason when it fails for good,
   * JobTimeoutError after `timeoutMs`. Events make it prompt; the job's state is also read every
   * second, because an event can be missed (the job finished before the event stream was read,
   * or during a Redis reconnect) and a missed event must not turn into a timeout.
   */
  async waitForResult<R>(job: Job, timeoutMs: number): Promise<R> {
    const kind = (Object.keys(QUEUES) as Kind[]).find((k) => QUEUES[k] === job.queueName) ?? 'scan';
    const events = await this.queueEvents(kind);
    const queue = this.queue(kind);
    const id = job.id!;
    return new Promise<R>((resolve, reject) => {
      let done = false;
      const finish = (settle: () => void) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        clearInterval(poll);
        events.off('completed', onEvent);
        events.off('failed', onEvent);
        settle();
      };
      const check = async () => {
        // State first: a job read before it finished has no return value yet.
        const state = await queue.getJobState(id);
        if (state === 'unknown') return finish(() => reject(new Error(`job ${id} no longer exists`)));
        if (state !== 'completed' && state !== 'failed') return;
        const j = await queue.getJob(id);
        if (!j) return finish(() => reject(new Error(`job ${id} no longer exists`)));
        if (state === 'completed') finish(() => resolve(j.returnvalue as R));
        else finish(() => reject(new Error(j.failedReason)));
      };
      const checkSoon = () => void check().catch(() => {}); // Redis unreachable: the next tick retries
      const onEvent = ({ jobId }: { jobId: string }) => {
        if (jobId === id) checkSoon();
      };
      events.on('completed', onEvent);
      events.on('failed', onEvent);
      const timer = setTimeout(() => finish(() => reject(new JobTimeoutError(`job ${id} did not finish within ${timeoutMs} ms`))), timeoutMs);
      const poll = setInterval(checkSoon, 1000);
      checkSoon();
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.events.values()].map((e) => e.close()));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
