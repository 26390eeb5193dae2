/**
 * What scan and refresh need from the job system. The admin operations only enqueue and wait;
 * the worker (mirror scans) and the scanner (repository index) do the work.
 */
export type ScanProtocol = 'all' | 'rsync' | 'ftp';

export interface ScanRequest {
  id: number;
  protocol: ScanProtocol;
  /** Enable the mirror after a successful scan. */
  autoEnable: boolean;
  /** 0 = wait as long as it takes. */
  timeoutSec: number;
}

export interface ScanOutcome {
  filesIndexed: number;
  knownIndexed: number;
  removed: number;
  tzOffsetMs: number;
  /** The scan enabled the mirror (`scan -enable` on a disabled mirror). */
  enabled: boolean;
}

export interface RefreshRequest {
  rehash: boolean;
  timeoutSec: number;
}

export interface AdminJobs {
  scan(req: ScanRequest): Promise<ScanOutcome>;
  refresh(req: RefreshRequest): Promise<void>;
}
