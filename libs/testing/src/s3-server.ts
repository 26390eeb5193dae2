import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildApp } from 'fauxqs';

interface StoredObject { key: string; lastModified: Date; etag: string; contentLength: number }
interface S3StoreLike {
  buckets: Map<string, Map<string, StoredObject>>;
  createBucket(name: string): void;
  putObject(bucket: string, key: string, body: Buffer, contentType?: string, metadata?: Record<string, string>): StoredObject;
  deleteObject(bucket: string, key: string): void;
  listObjects(bucket: string, options?: ListOptions): { objects: StoredObject[]; commonPrefixes: string[]; isTruncated: boolean };
}
interface ListOptions { prefix?: string; delimiter?: string; maxKeys?: number; startAfter?: string; marker?: string }

let patched: Promise<void> | undefined;

/**
 * fauxqs 1.9.2 sorts keys with localeCompare but skips pages with `<=` (code-unit order), so a
 * listing over mixed keys (spaces, `+`, capitals, non-ASCII) can drop or repeat keys at page
 * boundaries, and it re-sorts the whole bucket for every page. Real S3 lists in one binary order.
 * This replaces its listObjects with a code-unit-ordered one over a cached sorted key list.
 */
async function patchFauxqsListing(): Promise<void> {
  // fauxqs exports only its entry point (import condition): locate the package directory by hand.
  const dirs = createRequire(import.meta.url).resolve.paths('fauxqs') ?? [];
  const pkgDir = dirs.map((d) => path.join(d, 'fauxqs')).find((d) => fs.existsSync(path.join(d, 'dist', 's3', 's3Store.js')));
  if (!pkgDir) throw new Error('fauxqs is not installed (npm install in the repository root)');
  const mod = (await import(pathToFileURL(path.join(pkgDir, 'dist', 's3', 's3Store.js')).href)) as {
    S3Store: { prototype: S3StoreLike };
  };
  const proto = mod.S3Store.prototype as S3StoreLike & Record<string, unknown>;
  let version = 0;
  const cache = new WeakMap<Map<string, StoredObject>, { version: number; keys: string[] }>();
  for (const m of ['createBucket', 'deleteBucket', 'putObject', 'deleteObject', 'deleteObjects', 'completeMultipartUpload', 'emptyBucket', 'clearObjects', 'purgeAll']) {
    const orig = proto[m] as ((...a: unknown[]) => unknown) | undefined;
    if (typeof orig !== 'function') continue;
    proto[m] = function (this: unknown, ...args: unknown[]) {
      version++;
      return orig.apply(this, args);
    };
  }
  const origList = proto.listObjects;
  proto.listObjects = function (this: S3StoreLike, bucket: string, options: ListOptions = {}) {
    const map = this.buckets.get(bucket);
    if (!map) return origList.call(this, bucket, options); // raises NoSuchBucket as fauxqs does
    let entry = cache.get(map);
    if (!entry || entry.version !== version) {
      entry = { version, keys: [...map.keys()].sort() };
      cache.set(map, entry);
    }
    const keys = entry.keys;
    const prefix = options.prefix ?? '';
    const after = options.startAfter ?? options.marker ?? '';
    const maxKeys = options.maxKeys ?? 1000;
    const from = after > prefix ? after : prefix;
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keys[mid]! < from) lo = mid + 1;
      else hi = mid;
    }
    const objects: StoredObject[] = [];
    const prefixes = new Set<string>();
    let isTruncated = false;
    for (let i = lo; i < keys.length; i++) {
      const key = keys[i]!;
      if (!key.startsWith(prefix)) break;
      if (after && key <= after) continue;
      if (options.delimiter) {
        const at = key.indexOf(options.delimiter, prefix.length);
        if (at >= 0) {
          const cp = key.slice(0, at + options.delimiter.length);
          if ((after && cp <= after) || prefixes.has(cp)) continue;
          if (objects.length + prefixes.size >= maxKeys) { isTruncated = true; break; }
          prefixes.add(cp);
          continue;
        }
      }
      if (objects.length + prefixes.size >= maxKeys) { isTruncated = true; break; }
      objects.push(map.get(key)!);
    }
    return { objects, commonPrefixes: [...prefixes].sort(), isTruncated };
  };
}

/**
 * A private S3-compatible server (fauxqs 1.9.2) on 127.0.0.1 and a free port. Its CLI and
 * startFauxqs() bind 0.0.0.0, so the app is built and bound here explicitly.
 * SigV4 is not verified: any credentials work (accessKeyId/secretAccessKey are what tests pass).
 */
export class S3Server {
  readonly host = '127.0.0.1';
  readonly accessKeyId = 'mirrorball-test';
  readonly secretAccessKey = 'mirrorball-test-secret';
  readonly region = 'us-east-1';
  private constructor(
    private readonly app: ReturnType<typeof buildApp>,
    readonly port: number,
  ) {}

  get endpoint(): string {
    return `http://${this.host}:${this.port}`;
  }

  static async start(): Promise<S3Server> {
    patched ??= patchFauxqsListing();
    await patched;
    const app = buildApp({ logger: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as AddressInfo).port;
    return new S3Server(app, port);
  }

  /** Environment for the AWS SDK's default credential chain pointing at this server. */
  sdkEnv(): Record<string, string> {
    return {
      AWS_ACCESS_KEY_ID: this.accessKeyId,
      AWS_SECRET_ACCESS_KEY: this.secretAccessKey,
      AWS_REGION: this.region,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
  }

  /** Create a bucket over HTTP (path-style). */
  async createBucket(bucket: string): Promise<void> {
    const res = await fetch(`${this.endpoint}/${encodeURIComponent(bucket)}`, { method: 'PUT' });
    if (!res.ok) throw new Error(`create bucket ${bucket}: HTTP ${res.status} ${await res.text()}`);
  }

  /** Upload one object over HTTP (single PUT; ETag = MD5). Metadata keys without the x-amz-meta- prefix. */
  async putObject(bucket: string, key: string, body: Buffer | string, metadata: Record<string, string> = {}): Promise<void> {
    const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
    for (const [k, v] of Object.entries(metadata)) headers[`x-amz-meta-${k}`] = v;
    const url = `${this.endpoint}/${encodeURIComponent(bucket)}/${encodeS3Key(key)}`;
    const res = await fetch(url, { method: 'PUT', body: typeof body === 'string' ? body : new Uint8Array(body), headers });
    if (!res.ok) throw new Error(`put ${key}: HTTP ${res.status} ${await res.text()}`);
  }

  async deleteObject(bucket: string, key: string): Promise<void> {
    const res = await fetch(`${this.endpoint}/${encodeURIComponent(bucket)}/${encodeS3Key(key)}`, { method: 'DELETE' });
    if (!res.ok) throw new Error(`delete ${key}: HTTP ${res.status}`);
  }

  async stop(): Promise<void> {
    await this.app.close();
  }
}

/** Percent-encode a key for a path-style URL, keeping `/` separators. */
export function encodeS3Key(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}
