import https from 'node:https';
import type { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client, type ListObjectsV2CommandOutput } from '@aws-sdk/client-s3';
import { SourceError } from './errors.ts';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry.ts';
import { classifyS3Error, reportedRegion } from './s3-errors.ts';
import type { ByteRange, Log, PublishedHashes, Source, SourceObject } from './source.ts';
import { silentLog } from './source.ts';

export interface S3SourceOptions {
  /** Custom endpoint (any S3-compatible service); omitted = AWS. */
  endpoint?: string;
  /** Configured region; a bucket elsewhere is found by following the region S3 reports. */
  region?: string;
  bucket: string;
  /** Key prefix mapped to `/` (with or without leading/trailing slash). */
  prefix?: string;
  /** Explicit choice; when unset, path-style is chosen automatically (see choosePathStyle). */
  forcePathStyle?: boolean;
  /** >1: list the first-level prefixes in parallel with this many ListObjectsV2 streams. */
  listConcurrency?: number;
  /** Static credentials; omitted = the SDK's default chain (env, shared files, web identity, IMDS). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Extra CA certificates (PEM) to trust for an HTTPS endpoint with a private CA. */
  tlsCa?: string;
  retry?: RetryPolicy;
  log?: Log;
  /** Called for every S3 request issued (metrics, tests). */
  onRequest?: (op: string) => void;
}

/**
 * Path-style requests when the bucket name cannot be a TLS-valid virtual host (dots break
 * wildcard certificates) or when the endpoint is an IP address or localhost (no wildcard DNS).
 */
export function choosePathStyle(bucket: string, endpoint?: string, explicit?: boolean): boolean {
  if (explicit !== undefined) return explicit;
  if (bucket.includes('.')) return true;
  if (!endpoint) return false;
  const host = new URL(endpoint).hostname;
  return host === 'localhost' || /^[\d.]+$/.test(host) || host.startsWith('[');
}

export function normalisePrefix(prefix: string | undefined): string {
  const p = (prefix ?? '').replace(/^\/+/, '');
  return p === '' || p.endsWith('/') ? p : p + '/';
}

/** Directory placeholders written by consoles and FUSE tools are not files. */
export function isPlaceholderKey(key: string, size: number): boolean {
  return key.endsWith('/') || (size === 0 && key.endsWith('_$folder$'));
}

/** An S3 bucket (optionally a prefix of it) as the source of truth. */
export class S3Source implements Source {
  readonly kind = 's3' as const;
  readonly bucket: string;
  readonly prefix: string;
  private region: string;
  private client: S3Client;
  private readonly retry: RetryPolicy;
  private readonly log: Log;

  constructor(private readonly opts: S3SourceOptions) {
    if (!opts.bucket) throw new SourceError('other', 'Source.S3.Bucket is required for an S3 source');
    this.bucket = opts.bucket;
    this.prefix = normalisePrefix(opts.prefix);
    this.region = opts.region || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1';
    this.retry = opts.retry ?? DEFAULT_RETRY;
    this.log = opts.log ?? silentLog;
    this.client = this.makeClient();
  }

  private makeClient(): S3Client {
    return new S3Client({
      region: this.region,
      endpoint: this.opts.endpoint,
      forcePathStyle: choosePathStyle(this.bucket, this.opts.endpoint, this.opts.forcePathStyle),
      credentials: this.opts.credentials,
      requestHandler: this.opts.tlsCa ? { httpsAgent: new https.Agent({ ca: this.opts.tlsCa, keepAlive: true }) } : undefined,
      // Retries are ours (withRetry): one policy for listing pages and object reads, counted and logged.
      maxAttempts: 1,
      // Checksums of GetObject bodies would need a second pass; our hashes cover integrity.
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
  }

  describe(): string {
    return `s3://${this.bucket}/${this.prefix} (${this.opts.endpoint ?? 'AWS'}, region ${this.region})`;
  }

  /** One S3 call with retries, and one region switch when S3 reports the bucket lives elsewhere. */
  private async call<T>(op: string, what: string, send: (c: S3Client) => Promise<T>): Promise<T> {
    const once = () =>
      withRetry(this.retry, what, () => {
        this.opts.onRequest?.(op);
        return send(this.client);
      }, (e) => classifyS3Error(e, `${op} ${what}`), (err, attempt, delay) =>
        this.log.warn(`[source] ${err.message}; retry ${attempt}/${this.retry.attempts - 1} in ${Math.round(delay)} ms`));
    try {
      return await once();
    } catch (e) {
      const err = e as SourceError;
      const region = reportedRegion(err.cause);
      if (err.kind !== 'wrong-region' || !region || region === this.region) throw err;
      this.log.warn(`[source] bucket ${this.bucket} is in region ${region}, not ${this.region}: following S3's answer (set Source.S3.Region: ${region} to skip this)`);
      this.region = region;
      this.client.destroy();
      this.client = this.makeClient();
      return once();
    }
  }

  private key(path: string): string {
    return this.prefix + path.replace(/^\//, '');
  }

  private toObject(key: string, size: number, lastModified: Date | undefined, etag: string | undefined): SourceObject | null {
    if (!key.startsWith(this.prefix)) return null;
    const rel = key.slice(this.prefix.length);
    if (rel === '' || isPlaceholderKey(rel, size)) return null;
    return {
      path: '/' + rel,
      size,
      // S3 keeps LastModified to the second (listings print .000Z; HEAD's Last-Modified has none):
      // drop any fraction so that every S3-compatible server yields the same index.
      modTime: { sec: Math.floor((lastModified?.getTime() ?? 0) / 1000), nsec: 0 },
      etag: etag?.replace(/^"|"$/g, ''),
    };
  }

  /** All pages of one ListObjectsV2 stream. */
  private async *listPages(prefix: string, delimiter?: string): AsyncIterable<ListObjectsV2CommandOutput> {
    let token: string | undefined;
    do {
      const page: ListObjectsV2CommandOutput = await this.call('ListObjectsV2', `s3://${this.bucket}/${prefix}`, (c) =>
        c.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix || undefined, Delimiter: delimiter, ContinuationToken: token })));
      yield page;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
      if (page.IsTruncated && !token) throw new SourceError('other', `ListObjectsV2 s3://${this.bucket}/${prefix}: truncated page without a continuation token`);
    } while (token);
  }

