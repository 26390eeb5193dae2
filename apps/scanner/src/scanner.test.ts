import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { INDEX_QUEUE } from '@mirrorball/indexer';
import { RedisServer, RsyncDaemon, S3Server, freePort } from '@mirrorball/testing';

const MAIN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'main.ts');
let srv: RedisServer;
let redis: Redis;
let tmp: string;
let repo: string;

function writeConfig(extra: string): string {
  const file = path.join(tmp, `config-${Math.random().toString(36).slice(2)}.yaml`);
  fs.writeFileSync(file, `RedisAddress: ${srv.address}\nRepositoryScanInterval: 0\n${extra}`);
  return file;
}

function runScanner(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
}

/** Asynchronous variant, for servers living in this test process (spawnSync would block them). */
function runScannerAsync(args: string[]): Promise<{ status: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.once('exit', (status) => resolve({ status, stderr })));
}

function file(rel: string, body: string) {
  fs.mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true });
  fs.writeFileSync(path.join(repo, rel), body);
}

beforeAll(async () => {
  srv = await RedisServer.start();
  redis = new Redis(srv.url);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-scanner-'));
});
afterAll(async () => {
  redis?.disconnect();
  await srv?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});
beforeEach(async () => {
  await redis.flushall();
  repo = fs.mkdtempSync(path.join(tmp, 'repo-'));
});

describe('scanner --once', () => {
  it('indexes a local repository and exits 0; a missing repository exits 1 and keeps the index', async () => {
    file('release/6.0/eos.iso', 'iso');
    const cfg = writeConfig(`Repository: ${repo}\n`);
    const ok = runScanner(['--config', cfg, '--once']);
    expect(ok.status, ok.stderr).toBe(0);
    expect(await redis.smembers('FILES')).toEqual(['/release/6.0/eos.iso']);
    expect(ok.stderr).toMatch(/Indexed 1 files, 0 removed/);
    const before = await redis.hgetall('FILE_/release/6.0/eos.iso');
    fs.rmSync(repo, { recursive: true });
    const bad = runScanner(['--config', cfg, '--once']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/cannot be read|previous index is unchanged/);
    expect(await redis.hgetall('FILE_/release/6.0/eos.iso')).toEqual(before);
  }, 90_000);

  it('indexes an S3 bucket configured in the YAML file', async () => {
    const s3 = await S3Server.start();
    try {
      await s3.createBucket('cdn.example.com');
      await s3.putObject('cdn.example.com', 'mirror/release/1.0/a b.iso', 'hello');
      const cfg = writeConfig(`Source:\n  Type: s3\n  S3:\n    Endpoint: ${s3.endpoint}\n    Region: us-east-1\n    Bucket: cdn.example.com\n    Prefix: mirror/\n    AccessKeyId: ${s3.accessKeyId}\n    SecretAccessKey: ${s3.secretAccessKey}\n`);
      const r = await runScannerAsync(['--config', cfg, '--once']);
      expect(r.status, r.stderr).toBe(0);
      expect(await redis.smembers('FILES')).toEqual(['/release/1.0/a b.iso']);
      expect(await redis.hget('FILE_/release/1.0/a b.iso', 'sha256')).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
    } finally {
      await s3.stop();
    }
  }, 90_000);

  it('refuses to write into a database of a newer schema', async () => {
    file('a', 'a');
    await redis.set('MIRRORBITS_DB_VERSION', '3');
    const r = runScanner(['--config', writeConfig(`Repository: ${repo}\n`), '--once']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/unsupported database version 3/);
    expect(await redis.exists('FILES')).toBe(0);
  }, 90_000);

  it('rejects bad arguments with a clear message', () => {
    const r = runScanner(['--rehash']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--rehash applies to --once/);
  }, 90_000);
});

