/**
 * `mirrorball_mirrors_up{protocol}` / `mirrorball_mirrors_down{protocol}`: enabled mirrors by the
 * health state recorded in Redis (`httpUp` / `httpsUp`), so every worker pod reports the same
 * cluster-wide totals whichever pod ran the checks (dashboards and alerts take `max by (protocol)`).
 * A mirror counts once per protocol its `http` URL serves (scheme-less: both); one not checked yet
 * is down, as the redirector sees it. Both protocols are always reported (0 when none), so an
 * alert can tell "no mirror up" from "no data".
 */
import { protocolsOf } from '@mirrorball/health';
import type { WorkerMetrics } from '@mirrorball/metrics';
import { listMirrors } from '@mirrorball/redis';
import type { Redis } from 'ioredis';
import { CoalescedPass } from './coalesce.ts';

export interface MirrorTotals {
  up: { http: number; https: number };
  down: { http: number; https: number };
}

export async function countMirrorTotals(redis: Redis): Promise<MirrorTotals> {
  const t: MirrorTotals = { up: { http: 0, https: 0 }, down: { http: 0, https: 0 } };
  for (const m of await listMirrors(redis)) {
    if (!m.enabled) continue;
    for (const p of protocolsOf(m.httpURL)) {
      const up = p === 'http' ? m.httpUp : m.httpsUp;
      t[up ? 'up' : 'down'][p]++;
    }
  }
  return t;
}

/** Refreshes the two gauges; concurrent refreshes share one pass (plus one more if asked meanwhile). */
export class MirrorTotalsGauge {
  private readonly passes = new CoalescedPass(() => this.pass());

  constructor(private readonly redis: Redis, private readonly metrics: WorkerMetrics) {}

  refresh(): Promise<void> {
    return this.passes.run();
  }

  private async pass(): Promise<void> {
    // On a Redis error the gauges keep their last values (the refresh rejects).
    const t = await countMirrorTotals(this.redis);
    for (const p of ['http', 'https'] as const) {
      this.metrics.mirrorsUp.set({ protocol: p }, t.up[p]);
      this.metrics.mirrorsDown.set({ protocol: p }, t.down[p]);
    }
  }
}
