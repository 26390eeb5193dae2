import type { GoTime } from '@mirrorball/gofmt';

/** One regular file reported by a mirror. `path` starts with `/`, relative to the mirror's base. */
export interface ListedFile {
  path: string;
  size: number;
  /** Go's zero time when the protocol gave no date (mtime checks then compare size only). */
  modTime: GoTime;
  /** Zone abbreviation written after `+0000` (Mirrorbits' FTP MDTM times say `GMT`); default `UTC`. */
  zone?: string;
}

/** Minimal logger the scan code writes to (libs/logger's loggers fit). */
export interface ScanLog {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error?(msg: string, fields?: Record<string, unknown>): void;
}

export const SILENT_LOG: ScanLog = { info() {}, warn() {}, error() {} };

/**
 * A mirror listing in progress. Iterate `files()` once; afterwards `precisionNs` is the mtime
 * precision the protocol gave (contract `lastSuccessfulSyncPrecision`; 0 = no dates) and
 * `skipped` counts entries that could not be parsed (logged, never fatal).
 */
export interface MirrorListing {
  readonly protocol: number;
  /** The files in batches (cheaper than one await per file on 100 000-file mirrors). Iterate once. */
  batches(): AsyncIterable<ListedFile[]>;
  /** The same, one file at a time. */
  files(): AsyncIterable<ListedFile>;
  readonly precisionNs: number;
  readonly skipped: number;
}

export const NS_PER_SEC = 1_000_000_000;
export const NS_PER_MS = 1_000_000;

export async function* flattenBatches(batches: AsyncIterable<ListedFile[]>): AsyncGenerator<ListedFile> {
  for await (const batch of batches) yield* batch;
}
