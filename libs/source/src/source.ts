import type { Readable } from 'node:stream';
import type { GoTime } from '@mirrorball/gofmt';

/** One file of the source of truth, as the index records it. */
export interface SourceObject {
  /** Repository path: leading `/`, byte-exact (S3: the key with the configured prefix removed). */
  path: string;
  size: number;
  modTime: GoTime;
  /** S3 only: the object's ETag without quotes (multipart uploads end in `-N`). */
  etag?: string;
}

/** Inclusive byte range, as in an HTTP `Range: bytes=start-end` header. */
export interface ByteRange {
  start: number;
  end: number;
}

/** Hashes an object publishes about itself (S3 user metadata such as `x-amz-meta-sha256`). */
export interface PublishedHashes {
  sha1?: string;
  sha256?: string;
  md5?: string;
}

/** The source of truth for which files exist: a local directory or an S3 bucket. */
export interface Source {
  readonly kind: 'local' | 's3';
  /** Every file, once. Throws SourceError when the source cannot be listed completely. */
  list(): AsyncIterable<SourceObject>;
  /** The file's bytes (or one range of them). */
  open(path: string, range?: ByteRange): Promise<Readable>;
  /** Hashes published in the object's metadata, if the source has such a notion. */
  publishedHashes?(path: string): Promise<PublishedHashes>;
  /** One line for logs: what is indexed, from where. */
  describe(): string;
}

/** Minimal logger the source and indexer write to (libs/logger's loggers fit). */
export interface Log {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export const silentLog: Log = { info() {}, warn() {}, error() {} };
