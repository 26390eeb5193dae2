/**
 * Warm-redirect throughput (task E1): in one run, measure
 *   (a) a bare Hono server answering `c.redirect(url)` (baseline),
 *   (b) Mirrorball redirecting one warm file for thousands of distinct client IPs
 *       (X-Forwarded-For from a trusted peer, embedded DB-IP geolocation), served as in
 *       production: the Hono app on @hono/node-server (createPublicServer),
 *   (b') the same handler on a bare node:http listener (createPlainServer), which shows what
 *       the framework costs,
 *   (c) Redis commands per warm redirect (INFO commandstats delta; the periodic stats flush is
 *       reported separately).
 * Each server runs in its own child process pinned to CPU 0; wrk runs pinned to CPU 1.
 * Target: (b) ≥ 0.6 × (a) requests/s, (c) = 0.
 */
import '@mirrorball/runtime/prelude'; // as in apps/api/src/main.ts: every server child (bare Hono too) runs this module
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';

const here = path.dirname(fileURLToPath(import.meta.url));
const FILE = '/pool/main/h/hello/hello_2.10-3_amd64.deb';
const DISTINCT_IPS = 5000;
const DURATION = process.env.BENCH_DURATION ?? '8s';
const CONNECTIONS = process.env.BENCH_CONNECTIONS ?? '32';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

// ---------------------------------------------------------------- child: the servers
async function serveBare(): Promise<number> {
  const { Hono } = await import('hono');
  const { serve } = await import('@hono/node-server');
  const app = new Hono();
  app.get('*', (c) => c.redirect(`http://127.0.0.1/m1${FILE}`, 302));
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((r) => (server.listening ? r() : server.once('listening', () => r())));
  return (server.address() as AddressInfo).port;
}

async function serveMirrorball(redisPort: number, plain: boolean): Promise<number> {
  const { Redis } = await import('ioredis');
  const { defaultConfig } = await import('@mirrorball/config');
  const { attachInvalidation, Catalog, DirectoryIndex } = await import('@mirrorball/catalog');
  const { DownloadCounter, RangeDedup } = await import('@mirrorball/downloads');
  const { GeoIP } = await import('@mirrorball/geo');
  const { apiContext } = await import('../apps/api/src/deps.ts');
  const { createPlainServer, createPublicServer } = await import('../apps/api/src/server.ts');
  const redis = new Redis(redisPort, '127.0.0.1', { maxRetriesPerRequest: 1 });
  const sub = new Redis(redisPort, '127.0.0.1');
  const config = { ...defaultConfig(), MaxLinkHeaders: 10 };
  const catalog = new Catalog(redis);
  const dirs = new DirectoryIndex(redis);
  await dirs.load();
  await attachInvalidation(sub, catalog, dirs).ready;
  // No MaxMind files there: the embedded DB-IP data geolocates real-world addresses.
  const geo = await GeoIP.open({ path: path.join(os.tmpdir(), 'mb-bench-no-geoip') });
  const counter = new DownloadCounter(redis);
  counter.start();
  const dedup = new RangeDedup(redis, { intervalSec: config.SameDownloadInterval });
  const ctx = apiContext({ config, redis, catalog, dirs, geo, counter, dedup, version: 'bench', hostname: 'bench' });
  // Metrics as in production (duration histogram per request, tallies synced every second).
  const { createMetricsRegistry } = await import('@mirrorball/metrics');
  const { syncMetrics } = await import('../apps/api/src/metrics.ts');
  syncMetrics(ctx, createMetricsRegistry('api'), { geoInfo: () => geo.info() });
  // (b) The server main.ts serves the public port with; (b') the bare node:http listener.
  const server = plain ? createPlainServer(ctx) : createPublicServer(ctx);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return (server.address() as AddressInfo).port;
}


// ---------------------------------------------------------------- parent: orchestration
interface Load { rps: number; p50ms: number; p99ms: number; requests: number; non3xx: number; errors: number; cpuUs: number }

function pinned(cpu: number, cmd: string, args: string[]): [string, string[]] {
  const hasTaskset = spawnSync('sh', ['-c', 'command -v taskset'], { encoding: 'utf8' }).status === 0;
  return hasTaskset && os.cpus().length > 1 ? ['taskset', ['-c', String(cpu), cmd, ...args]] : [cmd, args];
}

