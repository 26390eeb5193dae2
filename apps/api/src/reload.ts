/**
 * SIGHUP (and the admin reload): re-read the configuration and apply what Mirrorbits reads live
 * (output mode, fallbacks, Link headers, selection tuning, trusted proxies, counting, gzip, …).
 * A broken file is reported and the running configuration stays.
 */
import type { Config } from '@mirrorball/config';
import type { RangeDedup } from '@mirrorball/downloads';
import { apiContext, type ApiContext } from './deps.ts';

/** Keys read once at start (connections, listeners, files): a change needs a restart. */
const RESTART_KEYS = [
  'ListenAddress', 'AdminListenAddress', 'RPCListenAddress', 'RedisAddress', 'RedisPassword', 'RedisDB',
  'RedisSentinels', 'RedisSentinelMasterName', 'RedisSentinelPassword', 'RedisTLS', 'LogDir', 'GeoipDatabasePath', 'AdminToken', 'StatsRetention',
] as const;

export interface ReloadOutcome {
  ok: boolean;
  error?: string;
  /** Changed keys that only take effect after a restart. */
  needRestart: string[];
}

export function applyConfig(ctx: ApiContext, next: Config, dedup?: RangeDedup): string[] {
  const prev = ctx.config as unknown as Record<string, unknown>;
  const needRestart = RESTART_KEYS.filter((k) => JSON.stringify(prev[k]) !== JSON.stringify((next as unknown as Record<string, unknown>)[k]));
  // Everything derived from the config (trusted proxies, selection tuning, fallbacks) is rebuilt;
  // the counters (tally) and services are kept. Requests in flight finish with the old values.
  Object.assign(ctx, apiContext({ ...ctx, config: next }));
  dedup?.setInterval(next.SameDownloadInterval);
  return needRestart;
}

export function reloadInto(ctx: ApiContext, load: () => Config, dedup?: RangeDedup): ReloadOutcome {
  let next: Config;
  try {
    next = load();
  } catch (err) {
    return { ok: false, error: String((err as Error)?.message ?? err), needRestart: [] };
  }
  return { ok: true, needRestart: applyConfig(ctx, next, dedup) };
}
