import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CompleteMultipartUploadCommand, CreateMultipartUploadCommand, S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import { FaultProxy, RedisServer, S3Server } from '@mirrorball/testing';
import { LocalDirectorySource, S3Source, SourceError } from '@mirrorball/source';
import { runIndex, type IndexOptions } from './run.ts';
import { dumpIndex } from './testkit.ts';

const BUCKET = 'dl.mirrorball.example';
const PREFIX = 'repo/';
const fast = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 };
const hashes = { sha1: true, sha256: true, md5: false };
const ODD = ['release/6.0/eos amd64.iso', 'release/6.0/c++.tar', 'release/6.0/100%.txt', 'release/ünïcødé/ファイル.img', 'a/b/c/d/e/deep.txt', '.hidden'];
const MULTI_KEY = 'release/6.1/big-multipart.img';

let s3: S3Server;
let proxy: FaultProxy;
let srv: RedisServer;
let redis: Redis;
const bodies = new Map<string, Buffer>();
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

function source(extra: Partial<ConstructorParameters<typeof S3Source>[0]> = {}): S3Source {
  return new S3Source({ endpoint: proxy.endpoint, bucket: BUCKET, prefix: PREFIX, region: 'us-east-1', retry: fast, ...extra });
}
const index = (extra: Partial<IndexOptions> = {}) =>
  runIndex({ redis, source: source(), hashes, progressEveryMs: 0, hashConcurrency: 4, hashRetry: fast, rangeHashes: { count: 4, size: 1024 }, ...extra });

async function put(key: string, body: Buffer | string, meta?: Record<string, string>) {
  const b = Buffer.from(body);
  bodies.set('/' + key, b);
  await s3.putObject(BUCKET, PREFIX + key, b, meta);
}

beforeAll(async () => {
  s3 = await S3Server.start();
  Object.assign(process.env, s3.sdkEnv());
  proxy = await FaultProxy.start({ host: s3.host, port: s3.port });
  srv = await RedisServer.start();
  redis = new Redis(srv.url);
  await s3.createBucket(BUCKET);
  const puts: Promise<void>[] = [];
  for (let i = 0; i < 1050; i++) puts.push(put(`pool/${i % 10}/pkg-${i}.deb`, `package ${i} `.repeat(1 + (i % 5))));
  await Promise.all(puts);
  for (const k of ODD) await put(k, `content of ${k}`);
  await s3.putObject(BUCKET, PREFIX + 'release/', ''); // directory placeholder
  await s3.putObject(BUCKET, 'outside-prefix.txt', 'not indexed');
  // A multipart object: ETag "<md5 of md5s>-2".
  const c = new S3Client({ endpoint: s3.endpoint, forcePathStyle: true, region: s3.region });
  const part1 = Buffer.alloc(5 * 1024 * 1024, 7);
  const part2 = Buffer.from('tail of the multipart object');
  const { UploadId } = await c.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: PREFIX + MULTI_KEY }));
  const p1 = await c.send(new UploadPartCommand({ Bucket: BUCKET, Key: PREFIX + MULTI_KEY, UploadId, PartNumber: 1, Body: part1 }));
  const p2 = await c.send(new UploadPartCommand({ Bucket: BUCKET, Key: PREFIX + MULTI_KEY, UploadId, PartNumber: 2, Body: part2 }));
  await c.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: PREFIX + MULTI_KEY, UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }] } }));
  c.destroy();
  bodies.set('/' + MULTI_KEY, Buffer.concat([part1, part2]));
}, 120_000);
afterAll(async () => {
  redis?.disconnect();
  await srv?.stop();
  await proxy?.stop();
  await s3?.stop();
});
beforeEach(() => proxy.reset());