async function startServer(args: string[]): Promise<{ child: ChildProcess; port: number }> {
  const [cmd, argv] = pinned(0, process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), 'serve', ...args]);
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code})`)));
  });
  return { child, port };
}

function cpuMicros(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once('message', (u: NodeJS.CpuUsage) => resolve(u.user + u.system));
    child.send('cpu');
  });
}

/** One wrk run plus the server's CPU time per answered request. */
async function measure(child: ChildProcess, port: number, script: string): Promise<Load> {
  const c0 = await cpuMicros(child);
  const l = wrkAsync(port, script);
  const load = await l;
  const c1 = await cpuMicros(child);
  load.cpuUs = (c1 - c0) / Math.max(load.requests, 1);
  return load;
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((r) => {
    if (child.exitCode !== null || child.signalCode !== null) return r();
    child.once('exit', () => r());
    child.kill('SIGKILL');
  });
}

const LUA = `
local n = 0
local distinct = ${DISTINCT_IPS}
request = function()
  n = n + 1
  local k = n % distinct
  -- Public unicast addresses spread over the whole space (first octet 1..223, skipping 10 and 127).
  local a = 1 + (k * 7919) % 222
  if a == 10 or a == 127 then a = a + 1 end
  local ip = string.format("%d.%d.%d.%d", a, (k * 104729) % 256, (k * 31) % 256, 1 + k % 250)
  return wrk.format("GET", "${FILE}", { ["X-Forwarded-For"] = ip .. ", 10.0.0.1" })
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %f %f %f %d %d\\n", summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
`;

function parseWrk(stdout: string, stderr: string): Load {
  const m = /RESULT (\d+) ([\d.]+) ([\d.]+) ([\d.]+) (\d+) (\d+)/.exec(stdout);
  if (!m) throw new Error(`wrk failed: ${stdout}\n${stderr}`);
  const requests = Number(m[1]);
  return { requests, rps: requests / Number(m[2]), p50ms: Number(m[3]), p99ms: Number(m[4]), non3xx: Number(m[5]), errors: Number(m[6]), cpuUs: 0 };
}

function wrk(port: number, script: string, duration = DURATION): Load {
  const [cmd, args] = pinned(1, 'wrk', ['-t1', `-c${CONNECTIONS}`, `-d${duration}`, '-s', script, `http://127.0.0.1:${port}${FILE}`]);
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return parseWrk(r.stdout, r.stderr);
}

function wrkAsync(port: number, script: string, duration = DURATION): Promise<Load> {
  const [cmd, args] = pinned(1, 'wrk', ['-t1', `-c${CONNECTIONS}`, `-d${duration}`, '-s', script, `http://127.0.0.1:${port}${FILE}`]);
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args);
    let out = '';
    let err = '';
    c.stdout.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (err += d));
    c.on('close', () => {
      try {
        resolve(parseWrk(out, err));
      } catch (e) {
        reject(e);
      }
    });
  });
}

async function commandStats(port: number): Promise<Map<string, number>> {
  const { Redis } = await import('ioredis');
  const r = new Redis(port, '127.0.0.1');
  const text = await r.info('commandstats');
  r.disconnect();
  const out = new Map<string, number>();
  for (const m of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) out.set(m[1]!, Number(m[2]));
  return out;
}

