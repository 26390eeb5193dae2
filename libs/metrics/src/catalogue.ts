/**
 * Every metric each app exposes, in one place. Names carry the `mirrorball_` prefix; labels
 * are bounded (enumerations, mirror names, ISO countries) — never paths or client IPs.
 */

export type AppName = 'api' | 'worker' | 'scanner';

interface Base<L extends string> {
  name: string;
  help: string;
  labels: readonly L[];
}
export interface CounterDef<L extends string = string> extends Base<L> {
  kind: 'counter';
}
export interface GaugeDef<L extends string = string> extends Base<L> {
  kind: 'gauge';
}
export interface HistogramDef<L extends string = string> extends Base<L> {
  kind: 'histogram';
  buckets: readonly number[];
}
export type MetricDef = CounterDef | GaugeDef | HistogramDef;

const counter = <const L extends string = never>(name: string, help: string, labels: readonly L[] = []): CounterDef<L> => ({ kind: 'counter', name, help, labels });
const gauge = <const L extends string = never>(name: string, help: string, labels: readonly L[] = []): GaugeDef<L> => ({ kind: 'gauge', name, help, labels });
const histogram = <const L extends string = never>(name: string, help: string, labels: readonly L[], buckets: readonly number[]): HistogramDef<L> => ({
  kind: 'histogram',
  name,
  help,
  labels,
  buckets,
});

/** Redirect latency: a cached redirect takes well under a millisecond; a cold one a Redis round trip or two. */
export const HTTP_DURATION_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
/** Mirror scans: seconds (small HTTP mirror) to an hour (huge rsync listing). */
export const SCAN_DURATION_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600];
/** Index runs: a small local tree in a second, a large bucket with hashing in hours. */
export const INDEX_DURATION_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400];

/** Allowed label values, for apps to use instead of free text. */
export const LABEL_VALUES = {
  httpType: ['redirect', 'json', 'mirrorlist', 'checksum', 'stats', 'mirrorstats', 'metalink', 'torrent', 'other'],
  // The read-model caches of libs/catalog, under the names its stats() reports.
  cache: ['file', 'fileMirrors', 'mirror', 'mirrorFile', 'view'],
  cacheResult: ['hit', 'miss'],
  fallbackReason: ['no_mirror', 'redis_unavailable', 'not_indexed'],
  scanProtocol: ['rsync', 'ftp', 'http'],
  scanOutcome: ['success', 'failure', 'skipped_locked'],
  mirrorProtocol: ['http', 'https'],
  contentCheckOutcome: ['match', 'mismatch', 'error'],
  queueState: ['waiting', 'active', 'delayed', 'failed'],
  indexSource: ['local', 's3'],
  indexErrorKind: ['throttled', 'server_error', 'access_denied', 'no_such_bucket', 'wrong_region', 'credentials', 'network', 'other'],
} as const;

export const API_METRICS = {
  httpRequests: counter('mirrorball_http_requests_total', 'Public HTTP requests by answer type, status code and method.', ['type', 'status', 'method']),
  httpRequestDuration: histogram('mirrorball_http_request_duration_seconds', 'Time to answer a public HTTP request.', ['type'], HTTP_DURATION_BUCKETS),
  cacheRequests: counter('mirrorball_cache_requests_total', 'Read-model cache lookups by cache and result (hit|miss).', ['cache', 'result']),
  cacheEntries: gauge('mirrorball_cache_entries', 'Entries held in each read-model cache.', ['cache']),
  redisErrors: counter('mirrorball_redis_errors_total', 'Failed Redis operations by operation.', ['op']),
  fallbacks: counter('mirrorball_fallbacks_total', 'Requests answered with a fallback, by reason.', ['reason']),
  redirects: counter('mirrorball_redirects_total', 'Redirects by client country (ISO code or unknown) and mirror name.', ['country', 'mirror']),
  noMirror: counter('mirrorball_no_mirror_total', 'Requests for which no mirror and no fallback was available (503).'),
  statsFlush: counter('mirrorball_stats_flush_total', 'Download statistics flushes to Redis by result.', ['result']),
  statsPending: gauge('mirrorball_stats_pending', 'Downloads counted in memory, not yet flushed to Redis.'),
  redisUp: gauge('mirrorball_redis_up', '1 when the Redis connection is ready, else 0.'),
  geoipDatabaseInfo: gauge('mirrorball_geoip_database_info', 'Loaded GeoIP databases (value 1) by type and build epoch.', ['type', 'build_epoch']),
  pubsubInvalidations: counter('mirrorball_pubsub_invalidations_total', 'Cache invalidation messages received, by channel.', ['channel']),
} as const;

