/** What the request handlers need; main.ts builds it, tests build it with test services. */
import type { Redis } from 'ioredis';
import type { Config } from '@mirrorball/config';
import type { Catalog, DirectoryIndex } from '@mirrorball/catalog';
import type { DownloadCounter, DownloadLog, RangeDedup } from '@mirrorball/downloads';
import type { GeoRecord } from '@mirrorball/model';
import type { FallbackConfig, SelectionConfig } from '@mirrorball/selection';
import { TrustedProxies } from './client-ip.ts';
import { newTally, type Tally } from './tally.ts';

export interface GeoLookup {
  lookup(ip: string): GeoRecord;
  info?(): { attribution?: string };
}

export interface ApiDeps {
  config: Config;
  redis: Redis;
  catalog: Catalog;
  dirs: DirectoryIndex;
  geo: GeoLookup;
  counter: DownloadCounter;
  dedup: RangeDedup;
  log?: DownloadLog | null;
  version: string;
  hostname: string;
  random?: () => number;
  /** Counters shared with code built before the context (main's stats-flush error handler). */
  tally?: Tally;
  /** Unexpected errors (bugs) — logged by main. */
  onError?: (err: unknown) => void;
}

/** Derived once per app: nothing here is recomputed per request. */
export interface ApiContext extends ApiDeps {
  server: string;
  trusted: TrustedProxies;
  selection: SelectionConfig;
  fallbacks: FallbackConfig[];
  maxLinks: number;
  random: () => number;
  /** Plain counters bumped by the request path, copied into Prometheus once a second (metrics.ts). */
  tally: Tally;
}

export type { Tally };

export function apiContext(deps: ApiDeps): ApiContext {
  const c = deps.config;
  return {
    ...deps,
    // Clients never check it; Mirrorball names itself (Mirrorbits sends `Mirrorbits/<version>`).
    server: `Mirrorball/${deps.version}`,
    trusted: new TrustedProxies(c.TrustedProxies),
    selection: {
      weightDistributionRange: c.WeightDistributionRange,
      allowOutdatedFiles: c.AllowOutdatedFiles.map((r) => ({ prefix: r.Prefix, minutes: r.Minutes })),
      fixTimezoneOffsets: c.FixTimezoneOffsets,
    },
    fallbacks: c.Fallbacks.map((f) => ({ url: f.URL, countryCode: f.CountryCode, continentCode: f.ContinentCode })),
    // Negative values crash Mirrorbits; here they mean "no Link headers".
    maxLinks: Math.max(0, Math.trunc(c.MaxLinkHeaders)),
    random: deps.random ?? Math.random,
    tally: (deps as Partial<ApiContext>).tally ?? newTally(),
  };
}
