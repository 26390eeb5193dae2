/**
 * Metrics of the api (libs/metrics catalogue). The warm path only bumps plain numbers (tally.ts);
 * they are copied into prom-client once a second, so a redirect pays no label hashing. The
 * duration histogram is read from its typed arrays at scrape time (durations.ts).
 */
import type { ApiMetrics } from '@mirrorball/metrics';
import type { ApiContext } from './deps.ts';
import { exposeDurations } from './durations.ts';
import { foldTally, requestLabels } from './tally.ts';

export interface MetricsSources {
  /** Pub/sub invalidation counts (libs/catalog attachInvalidation). */
  invalidation?: { received: ReadonlyMap<string, number> };
  /** Loaded GeoIP databases (libs/geo GeoIP.info()); re-read every tick, so reloads show. */
  geoInfo?: () => { cityBuildEpoch: number | null; asnBuildEpoch: number | null };
}

export function syncMetrics(ctx: ApiContext, m: ApiMetrics, sources: MetricsSources = {}, intervalMs = 1000): () => void {
  exposeDurations(m.registry, ctx.tally.durations);
  const last = new Map<string, number>();
  const delta = (key: string, now: number) => {
    const d = now - (last.get(key) ?? 0);
    last.set(key, now);
    return d > 0 ? d : 0;
  };
  let geoSeen = '';
  const tick = () => {
    const t = ctx.tally;
    foldTally(t);
    const s = ctx.catalog.stats();
    for (const [cache, v] of Object.entries(s)) {
      m.cacheEntries.set({ cache }, v.entries);
      m.cacheRequests.inc({ cache, result: 'hit' }, delta(cache + ':hit', v.hits));
      m.cacheRequests.inc({ cache, result: 'miss' }, delta(cache + ':miss', v.misses));
    }
    for (const [key, n] of t.requests) {
      const d = delta('req:' + key, n);
      if (d > 0) m.httpRequests.inc(requestLabels(key), d);
    }
    for (const [key, n] of t.redirects) {
      const d = delta('rd:' + key, n);
      const [country, mirror] = t.redirectLabels.get(key)!;
      if (d > 0) m.redirects.inc({ country, mirror }, d);
    }
    for (const [reason, n] of t.fallbacks) m.fallbacks.inc({ reason }, delta('fb:' + reason, n));
    for (const [op, n] of t.redisErrors) m.redisErrors.inc({ op }, delta('re:' + op, n));
    for (const [channel, n] of sources.invalidation?.received ?? []) m.pubsubInvalidations.inc({ channel }, delta('ps:' + channel, n));
    m.noMirror.inc(delta('nomirror', t.noMirror));
    m.statsPending.set(ctx.counter.pending);
    m.redisUp.set(ctx.redis.status === 'ready' ? 1 : 0);
    const geo = sources.geoInfo?.();
    const seen = geo ? `${geo.cityBuildEpoch} ${geo.asnBuildEpoch}` : '';
    if (geo && seen !== geoSeen) {
      // One series per loaded database; a reload replaces the old build's series.
      geoSeen = seen;
      m.geoipDatabaseInfo.reset();
      if (geo.cityBuildEpoch !== null) m.geoipDatabaseInfo.set({ type: 'city', build_epoch: String(geo.cityBuildEpoch) }, 1);
      if (geo.asnBuildEpoch !== null) m.geoipDatabaseInfo.set({ type: 'asn', build_epoch: String(geo.asnBuildEpoch) }, 1);
    }
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