describe('S3 bucket indexing', { timeout: 90_000 }, () => {
  it('indexes every object (pagination, odd keys, dotted bucket, prefix, multipart) with correct hashes', async () => {
    await redis.flushall();
    const r = await index();
    expect(r.files).toBe(bodies.size);
    expect(r.hashed).toBe(bodies.size);
    expect(proxy.count('ListObjectsV2')).toBe(2);
    expect(proxy.count('GetObject')).toBe(bodies.size); // one pass per object, range hashes included
    const files = await redis.smembers('FILES');
    expect(files.sort()).toEqual([...bodies.keys()].sort());
    for (const p of ['/' + ODD[0], '/' + ODD[3], '/' + MULTI_KEY]) {
      const rec = await redis.hgetall(`FILE_${p}`);
      expect(rec.size).toBe(String(bodies.get(p)!.length));
      expect(rec.sha256).toBe(sha256(bodies.get(p)!));
      expect(rec.sha1).toBe(createHash('sha1').update(bodies.get(p)!).digest('hex'));
      expect(rec.md5).toBe('');
      expect(rec.modTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? \+0000 UTC$/);
    }
    const entry = (await redis.hget('MIRRORBALL_INDEX_MANIFEST', `/${MULTI_KEY}`))!;
    expect(entry.split('\t')[0]).toMatch(/^[0-9a-f]{32}-2$/);
    const big = bodies.get('/' + MULTI_KEY)!;
    const rh = await redis.hgetall(`MIRRORBALL_RANGEHASH_/${MULTI_KEY}`);
    const last = big.length - 1024;
    expect(rh.ranges!.split(',')[3]).toBe(`${last}-${big.length - 1}`);
    expect(rh.sha256!.split(',')[3]).toBe(sha256(big.subarray(last)));
  });

  it('rehashes only new or changed objects, deletes removed ones, and a no-change rescan reads nothing', async () => {
    await redis.flushall();
    await index();
    proxy.reset();
    const same = await index();
    expect(same).toMatchObject({ hashed: 0, written: 0, removed: 0 });
    expect(proxy.count('GetObject')).toBe(0);
    expect(proxy.count('HeadObject')).toBe(0);

    await put('pool/3/pkg-3.deb', 'changed content, other size');
    await put('pool/4/pkg-4.deb', 'package 4 '.repeat(5).replace('4', 'X')); // same size, new bytes
    await put('release/7.0/new.iso', 'brand new');
    await s3.deleteObject(BUCKET, PREFIX + 'pool/5/pkg-5.deb');
    bodies.delete('/pool/5/pkg-5.deb');
    proxy.reset();
    const r = await index();
    expect(r).toMatchObject({ files: bodies.size, hashed: 3, removed: 1, written: 3 });
    expect(proxy.count('GetObject')).toBe(3);
    expect(await redis.hget('FILE_/pool/4/pkg-4.deb', 'sha256')).toBe(sha256(bodies.get('/pool/4/pkg-4.deb')!));
    expect(await redis.exists('FILE_/pool/5/pkg-5.deb', 'MIRRORBALL_RANGEHASH_/pool/5/pkg-5.deb')).toBe(0);
    expect(await redis.hexists('MIRRORBALL_INDEX_MANIFEST', '/pool/5/pkg-5.deb')).toBe(0);
    expect(await redis.sismember('FILES', '/release/7.0/new.iso')).toBe(1);
  });

  it('keeps the previous index through every fault, and the next run succeeds', async () => {
    await redis.flushall();
    await index();
    await put('pool/1/pkg-1.deb', 'a new version of package 1');
    const before = await dumpIndex(redis);
    const faults: [string, (op: string, nthOfOp: number) => ReturnType<FaultProxy['rule']>][] = [
      ['5xx on every listing', (op) => (op === 'ListObjectsV2' ? { kind: 'status', status: 500, code: 'InternalError' } : undefined)],
      ['throttling on every listing', (op) => (op === 'ListObjectsV2' ? { kind: 'status', status: 503, code: 'SlowDown' } : undefined)],
      ['connection reset mid-listing', (op, n) => (op === 'ListObjectsV2' && n >= 1 ? { kind: 'reset' } : undefined)],
      ['truncated body while hashing', (op) => (op === 'GetObject' ? { kind: 'truncate', afterBytes: 5 } : undefined)],
      ['access denied while hashing', (op) => (op === 'GetObject' ? { kind: 'status', status: 403, code: 'AccessDenied' } : undefined)],
    ];
    for (const [name, fault] of faults) {
      proxy.reset();
      const seen = new Map<string, number>();
      proxy.rule = (req) => {
        const n = seen.get(req.op) ?? 0;
        seen.set(req.op, n + 1);
        return fault(req.op, n);
      };
      const err = await index().catch((e) => e);
      expect(err, name).toBeInstanceOf(SourceError);
      expect(await dumpIndex(redis), name).toEqual(before);
      expect(await redis.exists('SOURCE_REPO_SYNC'), name).toBe(0);
    }
    // Transient faults: each hits once, is retried, and the run succeeds.
    proxy.reset();
    const once = new Set<string>();
    proxy.rule = (req) => {
      const first = (tag: string) => !once.has(tag) && once.add(tag);
      if (req.op === 'ListObjectsV2' && first('slow')) return { kind: 'status', status: 503, code: 'SlowDown' };
      if (req.op === 'ListObjectsV2' && first('500')) return { kind: 'status', status: 502, code: 'BadGateway' };
      if (req.op === 'ListObjectsV2' && first('reset')) return { kind: 'reset' };
      if (req.op === 'GetObject' && first('trunc')) return { kind: 'truncate', afterBytes: 3 };
      return undefined;
    };
    // Three consecutive listing faults on one page: allow them all to be retried.
    const r = await index({ source: source({ retry: { ...fast, attempts: 5 } }) });
    expect(once.size).toBe(4);
    expect(r.hashed).toBe(1);
    expect(await redis.hget('FILE_/pool/1/pkg-1.deb', 'sha256')).toBe(sha256('a new version of package 1'));
  });

  it('an aborted run (SIGTERM while hashing) writes nothing', async () => {
    await redis.flushall();
    await index();
    await put('pool/2/pkg-2.deb', 'package 2, second edition');
    await put('pool/6/pkg-6.deb', 'package 6, second edition');
    const before = await dumpIndex(redis);
    const abort = new AbortController();
    proxy.rule = (req) => {
      if (req.op === 'GetObject') abort.abort();
      return undefined;
    };
    const err = await index({ signal: abort.signal, hashConcurrency: 1 }).catch((e) => e);
    expect(err.message).toMatch(/aborted/);
    expect(await dumpIndex(redis)).toEqual(before);
    proxy.reset();
    expect((await index()).hashed).toBe(2);
  });

  it('uses a hash published in object metadata when trusted: no full read, only the range reads', async () => {
    await redis.flushall();
    await index();
    const body = Buffer.alloc(100_000, 3);
    await put('release/8.0/trusted.iso', body, { sha256: sha256(body) });
    await put('release/8.0/lying.iso', 'short', { sha256: 'f'.repeat(64) });
    proxy.reset();
    const r = await index({ hashes: { sha1: false, sha256: true, md5: false }, trustMetadataHash: true });
    expect(r.fromMetadata).toBe(2);
    expect(proxy.count('HeadObject')).toBe(2);
    expect(proxy.count('GetObject')).toBe(4 + 1); // 4 ranges of the large one, 1 (whole file) of the small one
    expect(await redis.hget('FILE_/release/8.0/trusted.iso', 'sha256')).toBe(sha256(body));
    // Trusted means trusted: the operator vouches for the metadata.
    expect(await redis.hget('FILE_/release/8.0/lying.iso', 'sha256')).toBe('f'.repeat(64));
    await s3.deleteObject(BUCKET, PREFIX + 'release/8.0/trusted.iso');
    await s3.deleteObject(BUCKET, PREFIX + 'release/8.0/lying.iso');
    bodies.delete('/release/8.0/trusted.iso');
    bodies.delete('/release/8.0/lying.iso');
  });

  it('writes the same FILE_<path> records as a local scan of the same tree', async () => {
    await redis.flushall();
    await index({ hashes: { sha1: true, sha256: true, md5: true } });
    const fromBucket = await dumpIndex(redis);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-cross-'));
    try {
      for (const p of await redis.smembers('FILES')) {
        const full = path.join(dir, p);
        fs.mkdirSync(path.dirname(full), { recursive: true });
        fs.writeFileSync(full, bodies.get(p)!);
        // S3 LastModified as the file's mtime, so both sources report the same time.
        const mod = (await redis.hget('MIRRORBALL_INDEX_MANIFEST', p))!.split('\t')[2]!;
        const ms = Date.parse(mod.replace(/ \+0000 UTC$/, 'Z').replace(' ', 'T'));
        fs.utimesSync(full, ms / 1000, ms / 1000);
      }
      await redis.flushall();
      await runIndex({ redis, source: new LocalDirectorySource(dir), hashes: { sha1: true, sha256: true, md5: true }, progressEveryMs: 0, rangeHashes: { count: 4, size: 1024 } });
      const fromDir = await dumpIndex(redis);
      // The manifest differs by design (it carries S3 ETags); everything else must be identical.
      const strip = (d: Record<string, unknown>) => Object.fromEntries(Object.entries(d).filter(([k]) => k !== 'MIRRORBALL_INDEX_MANIFEST'));
      expect(Object.keys(fromDir).length).toBeGreaterThan(bodies.size * 2);
      expect(strip(fromDir)).toEqual(strip(fromBucket));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
