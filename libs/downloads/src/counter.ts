/**
 * Download counting (contract §2.14): counts are aggregated in memory by (UTC date, path) and
 * (UTC date, mirror id) and flushed every 500 ms in ONE MULTI/EXEC. On a Redis failure the
 * aggregate is kept (merged back) and retried on the next tick; stop() flushes a last time.
 */
import type { Redis } from 'ioredis';
import { keys } from '@mirrorball/redis';
import { utcDaySuffix } from './dates.ts';

interface MirrorAgg { count: number; bytes: number }

export interface CounterOptions {
  flushIntervalMs?: number;
  /** Called once per failure streak (and once when it recovers). */
  onError?: (err: unknown) => void;
  onRecover?: () => void;
}

export class DownloadCounter {
  private files = new Map<string, Map<string, number>>();
  private mirrors = new Map<string, Map<number, MirrorAgg>>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<boolean> | null = null;
  private failing = false;
  private daySuffix = '';
  private dayEndMs = 0;
  /** Commands of the last successful flush (for benchmarks and metrics). */
  flushedCommands = 0;
  flushes = 0;

  constructor(private readonly redis: Redis, private readonly opts: CounterOptions = {}) {}

  /** Count one download of `path` served by mirror `mirrorId` (fallbacks: 0, −1, …); `size` = local size. */
  record(path: string, mirrorId: number, size: number, nowMs = Date.now()): void {
    if (nowMs >= this.dayEndMs || nowMs < this.dayEndMs - 86_400_000) {
      this.daySuffix = utcDaySuffix(nowMs);
      this.dayEndMs = (Math.floor(nowMs / 86_400_000) + 1) * 86_400_000;
    }
    const day = this.daySuffix;
    let f = this.files.get(day);
    if (!f) this.files.set(day, (f = new Map()));
    f.set(path, (f.get(path) ?? 0) + 1);
    let m = this.mirrors.get(day);
    if (!m) this.mirrors.set(day, (m = new Map()));
    const agg = m.get(mirrorId);
    if (agg) {
      agg.count++;
      agg.bytes += size;
    } else {
      m.set(mirrorId, { count: 1, bytes: size });
    }
  }

  get pending(): number {
    let n = 0;
    for (const f of this.files.values()) for (const c of f.values()) n += c;
    return n;
  }

  start(): void {
    const every = this.opts.flushIntervalMs ?? 500;
    this.timer ??= setInterval(() => void this.flush(), every);
    this.timer.unref();
  }

  /** Write the aggregate; resolves true when everything pending was written. Never rejects. */
  flush(): Promise<boolean> {
    if (this.flushing) return this.flushing.then(() => this.flush());
    if (this.files.size === 0 && this.mirrors.size === 0) return Promise.resolve(true);
    const files = this.files;
    const mirrors = this.mirrors;
    this.files = new Map();
    this.mirrors = new Map();
    const multi = this.redis.multi();
    let commands = 0;
    for (const [day, byPath] of files) {
      const levels = suffixLevels(day);
      for (const [path, count] of byPath) {
        for (const s of levels) multi.hincrby(keys.statsFile(s), path, count);
        multi.incrby(keys.statsTotal, count);
        commands += 5;
      }
    }
    for (const [day, byId] of mirrors) {
      const levels = suffixLevels(day);
      for (const [id, agg] of byId) {
        const field = String(id);
        for (const s of levels) multi.hincrby(keys.statsMirror(s), field, agg.count);
        for (const s of levels) multi.hincrby(keys.statsMirrorBytes(s), field, agg.bytes);
        commands += 8;
      }
    }
    this.flushing = multi.exec().then(
      (res) => {
        if (!res) throw new Error('MULTI aborted');
        for (const [err] of res) if (err) throw err;
        this.flushedCommands = commands;
        this.flushes++;
        if (this.failing) {
          this.failing = false;
          this.opts.onRecover?.();
        }
        return true;
      },
    ).catch((err: unknown) => {
      this.mergeBack(files, mirrors);
      if (!this.failing) {
        this.failing = true;
        this.opts.onError?.(err);
      }
      return false;
    }).finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private mergeBack(files: Map<string, Map<string, number>>, mirrors: Map<string, Map<number, MirrorAgg>>): void {
    for (const [day, byPath] of files) {
      let f = this.files.get(day);
      if (!f) this.files.set(day, (f = new Map()));
      for (const [p, c] of byPath) f.set(p, (f.get(p) ?? 0) + c);
    }
    for (const [day, byId] of mirrors) {
      let m = this.mirrors.get(day);
      if (!m) this.mirrors.set(day, (m = new Map()));
      for (const [id, a] of byId) {
        const cur = m.get(id);
        if (cur) {
          cur.count += a.count;
          cur.bytes += a.bytes;
        } else m.set(id, { ...a });
      }
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

/** `YYYY_MM_DD` → the four key levels, most specific first (`…_DD`, `…_MM`, `YYYY`, all time). */
function suffixLevels(day: string): (string | undefined)[] {
  return [day, day.slice(0, 7), day.slice(0, 4), undefined];
}
