/** Queue names, job names and payloads shared by the worker and the admin API. */
import { INDEX_QUEUE, INDEX_JOB, type IndexJobData } from '@mirrorball/indexer';

export const QUEUES = {
  scan: 'mirrorball-scan',
  check: 'mirrorball-check',
  content: 'mirrorball-content',
  index: INDEX_QUEUE,
} as const;

export type QueueKind = 'scan' | 'check' | 'content';

export { INDEX_JOB, type IndexJobData };

export type ScanProtocolChoice = 'all' | 'rsync' | 'ftp' | 'http';

export interface ScanJobData {
  mirrorId: number;
  /** Scan even if the mirror's lastSync is younger than ScanInterval, or the mirror is disabled. */
  force?: boolean;
  protocols?: ScanProtocolChoice;
  /** Enable the mirror after a successful scan (`mirrorbits scan -enable`). */
  autoEnable?: boolean;
  /** Abort the scan after this many seconds (0/absent: no limit, as Mirrorbits). */
  timeoutSec?: number;
}

export interface ScanJobResult {
  /** Set when the job did nothing: `recently scanned`, `disabled`, `mirror not found`. */
  skipped?: string;
  filesIndexed?: number;
  knownIndexed?: number;
  removed?: number;
  tzOffsetMs?: number;
  protocol?: number;
  skippedLines?: number;
  enabled?: boolean;
}

export interface CheckJobData {
  mirrorId: number;
  /** On-demand check of a disabled mirror. */
  force?: boolean;
}

export interface CheckJobResult {
  skipped?: string;
  file?: string;
  results?: { protocol: 'http' | 'https'; up: boolean; reason: string; outcome: string; changed: boolean }[];
  disabled?: boolean;
}

export interface ContentJobData {
  mirrorId: number;
  force?: boolean;
  /** Specific paths (on demand); default a random sample of ContentCheck.FilesPerCheck files. */
  paths?: string[];
}

export interface ContentJobResult {
  skipped?: string;
  files?: { path: string; outcome: 'match' | 'mismatch' | 'error'; detail: string }[];
}

/** Job scheduler ids: the same in every pod, so upserts from several pods converge. */
export const schedulerId = (kind: QueueKind, mirrorId: number) => `${kind}:${mirrorId}`;

export function parseSchedulerId(id: string): { kind: QueueKind; mirrorId: number } | null {
  const m = /^(scan|check|content):(\d+)$/.exec(id);
  return m ? { kind: m[1] as QueueKind, mirrorId: Number(m[2]) } : null;
}

/** Job names (scheduled jobs carry the scheduler's name). */
export const JOB_NAMES = { scheduled: 'scheduled', onDemand: 'on-demand' } as const;

/**
 * Retries: transient failures (network, Redis, lock busy) back off exponentially; permanent
 * ones are thrown as BullMQ UnrecoverableError and not retried.
 */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 4,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 1000 },
} as const;
