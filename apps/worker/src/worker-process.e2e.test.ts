/**
 * The worker as a real process (`tsx apps/worker/src/main.ts`): ops endpoints, SIGKILL in the
 * middle of a scan (the previous file set stays; another worker process finishes the job) and
 * a graceful SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, HttpMirror, RedisServer } from '@mirrorball/testing';
import { JobClient, type ScanJobResult } from '@mirrorball/jobs';
import { Redis } from 'ioredis';
import { makeMirror, testConnection, waitFor } from '../../../libs/jobs/src/worker/testkit.ts';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');

interface WorkerProc {
  child: ChildProcess;
  port: number;
  stderr: () => string;
  exited: Promise<number | null>;
}

async function startWorker(configFile: string): Promise<WorkerProc> {
  const port = await freePort();
  let err = '';
  // `node --import tsx` is what the tsx CLI runs, minus its wrapper process: signals reach the worker itself.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'apps/worker/src/main.ts'), '--config', configFile], {
    cwd: ROOT,
    env: {
      ...process.env, MIRRORBALL_WORKER_LISTEN_ADDRESS: `127.0.0.1:${port}`,
      // A dead worker's job is handed over after 2 s instead of 30 s.
      WORKER_LOCK_DURATION_MS: '2000', WORKER_STALLED_INTERVAL_MS: '1000', WORKER_SHUTDOWN_DEADLINE_MS: '5000',
      WORKER_QUEUE_METRICS_INTERVAL_MS: '500', WORKER_SCHEMA_RECHECK_MS: '300',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const w = { child, port, stderr: () => err, exited };
  await waitFor(async () => (await get(w, '/readyz').catch(() => ({ status: 0 }))).status === 200, 30_000, `worker ready (${err})`);
  return w;
}

async function get(w: WorkerProc, p: string): Promise<{ status: number; body: string }> {
  const r = await fetch(`http://127.0.0.1:${w.port}${p}`);
  return { status: r.status, body: await r.text() };
}

describe('worker process', () => {
  let server: RedisServer;
  let redis: Redis;
  let jobs: JobClient;
  let dir: string;
  let mirrorDir: string;
  let http: HttpMirror;
  let configFile: string;
  const procs: WorkerProc[] = [];

  beforeAll(async () => {
    server = await RedisServer.start();
    redis = new Redis(server.port, '127.0.0.1');
    jobs = new JobClient({ connection: testConnection(server.port), jobOptions: { attempts: 10, backoff: { type: 'exponential', delay: 500 } } });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-wproc-'));
    mirrorDir = path.join(dir, 'mirror');
    for (let i = 0; i < 40; i++) {
      fs.mkdirSync(path.join(mirrorDir, `d${i % 4}`), { recursive: true });
      fs.writeFileSync(path.join(mirrorDir, `d${i % 4}`, `f${i}.bin`), Buffer.alloc(10 + i));
    }
    http = await HttpMirror.start({ root: mirrorDir });
    configFile = path.join(dir, 'mirrorball.yaml');
    fs.writeFileSync(configFile, [
      `Repository: ${mirrorDir}`, `RedisAddress: 127.0.0.1:${server.port}`, 'ConcurrentSync: 2', 'ScanInterval: 30', 'CheckInterval: 1',
      'HttpScan:', '  Concurrency: 1', '  RequestsPerSecond: 1000', '',
    ].join('\n'));
  });
  afterAll(async () => {
    for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await jobs?.close();
    redis?.disconnect();
    await http?.stop();
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves /healthz /readyz /metrics; a SIGKILLed scan keeps the old set and another worker completes it; SIGTERM exits cleanly', async () => {
    const a = await startWorker(configFile);
    procs.push(a);
    expect(await get(a, '/healthz')).toEqual({ status: 200, body: 'ok\n' });

    // Disabled: only on-demand scans touch it (no scheduler races in this test).
    const m = await makeMirror(redis, { httpURL: http.url, enabled: false });
    const first = await jobs.waitForResult<ScanJobResult>(await jobs.enqueueScan({ mirrorId: m.id }), 30_000);
    expect(first.filesIndexed).toBe(40);
    const before = (await redis.smembers(`MIRRORFILES_${m.id}`)).sort();

    // The mirror grows and gets slow; worker A dies in the middle of rescanning it.
    for (let i = 40; i < 60; i++) fs.writeFileSync(path.join(mirrorDir, `d${i % 4}`, `f${i}.bin`), Buffer.alloc(10 + i));
    http.setFault('/*', { kind: 'delay', ms: 500 });
    const seen = http.requests.length;
    const job = await jobs.enqueueScan({ mirrorId: m.id });
    await waitFor(() => http.requests.length >= seen + 2, 20_000, 'rescan in progress');
    a.child.kill('SIGKILL');
    await a.exited;
    expect((await redis.smembers(`MIRRORFILES_${m.id}`)).sort()).toEqual(before);
    expect(await redis.scard(`FILEMIRRORS_/d0/f40.bin`)).toBe(0);

    http.clearFaults();
    const b = await startWorker(configFile);
    procs.push(b);
    const r = await jobs.waitForResult<ScanJobResult>(job, 60_000);
    expect(r.filesIndexed).toBe(60);
    expect(await redis.scard(`MIRRORFILES_${m.id}`)).toBe(60);

    const metrics = await get(b, '/metrics');
    expect(metrics.body).toMatch(/mirrorball_scans_total\{protocol="http",outcome="success"\} 1/);
    await waitFor(async () => /mirrorball_queue_jobs\{queue="mirrorball-scan",state="waiting"\} 0/.test((await get(b, '/metrics')).body), 5000, 'queue gauges');

    // Totals are exposed from the start (the mirror is disabled: counted nowhere).
    expect(metrics.body).toContain('mirrorball_mirrors_up{protocol="http"} 0');
    expect(metrics.body).toContain('mirrorball_mirrors_down{protocol="http"} 0');

    // A newer Mirrorbits upgrades the database under the running worker: /readyz says so, and
    // recovers once the version is back.
    await redis.set('MIRRORBITS_DB_VERSION', '3');
    await waitFor(async () => (await get(b, '/readyz')).status === 503, 10_000, 'readyz reports the schema');
    expect((await get(b, '/readyz')).body).toContain('unsupported database version 3');
    await redis.set('MIRRORBITS_DB_VERSION', '2');
    await waitFor(async () => (await get(b, '/readyz')).status === 200, 10_000, 'readyz back');

    b.child.kill('SIGTERM');
    expect(await b.exited).toBe(0);
  }, 120_000);
});
