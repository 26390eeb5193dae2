/**
 * Ranged-download de-duplication (contract §2.14): a ranged request counts only if no request
 * from the same client (sha256(ip + "/" + UA)) for the same path was seen within
 * SameDownloadInterval, cluster-wide, via `DOWNLOADED_<hex>_<path>` (`SET … GET EX`).
 *
 * Off the response path: the decision only affects counting, which is asynchronous anyway, so
 * the response never waits for Redis. A per-pod TTL map in front of Redis answers repeats seen by
 * this pod without a lookup (only the key's TTL refresh is queued, coalesced, and written in a
 * pipeline with the next flush).
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { keys } from '@mirrorball/redis';

export interface DedupOptions {
  intervalSec: number;
  maxEntries?: number;
}

export class RangeDedup {
  private readonly seen = new Map<string, number>();
  private readonly refresh = new Set<string>();
  private legacy = false;
  private readonly maxEntries: number;

  constructor(private readonly redis: Redis, private readonly opts: DedupOptions) {
    this.maxEntries = opts.maxEntries ?? 100_000;
  }

  /** SameDownloadInterval changed by a configuration reload: applies to the next requests. */
  setInterval(sec: number): void {
    this.opts.intervalSec = sec;
  }

  static redisKey(ip: string, userAgent: string, path: string): string {
    const hex = createHash('sha256').update(ip + '/' + userAgent).digest('hex');
    return keys.downloaded(hex, path);
  }

  /**
   * Resolve true when this ranged request should be counted. Never rejects: when Redis cannot
   * answer, the download counts (better over- than under-count a real download).
   */
  async shouldCount(ip: string, userAgent: string, path: string, nowMs = Date.now()): Promise<boolean> {
    const key = RangeDedup.redisKey(ip, userAgent, path);
    const ttlMs = this.opts.intervalSec * 1000;
    const until = this.seen.get(key);
    if (until !== undefined && until > nowMs) {
      this.seen.delete(key); // re-insert: Map order doubles as LRU order
      this.seen.set(key, nowMs + ttlMs);
      this.refresh.add(key);
      return false;
    }
    this.remember(key, nowMs + ttlMs);
    try {
      const prev = await this.setGet(key);
      return prev === null || prev === '';
    } catch {
      return true;
    }
  }

  private async setGet(key: string): Promise<string | null> {
    const ex = this.opts.intervalSec;
    if (!this.legacy) {
      try {
        return (await this.redis.call('SET', key, '1', 'GET', 'EX', String(ex))) as string | null;
      } catch (err) {
        // Redis < 6.2 has no SET … GET: Mirrorbits' older path is GET then SET.
        if (!/syntax|wrong number/i.test(String(err))) throw err;
        this.legacy = true;
      }
    }
    const prev = await this.redis.get(key);
    await this.redis.set(key, '1', 'EX', ex);
    return prev;
  }

  private remember(key: string, until: number): void {
    this.seen.delete(key);
    this.seen.set(key, until);
    if (this.seen.size > this.maxEntries) {
      // Drop the oldest tenth; a dropped entry only costs one Redis lookup later.
      let drop = Math.ceil(this.maxEntries / 10);
      for (const k of this.seen.keys()) {
        this.seen.delete(k);
        if (--drop === 0) break;
      }
    }
  }

  /** Write the queued TTL refreshes (one pipeline) and forget expired local entries. */
  async flush(nowMs = Date.now()): Promise<void> {
    for (const [k, until] of this.seen) {
      if (until > nowMs) break;
      this.seen.delete(k);
    }
    if (this.refresh.size === 0) return;
    const pipe = this.redis.pipeline();
    for (const k of this.refresh) pipe.set(k, '1', 'EX', this.opts.intervalSec);
    this.refresh.clear();
    await pipe.exec().catch(() => undefined);
  }

  get size(): number {
    return this.seen.size;
  }
}
