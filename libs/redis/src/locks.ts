/**
 * The two lock protocols of contract §4.5, byte-compatible with Go nodes so that a scan or an
 * upgrade is never run twice across a mixed cluster.
 */
import { randomInt } from 'node:crypto';
import type { Redis } from 'ioredis';
import { keys } from './keys.ts';

export interface ClusterLockOptions {
  /** TTL in seconds (Mirrorbits: 10). */
  ttlSec?: number;
  /** Refresh period in ms (Mirrorbits: 5000). */
  refreshMs?: number;
  /** Called once when a refresh finds the key gone (someone deleted it or it expired). */
  onLost?: () => void;
}

/**
 * `SCANNING_<id>` / `SOURCE_REPO_SYNC`: `SET key 1 NX EX 10`, `EXPIRE key 10` every 5 s while
 * held, `DEL` on release. No owner check on release, as in Mirrorbits.
 */
export class ClusterLock {
  private timer: NodeJS.Timeout | null = null;
  private readonly ttlSec: number;
  private readonly refreshMs: number;

  constructor(private readonly redis: Redis, readonly key: string, private readonly opts: ClusterLockOptions = {}) {
    this.ttlSec = opts.ttlSec ?? 10;
    this.refreshMs = opts.refreshMs ?? 5000;
  }

  static forMirrorScan(redis: Redis, id: number, opts?: ClusterLockOptions): ClusterLock {
    return new ClusterLock(redis, keys.scanning(id), opts);
  }

  static forSourceSync(redis: Redis, opts?: ClusterLockOptions): ClusterLock {
    return new ClusterLock(redis, keys.sourceRepoSync, opts);
  }

  get held(): boolean {
    return this.timer !== null;
  }

  /** `EXISTS key`: is this lock held by anyone (for example a Go node scanning)? */
  static isHeld(redis: Redis, key: string): Promise<boolean> {
    return isLockHeld(redis, key);
  }

  /** True if we took the lock; false if someone else holds it. */
  async tryAcquire(): Promise<boolean> {
    if (this.timer) return true;
    // Argument order as Go nodes send it (capture 12): SET key 1 NX EX 10.
    const ok = await this.redis.call('SET', this.key, '1', 'NX', 'EX', String(this.ttlSec));
    if (ok !== 'OK') return false;
    this.timer = setInterval(() => void this.refresh(), this.refreshMs);
    this.timer.unref();
    return true;
  }

  private async refresh(): Promise<void> {
    try {
      const n = await this.redis.expire(this.key, this.ttlSec);
      if (n === 0 && this.timer) {
        this.stopTimer();
        this.opts.onLost?.();
      }
    } catch {
      // Redis unreachable: the next tick retries; the TTL decides if the lock survives.
    }
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async release(): Promise<void> {
    const wasHeld = this.timer !== null;
    this.stopTimer();
    if (wasHeld) await this.redis.del(this.key);
  }
}

/** `EXISTS key`: is a cluster lock (e.g. `SCANNING_<id>`) held by anyone? */
export async function isLockHeld(redis: Redis, key: string): Promise<boolean> {
  return (await redis.exists(key)) === 1;
}

const RELEASE_IF_OURS = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export interface UpgradeLockOptions {
  ttlMs?: number;
  keepAliveMs?: number;
}

/**
 * `LOCK_upgrade`: `SET LOCK_upgrade <random int> NX PX 5000`; keep-alive every ~1 s (GET to
 * verify ownership, then PEXPIRE); release deletes the key only if it still holds our value.
 */
export class UpgradeLock {
  readonly value = String(randomInt(1, 2 ** 47));
  private timer: NodeJS.Timeout | null = null;
  private lost = false;
  private readonly ttlMs: number;
  private readonly keepAliveMs: number;

  constructor(private readonly redis: Redis, opts: UpgradeLockOptions = {}, readonly key = keys.upgradeLock) {
    this.ttlMs = opts.ttlMs ?? 5000;
    this.keepAliveMs = opts.keepAliveMs ?? 1000;
  }

  /** True while we still own the key as far as the last keep-alive knows. */
  get held(): boolean {
    return this.timer !== null && !this.lost;
  }

  async tryAcquire(): Promise<boolean> {
    if (this.timer) return !this.lost;
    const ok = await this.redis.call('SET', this.key, this.value, 'NX', 'PX', String(this.ttlMs));
    if (ok !== 'OK') return false;
    this.lost = false;
    this.timer = setInterval(() => void this.keepAlive(), this.keepAliveMs);
    this.timer.unref();
    return true;
  }

  /** Retry every `retryMs` until acquired or `timeoutMs` passes (then throws). */
  async acquire(retryMs = 100, timeoutMs = Infinity): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await this.tryAcquire())) {
      if (Date.now() >= deadline) throw new Error(`${this.key} still held by another node after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, retryMs));
    }
  }

  private async keepAlive(): Promise<void> {
    try {
      if ((await this.redis.get(this.key)) !== this.value) {
        this.lost = true;
        return;
      }
      await this.redis.pexpire(this.key, this.ttlMs);
    } catch {
      // Transient: the next tick retries.
    }
  }

  async release(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.redis.eval(RELEASE_IF_OURS, 1, this.key, this.value);
  }
}
