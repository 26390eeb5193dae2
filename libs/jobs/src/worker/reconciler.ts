/**
 * Makes the BullMQ job schedulers match the enabled mirrors: `scan:<id>` every ScanInterval,
 * `check:<id>` every CheckInterval, `content:<id>` every ContentCheck.Interval. Every pod runs
 * it; scheduler ids are the same everywhere, so concurrent reconciles converge. Cheap: one
 * HGETALL per mirror and one scheduler listing per queue, writes only on a difference.
 */
import type { Queue } from 'bullmq';
import type { Logger } from '@mirrorball/logger';
import { listMirrors, type RedisSubscriber } from '@mirrorball/redis';
import type { Redis } from 'ioredis';
import { DEFAULT_JOB_OPTIONS, JOB_NAMES, parseSchedulerId, schedulerId, type QueueKind } from '../queues.ts';
import type { WorkerConfig } from './deps.ts';
import { CoalescedPass } from './coalesce.ts';

export interface ReconcilerOptions {
  redis: Redis;
  queues: Record<QueueKind, Queue>;
  config: WorkerConfig;
  log: Logger;
  /** Periodic reconcile (default 5 s); mirror updates trigger one sooner. */
  intervalMs?: number;
}

export interface ReconcileResult {
  upserted: string[];
  removed: string[];
}

const ATTEMPTS: Record<QueueKind, number> = { scan: DEFAULT_JOB_OPTIONS.attempts, check: 1, content: 2 };

export class Reconciler {
  private timer: NodeJS.Timeout | null = null;
  private readonly passes = new CoalescedPass(() => this.pass(), (e) => this.warn(e));
  private readonly onMirror = () => this.trigger();

  constructor(private readonly o: ReconcilerOptions) {}

  /** Desired scheduler id → interval in ms. */
  private async desired(): Promise<Map<string, { kind: QueueKind; mirrorId: number; every: number }>> {
    const c = this.o.config;
    const out = new Map<string, { kind: QueueKind; mirrorId: number; every: number }>();
    for (const m of await listMirrors(this.o.redis)) {
      if (!m.enabled) continue;
      const add = (kind: QueueKind, minutes: number) => out.set(schedulerId(kind, m.id), { kind, mirrorId: m.id, every: Math.max(1, minutes) * 60_000 });
      if (m.rsyncURL || m.ftpURL || m.httpURL) add('scan', c.ScanInterval);
      if (m.httpURL) add('check', c.CheckInterval);
      if (m.httpURL && c.ContentCheck.FilesPerCheck > 0) add('content', c.ContentCheck.Interval);
    }
    return out;
  }

  /** One pass. Concurrent calls share the running pass (plus one more if asked meanwhile). */
  reconcile(): Promise<ReconcileResult> {
    return this.passes.run();
  }

  private async pass(): Promise<ReconcileResult> {
    const want = await this.desired();
    const result: ReconcileResult = { upserted: [], removed: [] };
    for (const kind of ['scan', 'check', 'content'] as QueueKind[]) {
      const q = this.o.queues[kind];
      const have = new Map<string, number | undefined>();
      for (const s of await q.getJobSchedulers(0, -1)) {
        const id = s.key ?? s.id;
        if (id) have.set(id, s.every);
      }
      for (const [id, w] of want) {
        if (w.kind !== kind || have.get(id) === w.every) continue;
        await q.upsertJobScheduler(id, { every: w.every }, {
          name: JOB_NAMES.scheduled,
          data: { mirrorId: w.mirrorId },
          opts: { attempts: ATTEMPTS[kind], backoff: DEFAULT_JOB_OPTIONS.backoff, removeOnComplete: DEFAULT_JOB_OPTIONS.removeOnComplete, removeOnFail: DEFAULT_JOB_OPTIONS.removeOnFail },
        });
        result.upserted.push(id);
      }
      for (const id of have.keys()) {
        if (want.has(id) || !parseSchedulerId(id)) continue;
        await q.removeJobScheduler(id);
        result.removed.push(id);
      }
    }
    if (result.upserted.length || result.removed.length) {
      this.o.log.info(`schedulers reconciled: +[${result.upserted.join(' ')}] -[${result.removed.join(' ')}]`);
    }
    return result;
  }

  private trigger(): void {
    this.reconcile().catch((e: unknown) => this.warn(e));
  }

  private warn(e: unknown): void {
    this.o.log.warn(`scheduler reconcile failed: ${(e as Error).message}`);
  }

  start(subscriber?: RedisSubscriber): void {
    this.timer = setInterval(() => this.trigger(), this.o.intervalMs ?? 5000);
    this.timer.unref();
    subscriber?.on('mirror', this.onMirror);
    subscriber?.on('reconnected', this.onMirror);
    this.trigger();
  }

  async stop(subscriber?: RedisSubscriber): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    subscriber?.off('mirror', this.onMirror);
    subscriber?.off('reconnected', this.onMirror);
    await this.passes.current?.catch(() => {});
  }
}
