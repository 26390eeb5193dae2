import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpMirror, RedisServer, RsyncDaemon } from '@mirrorball/testing';
import { setMirrorEnabled, removeMirror, readMirrorLogs, mirrorLogText } from '@mirrorball/redis';
import { QUEUES, type QueueKind, type ScanJobResult } from '../queues.ts';
import { Reconciler } from './reconciler.ts';
import { startWorkerPool, type WorkerPool } from './pool.ts';
import { makeMirror, testConnection, testDeps, waitFor } from './testkit.ts';

function tree(root: string, n: number): void {
  for (let i = 0; i < n; i++) {
    const f = path.join(root, `dir${i % 3}`, `file ${i}.bin`);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, Buffer.alloc(100 + i, i));
  }
}

describe('scheduler reconciler', () => {
  let server: RedisServer;
  let deps: ReturnType<typeof testDeps>;
  let queues: Record<QueueKind, Queue>;
  beforeAll(async () => {
    server = await RedisServer.start();
    deps = testDeps(server.port, { ScanInterval: 30, CheckInterval: 2, ContentCheck: { FilesPerCheck: 3, Interval: 60 } });
    const c = testConnection(server.port);
    queues = { scan: new Queue(QUEUES.scan, { connection: c }), check: new Queue(QUEUES.check, { connection: c }), content: new Queue(QUEUES.content, { connection: c }) };
  });
  afterAll(async () => {
    await Promise.all(Object.values(queues ?? {}).map((q) => q.close()));
    await deps?.close();
    await server?.stop();
  });

  const schedulers = async () => {
    const out: Record<string, number | undefined> = {};
    for (const q of Object.values(queues)) for (const s of await q.getJobSchedulers(0, -1)) out[s.key] = s.every;
    return out;
  };

  it('schedules enabled mirrors only, follows enable/disable/remove, and is idempotent across pods', async () => {
    const r1 = new Reconciler({ redis: deps.redis, queues, config: deps.config, log: deps.log });
    const r2 = new Reconciler({ redis: deps.redis, queues, config: deps.config, log: deps.log });
    const on = await makeMirror(deps.redis, { httpURL: 'http://127.0.0.1:9/', rsyncURL: 'rsync://127.0.0.1:9/x/', enabled: true });
    const off = await makeMirror(deps.redis, { httpURL: 'http://127.0.0.1:9/', enabled: false });
    const rsyncOnly = await makeMirror(deps.redis, { rsyncURL: 'rsync://127.0.0.1:9/x/', enabled: true });
    await Promise.all([r1.reconcile(), r2.reconcile()]);
    expect(await schedulers()).toEqual({
      [`scan:${on.id}`]: 30 * 60_000, [`check:${on.id}`]: 2 * 60_000, [`content:${on.id}`]: 60 * 60_000,
      [`scan:${rsyncOnly.id}`]: 30 * 60_000,
    });
    expect(await r1.reconcile()).toEqual({ upserted: [], removed: [] });

    await setMirrorEnabled(deps.redis, off.id, true);
    await setMirrorEnabled(deps.redis, on.id, false);
    expect(await r2.reconcile()).toEqual({
      upserted: [`scan:${off.id}`, `check:${off.id}`, `content:${off.id}`],
      removed: [`scan:${on.id}`, `check:${on.id}`, `content:${on.id}`],
    });
    await removeMirror(deps.redis, off.id);
    await r1.reconcile();
    expect(Object.keys(await schedulers())).toEqual([`scan:${rsyncOnly.id}`]);
    // The removed schedulers' pending jobs are gone too.
    const delayed = await queues.check.getDelayed();
    expect(delayed.filter((j) => j.data.mirrorId === off.id || j.data.mirrorId === on.id)).toEqual([]);
  });
});