async function main(): Promise<void> {
  if (spawnSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' }).status !== 0) {
    console.log('wrk not installed: skipping redirect benchmark');
    return;
  }
  const { RedisServer, loadRedisDump, parseRedisDump } = await import('@mirrorball/testing');
  const { Redis } = await import('ioredis');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-bench-'));
  const script = path.join(dir, 'xff.lua');
  fs.writeFileSync(script, LUA);
  const srv = await RedisServer.start();
  const children: ChildProcess[] = [];
  try {
    const redis = new Redis(srv.port, '127.0.0.1');
    const dump = parseRedisDump(fs.readFileSync(path.join(here, '../apps/api/testdata/10-redis-dump.txt'), 'utf8'));
    await loadRedisDump((a) => redis.call(a[0]!, ...a.slice(1)), dump);
    redis.disconnect();

    // Both servers stay up; rounds alternate a, b, a, b… so background load on this shared
    // machine hits both alike; each side reports its best round.
    const bare = await startServer(['bare']);
    children.push(bare.child);
    const mb = await startServer(['mirrorball', String(srv.port)]);
    children.push(mb.child);
    const mh = await startServer(['mirrorball-plain', String(srv.port)]);
    children.push(mh.child);
    wrk(bare.port, script, '2s'); // warm-up (JIT)
    wrk(mb.port, script, '3s'); // warm-up: caches, GeoIP LRU, JIT
    wrk(mh.port, script, '3s');
    await new Promise((r) => setTimeout(r, 700)); // let the warm-up's stats flush land
    const best = (x: Load | null, y: Load) => (x && x.rps >= y.rps ? x : y);
    const cpuA: number[] = [];
    const cpuB: number[] = [];
    const cpuH: number[] = [];
    let a: Load | null = null;
    let b: Load | null = null;
    let h: Load | null = null;
    const before = await commandStats(srv.port);
    let bRequests = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const la = await measure(bare.child, bare.port, script);
      cpuA.push(la.cpuUs);
      a = best(a, la);
      const lb = await measure(mb.child, mb.port, script);
      cpuB.push(lb.cpuUs);
      bRequests += lb.requests;
      b = best(b, lb);
      const lh = await measure(mh.child, mh.port, script);
      cpuH.push(lh.cpuUs);
      bRequests += lh.requests;
      h = best(h, lh);
    }
    await new Promise((r) => setTimeout(r, 700)); // the last flush
    const after = await commandStats(srv.port);
    await stop(bare.child);
    await stop(mb.child);
    await stop(mh.child);
    a = a!;
    b = b!;
    h = h!;

    const FLUSH = new Set(['multi', 'exec', 'hincrby', 'incrby', 'expireat']);
    // The measuring connection's own commands.
    const IGNORE = new Set(['info', 'hello', 'client', 'select', 'ping']);
    let warmCmds = 0;
    let flushCmds = 0;
    const detail: string[] = [];
    for (const [cmd, n] of after) {
      const d = n - (before.get(cmd) ?? 0);
      if (d <= 0 || IGNORE.has(cmd)) continue;
      if (FLUSH.has(cmd)) flushCmds += d;
      else warmCmds += d;
      detail.push(`${cmd}=${d}`);
    }
    const execs = (after.get('exec') ?? 0) - (before.get('exec') ?? 0);

    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1]!;
    const ua = median(cpuA);
    const ub = median(cpuB);
    const uh = median(cpuH);
    const row = (name: string, l: Load, ratio: string, cpu: number, cpuRatio: string) =>
      `| ${name.padEnd(46)} | ${l.rps.toFixed(0).padStart(8)} | ${l.p50ms.toFixed(2).padStart(7)} | ${l.p99ms.toFixed(2).padStart(7)} | ${ratio.padStart(6)} | ${cpu.toFixed(1).padStart(9)} | ${cpuRatio.padStart(9)} |`;
    console.log(`wrk -t1 -c${CONNECTIONS} -d${DURATION}, best of ${ROUNDS} alternating rounds, ${DISTINCT_IPS} distinct client IPs via X-Forwarded-For; server on CPU 0, wrk on CPU 1`);
    console.log('| server                                         |    req/s | p50 ms  | p99 ms  | ratio  | CPU µs/req | CPU ratio |');
    console.log('|------------------------------------------------|----------|---------|---------|--------|-----------|-----------|');
    console.log(row('(a) bare Hono c.redirect()', a, '1.00', ua, '1.00'));
    console.log(row('(b) Mirrorball warm redirect (Hono, as deployed)', b, (b.rps / a.rps).toFixed(2), ub, (ua / ub).toFixed(2)));
    console.log(row("(b') the same handler on bare node:http", h, (h.rps / a.rps).toFixed(2), uh, (ua / uh).toFixed(2)));
    console.log('    CPU ratio = (a) CPU per request / (b) CPU per request (median of rounds): the req/s ratio on a dedicated core,');
    console.log('    robust to other load on this shared machine; req/s are the best round of each.');
    console.log(`(c) Redis commands per warm redirect (b and b'): ${(warmCmds / bRequests).toFixed(4)} (${warmCmds} over ${bRequests} requests)`);
    console.log(`    stats flush: ${execs} MULTI/EXEC, ${flushCmds} commands in total (${(flushCmds / Math.max(execs, 1)).toFixed(1)} per flush); commandstats delta: ${detail.join(' ') || 'none'}`);
    if (a.non3xx || b.non3xx || h.non3xx || a.errors || b.errors || h.errors) console.log(`    non-3xx: a=${a.non3xx} b=${b.non3xx} b'=${h.non3xx}; socket errors: a=${a.errors} b=${b.errors} b'=${h.errors}`);
    const ok = b.rps >= 0.6 * a.rps && warmCmds === 0;
    const okCpu = ua / ub >= 0.6 && warmCmds === 0;
    console.log(`target (b) ≥ 0.6 × (a) and (c) = 0: req/s ${ok ? 'met' : 'NOT met'}, CPU per request ${okCpu ? 'met' : 'NOT met'}`);
  } finally {
    for (const c of children) await stop(c);
    await srv.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  process.exit(0);
}

// Dispatch last: everything above is initialised by now.
if (process.argv[2] === 'serve') {
  const port = process.argv[3] === 'bare' ? await serveBare() : await serveMirrorball(Number(process.argv[4]), process.argv[3] === 'mirrorball-plain');
  process.stdout.write(`PORT ${port}\n`);
  // Stay alive until the parent kills us (SIGTERM exits cleanly so --cpu-prof can write its profile).
  process.on('SIGTERM', () => process.exit(0));
  // CPU time used so far, for the parent's per-request figures (robust to a busy machine).
  process.on('message', () => process.send!(process.cpuUsage()));
  setInterval(() => undefined, 1 << 30);
} else {
  await main();
}
