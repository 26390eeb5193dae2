/**
 * Metrics of the api (libs/metrics catalogue). The warm path only bumps plain numbers; they are
 * copied into prom-client once a second, so a redirect pays no label hashing.
 */
import type { ApiMetrics } from '@mirrorball/metrics';
import type { ApiContext } from './deps.ts';

export function syncMetrics(ctx: ApiContext, m: ApiMetrics, intervalMs = 1000): () => void {
  const last = new Map<string, number>();
  const delta = (key: string, now: number) => {
    const d = now - (last.get(key) ?? 0);
    last.set(key, now);
    return d > 0 ? d : 0;
  };
  const tick = () => {
    const s = ctx.catalog.stats();
    for (const [cache, v] of Object.entries(s)) {
      m.cacheEntries.set({ cache }, v.entries);
      m.cacheRequests.inc({ cache, result: 'hit' }, delta(cache + ':hit', v.hits));
      m.cacheRequests.inc({ cache, result: 'miss' }, delta(cache + ':miss', v.misses));
    }
    for (const [key, n] of ctx.tally.requests) {
      const [type, status, method] = key.split(' ') as [string, string, string];
      m.httpRequests.inc({ type, status, method }, delta('req:' + key, n));
    }
    for (const [reason, n] of ctx.tally.fallbacks) m.fallbacks.inc({ reason }, delta('fb:' + reason, n));
    m.noMirror.inc(delta('nomirror', ctx.tally.noMirror));
    m.statsPending.set(ctx.counter.pending);
    m.redisUp.set(ctx.redis.status === 'ready' ? 1 : 0);
  };
  tick();
  const t = setInterval(tick, intervalMs);
  t.unref();
  return () => clearInterval(t);
}
