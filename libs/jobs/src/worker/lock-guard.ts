/**
 * Keeps a job's BullMQ lock across a Redis outage.
 *
 * The lock is a key with a TTL (lockDuration). While Redis is unreachable it cannot be renewed,
 * and a restarted Redis that kept its data (AOF/RDB, Sentinel failover) brings it back already
 * expired. BullMQ then refuses to record the attempt's result ("Missing lock for job …"), only
 * emits an 'error' and forgets the job: it stays `active` with no failure recorded until a stalled
 * check (one to two stalledIntervals, 30–60 s by default) hands it back.
 *
 * A job that is still in the active list with no lock belongs to nobody else (taking a job sets
 * its lock atomically), so its last owner may take the lock back: atomically, only then. We do
 * it when a renewal fails (the job keeps running) and before BullMQ records a result (the
 * result is kept, the retry follows the normal back-off). If someone else holds the lock, or the
 * job has left the active list, the job is no longer ours: a running one is cancelled.
 */
import type { Job, Worker } from 'bullmq';

export type LockOutcome = 'held' | 'reclaimed' | 'lost';

/**
 * KEYS: lock, active list, stalled set. ARGV: token, duration ms, job id.
 * The active list is scanned with LRANGE (LPOS needs Redis ≥ 6.0.6; the list is as long as the
 * cluster's total concurrency).
 */
const RECLAIM = `
local cur = redis.call('GET', KEYS[1])
if cur == ARGV[1] then return 1 end
if cur then return -1 end
local found = false
for _, id in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do
  if id == ARGV[3] then found = true break end
end
if not found then return -2 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('SREM', KEYS[3], ARGV[3])
return 2`;

/** Waits for Redis (BullMQ's connection retries without limit), then re-takes the lock if free. */
export async function reclaimJobLock(worker: Worker, jobId: string, token: string): Promise<LockOutcome> {
  // BullMQ's client wrapper forwards commands it does not override to the ioredis client.
  const client = (await worker.getBackend().client) as unknown as { eval(...args: (string | number)[]): Promise<unknown> };
  // `<job key>:lock` is BullMQ's lock key (its scripts build it the same way).
  const r = Number(await client.eval(
    RECLAIM, 3, `${worker.toKey(jobId)}:lock`, worker.keys.active!, worker.keys.stalled!,
    token, String(worker.opts.lockDuration ?? 30_000), jobId,
  ));
  return r === 1 ? 'held' : r === 2 ? 'reclaimed' : 'lost';
}

export interface LockGuardEvents {
  /** A lapsed lock was re-taken or found lost (`when`: during the run or at its end). */
  onOutcome?: (jobId: string, outcome: Exclude<LockOutcome, 'held'>, when: 'running' | 'finished') => void;
}

export class LockGuard {
  /** Running job id → lock token. */
  private readonly running = new Map<string, string>();
  private worker: Worker | null = null;

  constructor(private readonly events: LockGuardEvents = {}) {}

  /** The processor to hand to `new Worker(…)`. */
  wrap<D, R>(fn: (job: Job<D>, signal?: AbortSignal) => Promise<R>): (job: Job<D>, token?: string, signal?: AbortSignal) => Promise<R> {
    return async (job, token, signal) => {
      const id = job.id;
      if (id && token) this.running.set(id, token);
      let result: R;
      try {
        result = await fn(job, signal);
      } catch (e) {
        await this.settle(id, token);
        throw e;
      }
      await this.settle(id, token);
      return result;
    };
  }

  /** Start watching renewals of `worker` (the Worker built with `wrap`). */
  attach(worker: Worker): void {
    this.worker = worker;
    worker.on('lockRenewalFailed', (ids) => {
      for (const id of ids) void this.onRenewalFailed(id);
    });
  }

  private async onRenewalFailed(id: string): Promise<void> {
    const token = this.running.get(id);
    if (!token || !this.worker) return;
    const outcome = await reclaimJobLock(this.worker, id, token).catch(() => null);
    // Settled meanwhile: the end-of-run check has the last word.
    if (outcome === null || outcome === 'held' || this.running.get(id) !== token) return;
    this.events.onOutcome?.(id, outcome, 'running');
    // Another pod may be running it now: stop doing work that is no longer ours.
    if (outcome === 'lost') this.worker.cancelJob(id, 'job lock lost');
  }

  /** Before BullMQ records the result: make sure the lock is ours so the result is kept. */
  private async settle(id: string | undefined, token: string | undefined): Promise<void> {
    if (!id || !token) return;
    try {
      if (!this.worker) return;
      // On error BullMQ's own result handling reports the problem.
      const outcome = await reclaimJobLock(this.worker, id, token).catch(() => null);
      if (outcome === 'reclaimed' || outcome === 'lost') this.events.onOutcome?.(id, outcome, 'finished');
    } finally {
      this.running.delete(id);
    }
  }
}
