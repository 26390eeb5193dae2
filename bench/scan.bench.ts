/**
 * bench/scan: list a 100 000-file rsync module (BENCH_SCAN_FILES) and index it into a real
 * redis-server with scanMirror, against the bare `rsync --list-only` of the same module with the
 * same arguments measured in the same run. Target: full scan ≤ 2 × the bare listing.
 * Also reports a no-change rescan and the Redis memory used per mirror file (INFO memory delta).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { emptyMirror } from '@mirrorball/model';
import { encodeMirror } from '@mirrorball/redis';
import { rsyncCommand, scanMirror } from '@mirrorball/mirror-scan';
import { RedisServer, RsyncDaemon } from '@mirrorball/testing';

const N = Number(process.env.BENCH_SCAN_FILES ?? 100_000);
const PER_DIR = 1000;

function makeTree(root: string): void {
  const when = new Date('2025-06-01T06:00:00Z');
  for (let d = 0; d < Math.ceil(N / PER_DIR); d++) {
    const dir = path.join(root, 'pool', `d${String(d).padStart(4, '0')}`);
    fs.mkdirSync(dir, { recursive: true });
    for (let i = 0; i < PER_DIR && d * PER_DIR + i < N; i++) {
      const f = path.join(dir, `package-${d}-${i}_1.0-1_amd64.deb`);
      fs.writeFileSync(f, String(i));
      fs.utimesSync(f, when, when);
    }
  }
}

/** The bare listing: same program, arguments and environment as the scanner, stdout drained. */
async function bareListing(url: string): Promise<{ ms: number; lines: number }> {
  const cmd = rsyncCommand(url);
  const t0 = performance.now();
  const child = spawn('/usr/bin/rsync', cmd.args, { env: cmd.env, stdio: ['ignore', 'pipe', 'inherit'] });
  let lines = 0;
  child.stdout.on('data', (b: Buffer) => {
    for (let i = 0; i < b.length; i++) if (b[i] === 10) lines++;
  });
  const code = await new Promise<number | null>((r) => child.once('close', r));
  if (code !== 0) throw new Error(`rsync exited ${code}`);
  return { ms: performance.now() - t0, lines };
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)![1]);
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-bench-scan-'));
let daemon: RsyncDaemon | undefined;
let redisServer: RedisServer | undefined;
try {
  const t = performance.now();
  makeTree(root);
  console.log(`tree: ${N} files created in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  daemon = await RsyncDaemon.start({ modules: { bench: root } });
  redisServer = await RedisServer.start();
  const redis = new Redis(redisServer.port, '127.0.0.1');
  const url = daemon.url('bench');

  await bareListing(url); // warm the page cache and the daemon

  // The machine is shared: alternate bare listings and full scans and keep the best of each.
  const mirror = { ...emptyMirror(1), name: 'bench', rsyncURL: url, httpURL: 'http://127.0.0.1:1/' };
  const ROUNDS = Number(process.env.BENCH_SCAN_ROUNDS ?? 3);
  let bare = { ms: Infinity, lines: 0 };
  let firstMs = Infinity;
  let first: Awaited<ReturnType<typeof scanMirror>> | undefined;
  let mem0 = 0;
  let mem1 = 0;
  await redis.config('SET', 'slowlog-log-slower-than', '10000'); // record every command > 10 ms
  for (let round = 0; round < ROUNDS; round++) {
    const b = await bareListing(url);
    if (b.ms < bare.ms) bare = b;
    await redis.flushall();
    await redis.hset('MIRROR_1', ...encodeMirror(mirror));
    await redis.hset('MIRRORS', '1', 'bench');
    const m0 = await usedMemory(redis);
    const t0 = performance.now();
    const r = await scanMirror(redis, mirror);
    const ms = performance.now() - t0;
    const m1 = await usedMemory(redis);
    if (ms < firstMs) [firstMs, first, mem0, mem1] = [ms, r, m0, m1];
  }
  if (!first) throw new Error('no scan ran');
  let againMs = Infinity;
  let again = first;
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = performance.now();
    again = await scanMirror(redis, mirror);
    againMs = Math.min(againMs, performance.now() - t0);
  }

  // The longest single command: how long the atomic apply blocks other Redis clients.
  const slow = (await redis.call('SLOWLOG', 'GET', '1000')) as Array<[number, number, number, string[]]>;
  const label = (args: string[]) => {
    const body = String(args[1] ?? '');
    if (args[0]?.toUpperCase() !== 'EVAL') return args[0] ?? '?';
    return body.includes('SUNIONSTORE') ? 'apply script' : body.includes('HMGET') ? 'snapshot script' : 'staging script';
  };
  const longest = slow.reduce((m, e) => (e[2] > m.us ? { us: e[2], cmd: label(e[3]) } : m), { us: 0, cmd: '' });
  const ratio = firstMs / bare.ms;
  console.log(`best of ${ROUNDS} rounds; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`bare rsync --list-only: ${bare.ms.toFixed(0)} ms (${bare.lines} lines)`);
  console.log(`full scan (cold Redis): ${firstMs.toFixed(0)} ms, ${first.filesIndexed} files indexed, ${first.changed} records written (listing+staging ${first.timings.listMs} ms, apply ${first.timings.applyMs} ms)`);
  console.log(`rescan (no change):     ${againMs.toFixed(0)} ms, ${again.changed} records written, ratio ${(againMs / bare.ms).toFixed(2)}x`);
  console.log(`ratio full scan / bare listing: ${ratio.toFixed(2)}x (target <= 2x) ${ratio <= 2 ? 'OK' : 'MISSED'}`);
  console.log(`longest Redis command (blocks other clients): ${(longest.us / 1000).toFixed(0)} ms (${longest.cmd})`);
  console.log(`Redis memory: ${((mem1 - mem0) / 1048576).toFixed(1)} MiB for ${first.filesIndexed} files = ${((mem1 - mem0) / first.filesIndexed).toFixed(0)} bytes/file`);
  redis.disconnect();
  if (first.filesIndexed !== N) throw new Error(`expected ${N} files, indexed ${first.filesIndexed}`);
} finally {
  await daemon?.stop();
  await redisServer?.stop();
  fs.rmSync(root, { recursive: true, force: true });
}