export const WORKER_METRICS = {
  scans: counter('mirrorball_scans_total', 'Mirror scans by protocol and outcome.', ['protocol', 'outcome']),
  scanDuration: histogram('mirrorball_scan_duration_seconds', 'Duration of mirror scans.', ['protocol'], SCAN_DURATION_BUCKETS),
  mirrorFiles: gauge('mirrorball_mirror_files', 'Files found on each mirror by its last scan.', ['mirror']),
  mirrorUp: gauge('mirrorball_mirror_up', '1 when the mirror passed its last health check for the protocol, else 0.', ['mirror', 'protocol']),
  mirrorsUp: gauge('mirrorball_mirrors_up', 'Enabled mirrors that are up, by protocol.', ['protocol']),
  mirrorsDown: gauge('mirrorball_mirrors_down', 'Enabled mirrors that are down, by protocol.', ['protocol']),
  healthChecks: counter('mirrorball_health_checks_total', 'Mirror health checks by protocol and outcome.', ['protocol', 'outcome']),
  contentChecks: counter('mirrorball_content_checks_total', 'Sampled content checks by outcome (match|mismatch|error).', ['outcome']),
  contentMismatches: counter('mirrorball_content_mismatches_total', 'Files whose content on a mirror differs from the source.', ['mirror']),
  queueJobs: gauge('mirrorball_queue_jobs', 'Jobs in each queue by state.', ['queue', 'state']),
  jobFailures: counter('mirrorball_job_failures_total', 'Failed jobs by queue.', ['queue']),
  mirrorLastSuccessfulScan: gauge('mirrorball_mirror_last_successful_scan_timestamp_seconds', 'Unix time of the last successful scan of each mirror.', ['mirror']),
  scanUnparsedLines: counter('mirrorball_scan_unparsed_lines_total', 'Listing lines a scan could not parse and skipped.', ['protocol']),
} as const;

export const SCANNER_METRICS = {
  indexRuns: counter('mirrorball_index_runs_total', 'Source index runs by source and outcome.', ['source', 'outcome']),
  indexRunDuration: histogram('mirrorball_index_run_duration_seconds', 'Duration of source index runs.', ['source'], INDEX_DURATION_BUCKETS),
  indexObjects: gauge('mirrorball_index_objects', 'Files in the index after the last run.', ['source']),
  indexObjectsListed: counter('mirrorball_index_objects_listed_total', 'Objects listed from the source.', ['source']),
  indexObjectsHashed: counter('mirrorball_index_objects_hashed_total', 'Objects whose content was hashed.', ['source']),
  indexBytesHashed: counter('mirrorball_index_bytes_hashed_total', 'Bytes read to compute hashes.', ['source']),
  indexLastSuccess: gauge('mirrorball_index_last_success_timestamp_seconds', 'Unix time of the last successful index run.', ['source']),
  indexErrors: counter('mirrorball_index_errors_total', 'Source errors by kind.', ['source', 'kind']),
} as const;

export const CATALOGUE = { api: API_METRICS, worker: WORKER_METRICS, scanner: SCANNER_METRICS } as const;

/** Metric names per app (without the default process_/nodejs_ metrics). */
export const METRIC_NAMES: { readonly [A in AppName]: readonly string[] } = {
  api: Object.values(API_METRICS).map((d) => d.name),
  worker: Object.values(WORKER_METRICS).map((d) => d.name),
  scanner: Object.values(SCANNER_METRICS).map((d) => d.name),
};