  private *objectsOf(page: ListObjectsV2CommandOutput): Iterable<SourceObject> {
    for (const o of page.Contents ?? []) {
      if (o.Key === undefined) continue;
      const obj = this.toObject(o.Key, Number(o.Size ?? 0), o.LastModified, o.ETag);
      if (obj) yield obj;
    }
  }

  async *list(): AsyncIterable<SourceObject> {
    const concurrency = Math.max(1, this.opts.listConcurrency ?? 1);
    if (concurrency === 1) {
      for await (const page of this.listPages(this.prefix)) yield* this.objectsOf(page);
      return;
    }
    // Split over first-level prefixes: one delimited listing of the root, then each prefix in parallel.
    const subPrefixes: string[] = [];
    for await (const page of this.listPages(this.prefix, '/')) {
      yield* this.objectsOf(page);
      for (const cp of page.CommonPrefixes ?? []) if (cp.Prefix) subPrefixes.push(cp.Prefix);
    }
    // Pages are handed over as they arrive (progress stays live); a failing stream stops all.
    const ready: SourceObject[][] = [];
    let wake: (() => void) | null = null;
    let failure: unknown;
    let running = 0;
    let next = 0;
    const notify = () => {
      wake?.();
      wake = null;
    };
    const worker = async () => {
      try {
        while (failure === undefined && next < subPrefixes.length) {
          const prefix = subPrefixes[next++]!;
          for await (const page of this.listPages(prefix)) {
            if (failure !== undefined) return;
            ready.push([...this.objectsOf(page)]);
            notify();
          }
        }
      } catch (e) {
        failure ??= e;
      } finally {
        running--;
        notify();
      }
    };
    const workers = Math.min(concurrency, subPrefixes.length);
    running = workers;
    for (let i = 0; i < workers; i++) void worker();
    try {
      for (;;) {
        const batch = ready.shift();
        if (batch) {
          yield* batch;
          continue;
        }
        if (failure !== undefined) throw failure;
        if (running === 0) return;
        await new Promise<void>((r) => (wake = r));
      }
    } finally {
      failure ??= new SourceError('other', 'listing abandoned'); // the consumer stopped: stop the workers too
    }
  }

  async open(path: string, range?: ByteRange): Promise<Readable> {
    const out = await this.call('GetObject', `s3://${this.bucket}/${this.key(path)}`, (c) =>
      c.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(path), Range: range ? `bytes=${range.start}-${range.end}` : undefined })));
    if (!out.Body) throw new SourceError('other', `GetObject ${path}: empty body`);
    return out.Body as Readable;
  }

  async publishedHashes(path: string): Promise<PublishedHashes> {
    const out = await this.call('HeadObject', `s3://${this.bucket}/${this.key(path)}`, (c) =>
      c.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.key(path) })));
    const meta = out.Metadata ?? {};
    const hex = (v: string | undefined, len: number) => (v && new RegExp(`^[0-9a-f]{${len}}$`).test(v.toLowerCase()) ? v.toLowerCase() : undefined);
    return { sha256: hex(meta.sha256, 64), sha1: hex(meta.sha1, 40), md5: hex(meta.md5, 32) };
  }

  destroy(): void {
    this.client.destroy();
  }
}
