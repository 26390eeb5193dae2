/** What the job processors need, built once per pod by apps/worker. */
import type { WorkerMetrics } from '@mirrorball/metrics';
import type { Logger } from '@mirrorball/logger';
import type { Redis } from 'ioredis';
import type { JobClient } from '../client.ts';

/** The configuration keys the worker reads (a full @mirrorball/config Config fits). */
export interface WorkerConfig {
  ScanInterval: number;
  CheckInterval: number;
  ConcurrentSync: number;
  DisallowRedirects: boolean;
  DisableOnMissingFile: boolean;
  FixTimezoneOffsets: boolean;
  TraceFileLocation: string;
  ContentCheck: { FilesPerCheck: number; Interval: number };
  HttpScan: { Concurrency: number; RequestsPerSecond: number };
}

export interface WorkerDeps {
  /** Commands for the processors (fail-fast client, libs/redis `purpose: 'main'`). */
  redis: Redis;
  config: WorkerConfig;
  metrics: WorkerMetrics;
  log: Logger;
  /** Follow-up jobs (a check right after a scan). */
  jobs: JobClient;
  /** Extra CA certificates for HTTPS mirrors (tests). */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Health-check timeouts (contract 20 s / 40 s). */
  checkTimeouts?: { connectMs: number; totalMs: number };
}