describe('scanner service', () => {
  it('indexes at start, runs on-demand rehash jobs from the queue, exposes metrics, stops on SIGTERM', async () => {
    file('a.txt', 'a');
    const port = await freePort();
    const cfg = writeConfig(`Repository: ${repo}\nScannerListenAddress: 127.0.0.1:${port}\n`);
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--config', cfg], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const bull = new Redis(srv.url, { maxRetriesPerRequest: null });
    const queue = new Queue(INDEX_QUEUE, { connection: bull });
    const events = new QueueEvents(INDEX_QUEUE, { connection: bull.duplicate() });
    try {
      const deadline = Date.now() + 30_000;
      while ((await redis.scard('FILES')) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(await redis.smembers('FILES'), stderr).toEqual(['/a.txt']);
      file('b.txt', 'b');
      await events.waitUntilReady();
      const job = await queue.add('index', { rehash: true });
      const result = await job.waitUntilFinished(events, 30_000);
      expect(result).toMatchObject({ files: 2, hashed: 2 });
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toMatch(/mirrorball_index_runs_total\{source="local",outcome="success"\} 2/);
      expect(metrics).toMatch(/mirrorball_index_objects\{source="local"\} 2/);
      expect(metrics).toMatch(/mirrorball_index_last_success_timestamp_seconds\{source="local"\} \d+/);
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
      // SIGHUP reloads the configuration: SHA-1 enabled → the next run fills it in.
      fs.appendFileSync(cfg, 'Hashes:\n  SHA1: true\n  SHA256: true\n');
      child.kill('SIGHUP');
      for (let i = 0; i < 200 && !stderr.includes('configuration reloaded'); i++) await new Promise((r) => setTimeout(r, 50));
      expect(stderr).toContain('configuration reloaded');
      const reloaded = await queue.add('index', { rehash: false });
      expect(await reloaded.waitUntilFinished(events, 30_000)).toMatchObject({ hashed: 2 });
      expect(await redis.hget('FILE_/a.txt', 'sha1')).toBe('86f7e437faa5a7fce15d1ddcb9eaeaea377667b8');
      // A failing run: the job fails, the error is counted by kind, the index stays.
      fs.renameSync(repo, repo + '.moved');
      const failing = await queue.add('index', { rehash: false });
      await expect(failing.waitUntilFinished(events, 30_000)).rejects.toThrow(/cannot be read/);
      const after = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(after).toMatch(/mirrorball_index_errors_total\{source="local",kind="missing-directory"\} 1/);
      expect(after).toMatch(/mirrorball_index_runs_total\{source="local",outcome="failure"\} 1/);
      expect((await redis.smembers('FILES')).sort()).toEqual(['/a.txt', '/b.txt']);
      fs.renameSync(repo + '.moved', repo);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await queue.close();
      await events.close();
      bull.disconnect();
    }
  }, 90_000);
});

describe('scanner rsync-filter', () => {
  it('publishes only the newest releases to a real rsync daemon', async () => {
    for (const v of ['5.0', '5.1', '6.0', '10.0']) file(`release/${v}/eos-${v}.iso`, v);
    file('release/README', 'readme');
    file('other/keep.txt', 'k');
    const cfg = writeConfig(`Repository: ${repo}\n`);
    expect(runScanner(['--config', cfg, '--once']).status).toBe(0);
    const rules = path.join(tmp, 'release.rules');
    const r = runScanner(['--config', cfg, 'rsync-filter', '--prefix', '/release/', '--keep', '2', '--output', rules]);
    expect(r.status, r.stderr).toBe(0);
    expect(fs.readFileSync(rules, 'utf8')).toMatch(/^\+ \/release\/10\.0\/\*\*\*\n\+ \/release\/6\.0\/\*\*\*\n- \/release\/\*\/\n$/m);
    const daemon = await RsyncDaemon.start({ modules: { eos: { path: repo, extra: { filter: `merge ${rules}` } } } });
    try {
      const ls = spawnSync('rsync', ['--list-only', '-r', daemon.url('eos')], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
      expect(ls.status, ls.stderr).toBe(0);
      const names = ls.stdout.trim().split('\n').map((l) => l.split(/\s+/).slice(4).join(' ')).sort();
      expect(names).toEqual(['.', 'other', 'other/keep.txt', 'release', 'release/10.0', 'release/10.0/eos-10.0.iso', 'release/6.0', 'release/6.0/eos-6.0.iso', 'release/README']);
      const byName = runScanner(['--config', cfg, 'rsync-filter', '--prefix', 'release', '--keep', '1', '--order', 'name']);
      expect(byName.stdout).toMatch(/^\+ \/release\/6\.0\/\*\*\*$/m);
    } finally {
      await daemon.stop();
    }
  }, 90_000);
});
