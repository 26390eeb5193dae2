/**
 * bench/index: the S3 index at scale, against fauxqs in its own process.
 *  - full index of N objects (BENCH_INDEX_OBJECTS, default 100 000), creation timed separately
 *  - no-change rescan vs the bare listing (ListObjectsV2 pages only) in the same run
 *    (targets: 0 GetObject calls, ≤ 1.5 × listing)
 *  - hashing throughput of one large object (BENCH_INDEX_LARGE_MIB, default 512) streamed from
 *    the server vs `sha256sum` of the same bytes on local disk (target ≥ 0.5×)
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CompleteMultipartUploadCommand, CreateMultipartUploadCommand, S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import { Redis } from 'ioredis';
import { hashStream, runIndex, computeRangeSpec, DEFAULT_RANGE_HASHES } from '@mirrorball/indexer';
import { S3Source } from '@mirrorball/source';
import { RedisServer, S3Server } from '@mirrorball/testing';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

if (process.argv[2] === '--serve-s3') {
  // Child mode: the S3 server in its own process, so serving and hashing do not share one thread.
  const s3 = await S3Server.start();
  process.stdout.write(`${s3.port}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void s3.stop().then(() => process.exit(0)));
} else {
  await bench();
}

async function bench(): Promise<void> {
  const N = Number(process.env.BENCH_INDEX_OBJECTS ?? 100_000);
  const LARGE_MIB = Number(process.env.BENCH_INDEX_LARGE_MIB ?? 512);
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve-s3'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = Number(await new Promise<string>((r) => readline.createInterface({ input: child.stdout! }).once('line', r)));
  const endpoint = `http://127.0.0.1:${port}`;
  const env = { AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_REGION: 'us-east-1' };
  Object.assign(process.env, env);
  const redisSrv = await RedisServer.start();
  const redis = new Redis(redisSrv.url);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-bench-index-'));
  const bucket = 'bench.mirrorball';
  const report: string[] = [];
  const out = (s: string) => {
    report.push(s);
    console.log(s);
  };
  try {
    await fetch(`${endpoint}/${bucket}`, { method: 'PUT' });
    // Create N small objects (not part of any measurement).
    let t = performance.now();
    let next = 0;
    const put = async () => {
      while (next < N) {
        const i = next++;
        const key = `pool/${i % 100}/${Math.floor(i / 100) % 100}/pkg-${i}.deb`;
        const res = await fetch(`${endpoint}/${bucket}/${key}`, { method: 'PUT', body: `object ${i}\n` });
        if (!res.ok) throw new Error(`PUT ${key}: ${res.status}`);
        await res.arrayBuffer();
      }
    };
    await Promise.all(Array.from({ length: 32 }, put));
    out(`created ${N} objects in ${((performance.now() - t) / 1000).toFixed(1)} s (not measured below)`);

    const counts = new Map<string, number>();
    const source = (listConcurrency = 1) =>
      new S3Source({ endpoint, bucket, region: 'us-east-1', listConcurrency, onRequest: (op) => counts.set(op, (counts.get(op) ?? 0) + 1) });
    const hashes = { sha1: false, sha256: true, md5: false };

    counts.clear();
    t = performance.now();
    const full = await runIndex({ redis, source: source(), hashes, hashConcurrency: Number(process.env.BENCH_INDEX_HASH_CONCURRENCY ?? 8), progressEveryMs: 0 });
    const fullMs = performance.now() - t;
    out(`full index: ${full.files} files in ${(fullMs / 1000).toFixed(1)} s (${Math.round(full.files / (fullMs / 1000))} objects/s; GetObject ${counts.get('GetObject') ?? 0}, ListObjectsV2 ${counts.get('ListObjectsV2') ?? 0})`);

    // Bare listing and no-change rescan, alternated, best of 3 each.
    let listMs = Infinity;
    let rescanMs = Infinity;
    let rescanGets = 0;
    for (let round = 0; round < 3; round++) {
      t = performance.now();
      let n = 0;
      for await (const _ of source().list()) n++;
      listMs = Math.min(listMs, performance.now() - t);
      if (n !== N) throw new Error(`listing returned ${n} objects, expected ${N}`);
      counts.clear();
      t = performance.now();
      const r = await runIndex({ redis, source: source(), hashes, progressEveryMs: 0 });
      rescanMs = Math.min(rescanMs, performance.now() - t);
      rescanGets = Math.max(rescanGets, counts.get('GetObject') ?? 0);
      if (r.hashed !== 0 || r.written !== 0) throw new Error(`no-change rescan hashed ${r.hashed}, wrote ${r.written}`);
    }
    out(`bare listing: ${(listMs / 1000).toFixed(2)} s; no-change rescan: ${(rescanMs / 1000).toFixed(2)} s = ${(rescanMs / listMs).toFixed(2)}x listing (target <= 1.5x); GetObject calls ${rescanGets} (target 0)`);

    // One large object: streamed hash (sha256 + range hashes, one pass) vs sha256sum on local disk.
    const large = Buffer.alloc(LARGE_MIB * 1024 * 1024);
    for (let off = 0; off < large.length; off += 1 << 20) randomBytes(1 << 20).copy(large, off);
    const localFile = path.join(tmp, 'large.bin');
    fs.writeFileSync(localFile, large);
    // The server caps single PUT bodies: upload in 8 MiB parts (a multipart object, as real images are).
    const c = new S3Client({ endpoint, forcePathStyle: true, region: 'us-east-1' });
    const Key = 'large/image.iso';
    const { UploadId } = await c.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key }));
    const parts: { PartNumber: number; ETag?: string }[] = [];
    for (let off = 0, n = 1; off < large.length; off += 8 << 20, n++) {
      const p = await c.send(new UploadPartCommand({ Bucket: bucket, Key, UploadId, PartNumber: n, Body: large.subarray(off, off + (8 << 20)) }));
      parts.push({ PartNumber: n, ETag: p.ETag });
    }
    await c.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key, UploadId, MultipartUpload: { Parts: parts } }));
    c.destroy();
    t = performance.now();
    const sum = spawnSync('sha256sum', [localFile], { encoding: 'utf8' });
    const sumMs = performance.now() - t;
    const s = source();
    t = performance.now();
    const d = await hashStream(await s.open('/large/image.iso'), hashes, computeRangeSpec(large.length, DEFAULT_RANGE_HASHES), large.length);
    const streamMs = performance.now() - t;
    if (d.sha256 !== sum.stdout.split(' ')[0]) throw new Error('large object digest differs from sha256sum');
    const mib = large.length / 1048576;
    out(`large object ${LARGE_MIB} MiB: streamed from S3 ${(mib / (streamMs / 1000)).toFixed(0)} MiB/s, sha256sum on local disk ${(mib / (sumMs / 1000)).toFixed(0)} MiB/s = ${(sumMs / streamMs).toFixed(2)}x (target >= 0.5x)`);
    fs.mkdirSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'results'), { recursive: true });
    fs.writeFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'results', 'index.txt'), report.join('\n') + '\n');
  } finally {
    redis.disconnect();
    await redisSrv.stop();
    child.stdin!.end();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
