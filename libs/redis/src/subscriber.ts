/**
 * Cache invalidation over Mirrorbits' pub/sub channels (contract §3.8, §4.7), on a dedicated
 * connection. `reconnected` fires only once the channels are subscribed again, so a cache
 * cleared on it cannot miss an invalidation published after the clear.
 */
import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { CHANNELS } from './keys.ts';
import { createRedis, type RedisConnectionConfig } from './connection.ts';

export interface SubscriberEvents {
  file: [path: string];
  mirror: [id: number];
  mirrorFile: [id: number, path: string];
  cluster: [db: number, nodeId: string];
  /** Subscribed (first time and after every reconnection). */
  connected: [];
  /** Subscribed again after a lost connection: clear every cache. */
  reconnected: [];
  disconnected: [];
  error: [err: Error];
}

const ALL_CHANNELS = [CHANNELS.fileUpdate, CHANNELS.mirrorUpdate, CHANNELS.mirrorFileUpdate, CHANNELS.cluster];

/** `<id> <path>` split at the FIRST space (paths may contain spaces). Null when malformed. */
export function parseMirrorFilePayload(payload: string): { id: number; path: string } | null {
  const i = payload.indexOf(' ');
  if (i <= 0) return null;
  const id = parseMirrorId(payload.slice(0, i));
  return id === null ? null : { id, path: payload.slice(i + 1) };
}

export function parseMirrorId(s: string): number | null {
  return /^\d+$/.test(s) ? Number(s) : null;
}

/** `HELLO<db> <nodeId>` → parts; null for anything else. */
export function parseClusterPayload(payload: string): { db: number; nodeId: string } | null {
  const m = /^HELLO(\d+) (.+)$/s.exec(payload);
  return m ? { db: Number(m[1]), nodeId: m[2]! } : null;
}

export class RedisSubscriber extends EventEmitter<SubscriberEvents> {
  private everSubscribed = false;
  private subscribed = false;
  private closed = false;

  /** Takes ownership of `redis`, which must be a fresh connection used for nothing else. */
  constructor(private readonly redis: Redis) {
    super();
    // Error events would crash the process when nobody listens; connection errors are expected here.
    this.on('error', () => {});
    redis.on('error', (err: Error) => this.emit('error', err));
    redis.on('ready', () => void this.subscribe());
    redis.on('close', () => {
      if (this.subscribed) {
        this.subscribed = false;
        this.emit('disconnected');
      }
    });
    redis.on('message', (channel: string, message: string) => this.dispatch(channel, message));
    if (redis.status === 'ready') void this.subscribe();
  }

  static create(config: RedisConnectionConfig): RedisSubscriber {
    return new RedisSubscriber(createRedis(config, { purpose: 'subscriber' }));
  }

  /** True while subscribed (caches may trust invalidations). */
  get connected(): boolean {
    return this.subscribed;
  }

  /** Resolve once subscribed (or reject after timeoutMs). */
  waitConnected(timeoutMs = 10_000): Promise<void> {
    if (this.subscribed) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.off('connected', ok);
        reject(new Error(`pub/sub not subscribed after ${timeoutMs} ms`));
      }, timeoutMs);
      const ok = () => {
        clearTimeout(t);
        resolve();
      };
      this.once('connected', ok);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.subscribed = false;
    this.redis.disconnect();
  }

  private async subscribe(): Promise<void> {
    if (this.closed) return;
    try {
      await this.redis.subscribe(...ALL_CHANNELS);
    } catch (err) {
      // The connection dropped mid-subscribe; the next 'ready' retries.
      this.emit('error', err as Error);
      return;
    }
    if (this.closed) return;
    this.subscribed = true;
    const again = this.everSubscribed;
    this.everSubscribed = true;
    this.emit('connected');
    if (again) this.emit('reconnected');
  }

  private dispatch(channel: string, message: string): void {
    switch (channel) {
      case CHANNELS.fileUpdate:
        this.emit('file', message);
        return;
      case CHANNELS.mirrorUpdate: {
        const id = parseMirrorId(message);
        if (id !== null) this.emit('mirror', id);
        return;
      }
      case CHANNELS.mirrorFileUpdate: {
        const p = parseMirrorFilePayload(message);
        if (p) this.emit('mirrorFile', p.id, p.path);
        return;
      }
      case CHANNELS.cluster: {
        const c = parseClusterPayload(message);
        if (c) this.emit('cluster', c.db, c.nodeId);
        return;
      }
    }
  }
}

/**
 * Anything that can PUBLISH: a client (returns a promise, await it) or a pipeline / MULTI
 * (returns the pipeline, the command joins the batch).
 */
export interface Publisher<R> {
  publish(channel: string, message: string): R;
}

export function publishFileUpdate<R>(p: Publisher<R>, path: string): R {
  return p.publish(CHANNELS.fileUpdate, path);
}

export function publishMirrorUpdate<R>(p: Publisher<R>, id: number): R {
  return p.publish(CHANNELS.mirrorUpdate, String(id));
}

export function publishMirrorFileUpdate<R>(p: Publisher<R>, id: number, path: string): R {
  return p.publish(CHANNELS.mirrorFileUpdate, `${id} ${path}`);
}

export function publishClusterHello<R>(p: Publisher<R>, db: number, nodeId: string): R {
  return p.publish(CHANNELS.cluster, `HELLO${db} ${nodeId}`);
}
