/**
 * The worker pod's BullMQ side: one Worker per queue (scans with ConcurrentSync, health checks on
 * their own pool so a slow scan never delays them, content checks), the scheduler reconciler,
 * queue-depth sampling and a graceful shutdown.
 */
import { Queue, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { RedisSubscriber } from '@mirrorball/redis';
import { QUEUES, type QueueKind } from '../queues.ts';
import type { WorkerDeps } from './deps.ts';
import { processScan } from './scan-processor.ts';
import { processCheck } from './check-processor.ts';
import { processContent } from './content-processor.ts';
import { Reconciler } from './reconciler.ts';
import { LockGuard } from './lock-guard.ts';
import { MirrorTotalsGauge } from './mirror-totals.ts';
import type { CheckJobResult } from '../queues.ts';

export interface WorkerPoolOptions {
  /** BullMQ connection (maxRetriesPerRequest: null). */
  connection: ConnectionOptions;
  prefix?: string;
  /** Health-check Workers' concurrency (Mirrorbits: 10 checker goroutines). */
  checkConcurrency?: number;
  contentConcurrency?: number;
  /** Job lock; a dead pod's job is handed to another after it expires (BullMQ default 30 s). */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** Scheduler reconcile period (default 5 s). */
  reconcileIntervalMs?: number;
  /** Queue depth gauges period (default 15 s; 0 disables). */
  queueMetricsIntervalMs?: number;
  subscriber?: RedisSubscriber;
  /** Do not run the reconciler (tests of single queues). */
  noReconciler?: boolean;
}

export interface WorkerPool {
  workers: Record<QueueKind, Worker>;
  queues: Record<QueueKind, Queue>;
  reconciler: Reconciler;
  /** mirrorball_mirrors_up / _down from Redis (also refreshed periodically and on changes). */
  mirrorTotals: MirrorTotalsGauge;
  sampleQueueMetrics(): Promise<void>;
  /** Stop taking jobs; running ones get `deadlineMs` to finish, then are cancelled and released. */
  close(deadlineMs?: number): Promise<void>;
}

const STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

export function startWorkerPool(deps: WorkerDeps, o: WorkerPoolOptions): WorkerPool {
  const { log, metrics } = deps;
  // Unset knobs must be absent, not undefined: BullMQ validates what it is given.
  const common = {
    connection: o.connection, maxStalledCount: 3,
    ...(o.prefix ? { prefix: o.prefix } : {}),
    ...(o.lockDurationMs ? { lockDuration: o.lockDurationMs } : {}),
    ...(o.stalledIntervalMs ? { stalledInterval: o.stalledIntervalMs } : {}),
  };
  const make = <D, R>(kind: QueueKind, concurrency: number, fn: (job: Job<D>, signal?: AbortSignal) => Promise<R>) => {
    // A lock that lapsed during a Redis outage is re-taken, so the job is neither stuck `active`
    // nor run twice (lock-guard.ts).
    const guard = new LockGuard({
      onOutcome: (id, outcome, when) => log.warn(outcome === 'reclaimed'
        ? `${kind} job ${id}: its lock lapsed (Redis unreachable?); re-taken ${when === 'running' ? 'while running' : 'to record the result'}`
        : `${kind} job ${id}: its lock is held elsewhere or the job was handed back; ${when === 'running' ? 'cancelling it here' : 'its result is dropped'}`),
    });
    const w = new Worker<D, R>(QUEUES[kind], guard.wrap<D, R>((job, signal) => fn(job, signal)), { ...common, concurrency });
    guard.attach(w);
    w.on('failed', (job, err) => {
      metrics.jobFailures.inc({ queue: QUEUES[kind] });
      const final = !job || err instanceof UnrecoverableError || err.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
      const who = job ? `mirror ${(job.data as { mirrorId?: number }).mirrorId}` : 'unknown job';
      (final ? log.error : log.warn).call(log, `${kind} job for ${who} failed${final ? '' : ' (will retry)'}: ${err.message}`);
    });
    w.on('error', (err) => log.warn(`${kind} worker: ${err.message}`));
    return w;
  };
  const workers: Record<QueueKind, Worker> = {
    scan: make('scan', Math.max(1, deps.config.ConcurrentSync), (j, s) => processScan(j as never, deps, s)),
    check: make('check', o.checkConcurrency ?? 10, (j, s) => processCheck(j as never, deps, s)),
    content: make('content', o.contentConcurrency ?? 2, (j, s) => processContent(j as never, deps, s)),
  };
  const queue = (kind: QueueKind) => {
    const q = new Queue(QUEUES[kind], { connection: o.connection, ...(o.prefix ? { prefix: o.prefix } : {}) });
    q.on('error', () => {}); // connection errors: calls reject; the workers log theirs
    return q;
  };
  const queues: Record<QueueKind, Queue> = { scan: queue('scan'), check: queue('check'), content: queue('content') };
  const reconciler = new Reconciler({ redis: deps.redis, queues, config: deps.config, log, intervalMs: o.reconcileIntervalMs });
  if (!o.noReconciler) reconciler.start(o.subscriber);

  const sampleQueueMetrics = async () => {
    for (const [kind, q] of Object.entries(queues)) {
      const counts = await q.getJobCounts(...STATES);
      for (const s of STATES) metrics.queueJobs.set({ queue: QUEUES[kind as QueueKind], state: s }, counts[s] ?? 0);
    }
  };
  // Up/down totals: now, after a check that changed a state, on mirror updates, and periodically
  // (other pods' checks, Mirrorbits nodes, admin edits without a published update).
  const mirrorTotals = new MirrorTotalsGauge(deps.redis, metrics);
  const refreshTotals = () => void mirrorTotals.refresh().catch(() => {});
  workers.check.on('completed', (_job, r: CheckJobResult) => {
    if (r?.disabled || r?.results?.some((x) => x.changed)) refreshTotals();
  });
  o.subscriber?.on('mirror', refreshTotals);
  refreshTotals();
  const sampler = (o.queueMetricsIntervalMs ?? 15_000) > 0
    ? setInterval(() => {
      void sampleQueueMetrics().catch(() => {});
      refreshTotals();
    }, o.queueMetricsIntervalMs ?? 15_000)
    : null;
  sampler?.unref();

  return {
    workers, queues, reconciler, mirrorTotals, sampleQueueMetrics,
    async close(deadlineMs = 30_000) {
      if (sampler) clearInterval(sampler);
      o.subscriber?.off('mirror', refreshTotals);
      await reconciler.stop(o.subscriber);
      const all = Object.values(workers);
      const graceful = Promise.all(all.map((w) => w.close()));
      let timer: NodeJS.Timeout | undefined;
      const late = await Promise.race([
        graceful.then(() => false),
        new Promise<boolean>((r) => (timer = setTimeout(() => r(true), deadlineMs))),
      ]);
      clearTimeout(timer);
      if (late) {
        // Abort what still runs: a scan keeps the previous file set and its job is retried elsewhere.
        log.warn('shutdown deadline reached: cancelling running jobs');
        for (const w of all) w.cancelAllJobs('worker shutting down');
        await Promise.race([graceful, new Promise((r) => setTimeout(r, 5000))]);
        await Promise.all(all.map((w) => w.close(true)));
      }
      await Promise.all(Object.values(queues).map((q) => q.close()));
    },
  };
}
