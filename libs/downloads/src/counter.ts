/**
 * Download counting (contract §2.14): counts are aggregated in memory by (UTC day, path) and
 * (UTC day, mirror id) and flushed every 500 ms in ONE MULTI/EXEC (libs/redis'
 * flushDownloadStats, which also applies StatsRetention). On a Redis failure the aggregate is
 * merged back and retried on the next tick; stop() flushes a last time.
 */
import type { Redis } from 'ioredis';
import { flushDownloadStats, type DownloadAggregate, type StatsRetention } from '@mirrorball/redis';

const DAY_MS = 86_400_000;

export interface CounterOptions {
  flushIntervalMs?: number;
  retention?: StatsRetention;
  /** Called once per failure streak (and once when it recovers). */
  onError?: (err: unknown) => void;
  onRecover?: () => void;
  onFlush?: (ok: boolean) => void;
}

export class DownloadCounter {
  /** UTC day number → aggregate. */
  private days = new Map<number, DownloadAggregate>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<boolean> | null = null;
  private failing = false;
  flushes = 0;

  constructor(private readonly redis: Redis, private readonly opts: CounterOptions = {}) {}

  /** Count one download of `path` served by mirror `mirrorId` (fallbacks: 0, −1, …); `size` = local size. */
  record(path: string, mirrorId: number, size: number, nowMs = Date.now()): void {
    const day = Math.floor(nowMs / DAY_MS);
    let agg = this.days.get(day);
    if (!agg) this.days.set(day, (agg = { date: new Date(day * DAY_MS), files: new Map(), mirrors: new Map() }));
    agg.files.set(path, (agg.files.get(path) ?? 0) + 1);
    const m = agg.mirrors.get(mirrorId);
    if (m) {
      m.count++;
      m.bytes += size;
    } else {
      agg.mirrors.set(mirrorId, { count: 1, bytes: size });
    }
  }

  /** Downloads counted and not yet written. */
  get pending(): number {
    let n = 0;
    for (const a of this.days.values()) for (const c of a.files.values()) n += c;
    return n;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.opts.flushIntervalMs ?? 500);
    this.timer.unref();
  }

  /** Write the aggregate; resolves true when everything pending was written. Never rejects. */
  flush(): Promise<boolean> {
    if (this.flushing) return this.flushing.then(() => this.flush());
    if (this.days.size === 0) return Promise.resolve(true);
    const batch = [...this.days.values()];
    this.days = new Map();
    this.flushing = flushDownloadStats(this.redis, batch, this.opts.retention)
      .then(() => {
        this.flushes++;
        this.opts.onFlush?.(true);
        if (this.failing) {
          this.failing = false;
          this.opts.onRecover?.();
        }
        return true;
      })
      .catch((err: unknown) => {
        for (const agg of batch) this.mergeBack(agg);
        this.opts.onFlush?.(false);
        if (!this.failing) {
          this.failing = true;
          this.opts.onError?.(err);
        }
        return false;
      })
      .finally(() => {
        this.flushing = null;
      });
    return this.flushing;
  }

  private mergeBack(agg: DownloadAggregate): void {
    const day = Math.floor(agg.date.getTime() / DAY_MS);
    const cur = this.days.get(day);
    if (!cur) {
      this.days.set(day, agg);
      return;
    }
    for (const [p, c] of agg.files) cur.files.set(p, (cur.files.get(p) ?? 0) + c);
    for (const [id, a] of agg.mirrors) {
      const m = cur.mirrors.get(id);
      if (m) {
        m.count += a.count;
        m.bytes += a.bytes;
      } else cur.mirrors.set(id, a);
    }
  }

  /** Stop the timer and flush what is pending (retrying until `deadlineMs` passes). */
  async stop(deadlineMs = 5000): Promise<boolean> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const until = Date.now() + deadlineMs;
    for (;;) {
      if (await this.flush()) return true;
      if (Date.now() >= until) return false;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
