/**
 * Which answers count (contract §2.14 + ARCHITECTURE): redirects for GET, and for HEAD when
 * `CountHeadRequests` (default true; Mirrorbits never counts HEAD). Other methods never count.
 * Ranged requests go through the de-duplication, which never delays the response.
 */
import type { Redis } from 'ioredis';
import { DownloadCounter, type CounterOptions } from '@mirrorball/downloads';
import type { ApiContext, Tally } from './deps.ts';
import type { Req } from './request.ts';
import { countRedisError } from './tally.ts';

/** The counter as the api runs it: every failed flush is a `redis_errors_total{op="stats_flush"}`. */
export function apiDownloadCounter(redis: Redis, tally: Tally, opts: CounterOptions = {}): DownloadCounter {
  return new DownloadCounter(redis, {
    ...opts,
    onFlush: (ok) => {
      if (!ok) countRedisError(tally, 'stats_flush');
      opts.onFlush?.(ok);
    },
  });
}

export function countDownload(ctx: ApiContext, r: Req, path: string, mirrorId: number, size: number, ip: string): void {
  if (r.method !== 'GET' && !(r.method === 'HEAD' && ctx.config.CountHeadRequests)) return;
  const range = r.h.range;
  if (range === undefined || ctx.config.SameDownloadInterval <= 0) {
    ctx.counter.record(path, mirrorId, size);
    return;
  }
  const ua = r.h.ua ?? '';
  void ctx.dedup.shouldCount(ip, ua, path).then((yes) => {
    if (yes) ctx.counter.record(path, mirrorId, size);
  });
}