describe('worker pool against real redis-server, rsync daemon and HTTP mirrors', () => {
  let server: RedisServer;
  let deps: ReturnType<typeof testDeps>;
  let pool: WorkerPool;
  let root: string;
  let http: HttpMirror;
  let rsyncd: RsyncDaemon;

  beforeAll(async () => {
    // appendonly + fsync always: a restarted server keeps its data (the Redis-restart test).
    server = await RedisServer.start({ args: { appendonly: 'yes', appendfsync: 'always' } });
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-pool-'));
    tree(root, 30);
    http = await HttpMirror.start({ root });
    rsyncd = await RsyncDaemon.start({ modules: { pub: root } });
  });
  afterAll(async () => {
    await http?.stop();
    await rsyncd?.stop();
    await server?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });
  beforeEach(async () => {
    deps = testDeps(server.port, { HttpScan: { Concurrency: 1, RequestsPerSecond: 1000 } });
    await deps.redis.flushall();
    pool = startWorkerPool(deps, { connection: testConnection(server.port), noReconciler: true, queueMetricsIntervalMs: 0, lockDurationMs: 5000 });
    http.clearFaults();
  });
  afterEach(async () => {
    await pool.close(2000);
    await deps.close();
  });

  it('on-demand scan returns the counts, then the follow-up health check marks the mirror up', async () => {
    await deps.redis.sadd('FILES', '/dir0/file 0.bin', '/dir1/file 1.bin', '/not-on-mirror');
    await deps.redis.hset('FILE_/dir0/file 0.bin', 'size', '100');
    await deps.redis.hset('FILE_/dir1/file 1.bin', 'size', '101');
    const m = await makeMirror(deps.redis, { rsyncURL: rsyncd.url('pub'), httpURL: http.url, enabled: true });
    const job = await deps.jobs.enqueueScan({ mirrorId: m.id });
    const r = await deps.jobs.waitForResult<ScanJobResult>(job, 20_000);
    expect(r).toMatchObject({ filesIndexed: 30, knownIndexed: 2, removed: 0, protocol: 0, enabled: true });
    expect(await deps.redis.scard(`MIRRORFILES_${m.id}`)).toBe(30);
    await waitFor(async () => (await deps.redis.hget(`MIRROR_${m.id}`, 'httpUp')) === '1', 10_000, 'health check after scan');
    const text = await deps.metrics.registry.metrics();
    expect(text).toMatch(/mirrorball_scans_total\{protocol="rsync",outcome="success"\} 1/);
    expect(text).toMatch(/mirrorball_health_checks_total\{protocol="http",outcome="up"\} 1/);
    // The check flipped the mirror to up: the cluster-wide totals follow without waiting for the sampler.
    await waitFor(async () => (await deps.metrics.registry.metrics()).includes('mirrorball_mirrors_up{protocol="http"} 1'), 10_000, 'mirrors_up total');
    expect(await deps.metrics.registry.metrics()).toContain('mirrorball_mirrors_down{protocol="http"} 0');
  });

  it('a scheduled scan is a no-op when lastSync is younger than ScanInterval; disabled mirrors are skipped', async () => {
    const m = await makeMirror(deps.redis, { httpURL: http.url, enabled: true });
    await deps.redis.hset(`MIRROR_${m.id}`, 'lastSync', String(Math.floor(Date.now() / 1000) - 60));
    const j = await pool.queues.scan.add('scheduled', { mirrorId: m.id });
    expect(await deps.jobs.waitForResult(j, 10_000)).toEqual({ skipped: 'recently scanned' });
    const off = await makeMirror(deps.redis, { httpURL: http.url, enabled: false });
    const j2 = await pool.queues.scan.add('scheduled', { mirrorId: off.id });
    expect(await deps.jobs.waitForResult(j2, 10_000)).toEqual({ skipped: 'disabled' });
    expect(await deps.redis.exists(`MIRRORFILES_${m.id}`, `MIRRORFILES_${off.id}`)).toBe(0);
  });

  it('never scans while a Mirrorbits node holds SCANNING_<id>; the on-demand job completes after release', async () => {
    const m = await makeMirror(deps.redis, { rsyncURL: rsyncd.url('pub'), enabled: true });
    // "A Mirrorbits node": SET NX EX 10, refreshed every 5 s as in contract §4.5.
    await deps.redis.set(`SCANNING_${m.id}`, '1', 'EX', 10, 'NX');
    const job = await deps.jobs.enqueueScan({ mirrorId: m.id });
    await waitFor(async () => ((await pool.queues.scan.getJob(job.id!))?.attemptsMade ?? 0) >= 2, 10_000, 'retries while locked');
    expect(await deps.redis.exists(`MIRRORFILES_${m.id}`)).toBe(0);
    expect(await deps.redis.hget(`MIRROR_${m.id}`, 'lastSync')).toBeNull();
    // A scheduled job in the same situation just skips.
    const sched = await pool.queues.scan.add('scheduled', { mirrorId: m.id });
    expect(await deps.jobs.waitForResult(sched, 10_000)).toEqual({ skipped: 'scan already in progress on another node' });
    await deps.redis.del(`SCANNING_${m.id}`);
    const r = await deps.jobs.waitForResult<ScanJobResult>(job, 15_000);
    expect(r.filesIndexed).toBe(30);
    expect(await deps.metrics.registry.metrics()).toMatch(/mirrorball_scans_total\{protocol="rsync",outcome="skipped_locked"\} [3-9]/);
  });

  it('a permanent failure is not retried and is recorded on the mirror', async () => {
    const m = await makeMirror(deps.redis, { enabled: true });
    const job = await deps.jobs.enqueueScan({ mirrorId: m.id });
    await expect(deps.jobs.waitForResult(job, 10_000)).rejects.toThrow('no suitable URL for the scan');
    expect((await pool.queues.scan.getJob(job.id!))!.attemptsMade).toBe(1);
    expect((await readMirrorLogs(deps.redis, m.id)).map(mirrorLogText)).toContain('Error: no suitable URL for the scan');
    expect(await deps.metrics.registry.metrics()).toMatch(/mirrorball_job_failures_total\{queue="mirrorball-scan"\} 1/);
  });

  it('Redis restarted during a scan: the attempt fails cleanly and the retry succeeds', async () => {
    const m = await makeMirror(deps.redis, { httpURL: http.url, enabled: true });
    await deps.redis.sadd(`MIRRORFILES_${m.id}`, '/old');
    http.setFault('/dir1/*', { kind: 'delay', ms: 300 });
    // Only this scan's requests: earlier tests' health checks fetched /dir1/ files too, and
    // killing Redis before this job is running tests something else (see below).
    const mark = http.requests.length;
    const job = await deps.jobs.enqueueScan({ mirrorId: m.id });
    await waitFor(() => http.requests.slice(mark).some((q) => q.path.startsWith('/dir1/')), 10_000, 'scan in progress');
    // Down until the crawl is over (no request for 1.5 s), so the scan's Redis writes fail
    // instead of simply waiting for a reconnect, and always longer than the job lock (5 s): the
    // restarted server (AOF) brings the lock back expired. BullMQ alone then refuses to record
    // the attempt and leaves the job active until a stalled check (the hang this test caught
    // under load); the pool's LockGuard re-takes the lapsed lock instead.
    const killedAt = Date.now();
    await server.kill();
    let seen = -1;
    let quietSince = Date.now();
    await waitFor(() => {
      if (http.requests.length !== seen) {
        seen = http.requests.length;
        quietSince = Date.now();
      }
      return Date.now() - quietSince > 1500 && Date.now() - killedAt > 5000 + 1500;
    }, 40_000, 'crawl finished and job lock expired');
    http.clearFaults();
    await server.restart();
    const r = await deps.jobs.waitForResult<ScanJobResult>(job, 30_000).catch(async (e) => {
      const jj = await pool.queues.scan.getJob(job.id!);
      throw new Error(`${e.message}: state ${await jj?.getState()}, ${jj?.failedReason}, ${JSON.stringify(jj?.stacktrace)}`);
    });
    expect(r.filesIndexed).toBe(30);
    const j = (await pool.queues.scan.getJob(job.id!))!;
    // The first attempt failed on the lost connection (its error is kept), a later one succeeded.
    expect(j.stacktrace?.length ?? 0).toBeGreaterThanOrEqual(1);
    expect(j.attemptsStarted).toBeGreaterThanOrEqual(2);
    expect(await deps.redis.sismember(`MIRRORFILES_${m.id}`, '/old')).toBe(0);
    expect(await deps.redis.scard(`MIRRORFILES_${m.id}`)).toBe(30);
  }, 60_000);
});
