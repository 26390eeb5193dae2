import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, RedisServer } from '@mirrorball/testing';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const API_PRESENT = fs.existsSync(path.join(ROOT, 'apps/api/src/main.ts'));
const SAMPLE = '/release/1.0/demo-1.0-amd64.iso';
const data = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-start-'));

interface Run {
  proc: ChildProcess;
  output: () => string;
  ports: { api: number; admin: number; redis: number };
}

async function start(extraEnv: NodeJS.ProcessEnv = {}, dataDir = data): Promise<Run> {
  const ports = { api: await freePort(), admin: await freePort(), redis: await freePort() };
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MIRRORBALL_DEMO_DATA_DIR: dataDir,
    MIRRORBALL_DEMO_PORT: String(ports.api),
    MIRRORBALL_DEMO_ADMIN_PORT: String(ports.admin),
    MIRRORBALL_DEMO_REDIS_PORT: String(ports.redis),
  };
  delete env.MIRRORBALL_REDIS_ADDRESS;
  delete env.REDIS_SERVER_BIN;
  Object.assign(env, extraEnv);
  // Own process group, like a terminal session: SIGINT goes to npx, tsx and the script at once (Ctrl-C).
  const proc = spawn('npx', ['tsx', 'scripts/start.ts'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  return { proc, output: () => out, ports };
}

async function waitFor(run: Run, re: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = run.output().match(re);
    if (m) return m;
    if (run.proc.exitCode !== null) throw new Error(`start.ts exited (${run.proc.exitCode}):\n${run.output()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${re}:\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

/** Processes whose command line mentions our private data directory (redis-server, apps). */
function leftovers(): string[] {
  const ps = spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return ps.stdout.split('\n').filter((l) => l.includes(data));
}

/**
 * Ctrl-C: SIGINT to the whole group. npx itself dies of the signal at once, so wait for the pipes
 * to close instead: that happens only when start.ts (which holds them) has finished its cleanup.
 */
async function stop(run: Run): Promise<string> {
  const closed = new Promise<void>((r) => (run.proc.exitCode !== null ? r() : run.proc.once('close', () => r())));
  try {
    process.kill(-run.proc.pid!, 'SIGINT');
  } catch {
    // Already gone (it failed on its own): the caller reports the first error.
  }
  await closed;
  return run.output();
}

/** Every 127.0.0.1 port the banner names (api, admin, demo mirrors). */
function bannerPorts(out: string): number[] {
  return [...new Set([...out.matchAll(/http:\/\/127\.0\.0\.1:(\d+)\//g)].map((m) => Number(m[1])))];
}

afterAll(() => {
  fs.rmSync(data, { recursive: true, force: true });
});

describe('npm start (scripts/start.ts)', () => {
  it('starts Redis, demo mirrors and the apps; redirects to a demo mirror; Ctrl-C stops everything', async () => {
    const run = await start();
    let failure: unknown;
    try {
      if (API_PRESENT) {
        await waitFor(run, /Mirrorball is ready on (http:\/\/127\.0\.0\.1:\d+)/, 100_000);
        const res = await fetch(`http://127.0.0.1:${run.ports.api}${SAMPLE}`, { redirect: 'manual' });
        expect(res.status).toBe(302);
        const location = res.headers.get('location')!;
        expect(location).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/m\d\/release\/1\.0\/demo-1\.0-amd64\.iso$/);
        const body = Buffer.from(await (await fetch(location)).arrayBuffer());
        expect(body.equals(fs.readFileSync(path.join(ROOT, 'demo/repository', SAMPLE)))).toBe(true);
      } else {
        // apps/api not landed yet: everything else must still come up and go down cleanly.
        await waitFor(run, /Mirrorball api is NOT running/, 100_000);
      }
      await waitFor(run, /demo-tokyo\s+http:\/\/127\.0\.0\.1:\d+\/m3\//, 1000);
      expect(await listening(run.ports.redis)).toBe(true);
      expect(leftovers().length).toBeGreaterThan(0);
    } catch (e) {
      failure = e;
    }
    const ports = bannerPorts(run.output());
    const out = await stop(run);
    if (failure) throw failure;
    expect(out).toContain('[start] stopped');
    expect(await listening(run.ports.redis)).toBe(false);
    for (const p of ports) expect(await listening(p), `port ${p} still open`).toBe(false);
    expect(leftovers()).toEqual([]);
    // The data survives for the next start.
    expect(fs.existsSync(path.join(data, 'redis', 'dump.rdb'))).toBe(true);
  }, 150_000);

  it('a second start reuses .data: same admin token, mirrors updated in place', async () => {
    const token = fs.readFileSync(path.join(data, 'admin-token'), 'utf8').trim();
    const run = await start();
    let failure: unknown;
    try {
      await waitFor(run, API_PRESENT ? /Mirrorball is ready on/ : /Mirrorball api is NOT running/, 100_000);
      expect(run.output()).toContain(`curl -H 'Authorization: Bearer ${token}' http://127.0.0.1:${run.ports.admin}/api/v1/mirrors`);
      expect(run.output()).not.toMatch(/first scan failed|already (taken|exists)/);
      expect(run.output()).toMatch(/mirror demo-tokyo \(http:\/\/127\.0\.0\.1:\d+\/m3\/\): 4 files, up/);
    } catch (e) {
      failure = e;
    }
    const out = await stop(run);
    if (failure) throw failure;
    expect(out).toContain('[start] stopped');
    expect(leftovers()).toEqual([]);
  }, 150_000);

  it('uses the Redis named by MIRRORBALL_REDIS_ADDRESS and leaves it running', async () => {
    const redis = await RedisServer.start();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-start-ext-'));
    const run = await start({ MIRRORBALL_REDIS_ADDRESS: redis.address }, dir);
    let failure: unknown;
    try {
      await waitFor(run, API_PRESENT ? /Mirrorball is ready on/ : /Mirrorball api is NOT running/, 100_000);
      expect(run.output()).toContain(`using the Redis at ${redis.address}`);
      expect(run.output()).not.toContain('redis-server on');
      expect(fs.existsSync(path.join(dir, 'redis'))).toBe(false);
      if (API_PRESENT) {
        const res = await fetch(`http://127.0.0.1:${run.ports.api}/README.txt`, { redirect: 'manual' });
        expect(res.status).toBe(302);
      }
    } catch (e) {
      failure = e;
    }
    const out = await stop(run);
    try {
      if (failure) throw failure;
      expect(out).toContain('[start] stopped');
      expect(await listening(redis.port)).toBe(true);
    } finally {
      await redis.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);

  it('explains how to get Redis when redis-server is missing (exit 1)', async () => {
    const run = await start({ REDIS_SERVER_BIN: '/nonexistent/redis-server' }, fs.mkdtempSync(path.join(os.tmpdir(), 'mb-start-nored-')));
    const code = await new Promise<number | null>((r) => run.proc.once('close', (c) => r(c)));
    expect(code).toBe(1);
    expect(run.output()).toContain('apt-get install redis-server');
    expect(run.output()).toContain('MIRRORBALL_REDIS_ADDRESS=');
  }, 60_000);
});
