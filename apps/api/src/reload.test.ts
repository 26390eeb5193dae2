/**
 * SIGHUP re-reads the configuration of a running api (its real main.ts, spawned): live keys
 * apply at once; a broken file is logged and the running configuration stays.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, loadRedisDump, RedisServer } from '@mirrorball/testing';
import { Redis } from 'ioredis';
import { DUMP, geoDir, rawRequest } from './test-harness.ts';

const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
const DEB = '/pool/main/h/hello/hello_2.10-3_amd64.deb';
const SE = { 'X-Forwarded-For': '89.160.20.112' };

let srv: RedisServer;
let dir: string;
let geo: string;
let child: ChildProcess;
let stderr = '';
let ports: { public: number; admin: number; rpc: number };
const cfg = () => path.join(dir, 'mirrorball.yaml');

function writeConfig(extra: string[]): void {
  const base = [
    `RedisAddress: ${srv.address}`,
    `GeoipDatabasePath: ${geo}`,
    `ListenAddress: 127.0.0.1:${ports.public}`,
    `AdminListenAddress: 127.0.0.1:${ports.admin}`,
    `RPCListenAddress: 127.0.0.1:${ports.rpc}`,
    'AdminToken: reload-test',
    'Repository: /srv/repo',
  ];
  // Rewritten in place (same inode), as an editor or a ConfigMap update would.
  fs.writeFileSync(cfg(), [...base, ...extra, ''].join('\n'));
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; api stderr:\n${stderr.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** SIGHUP, then wait for the api to log the outcome (the nth reload line). */
async function hup(n: number): Promise<void> {
  child.kill('SIGHUP');
  await until('the reload log line', async () => ((stderr.match(/configuration reload/g) ?? []).length >= n ? true : undefined), 5000);
}

beforeAll(async () => {
  srv = await RedisServer.start();
  const r = new Redis(srv.port, '127.0.0.1');
  await loadRedisDump((a) => r.call(a[0]!, ...a.slice(1)), DUMP);
  r.disconnect();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-api-reload-'));
  geo = geoDir();
  ports = { public: await freePort(), admin: await freePort(), rpc: await freePort() };
  writeConfig(['OutputMode: redirect', 'Fallbacks:', '  - URL: https://fb-one.example.org/', '    CountryCode: SE', '    ContinentCode: EU']);
  child = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/main.ts', '--config', cfg()], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr!.on('data', (d: Buffer) => (stderr += d));
  await until('readiness', async () => ((await rawRequest(ports.admin, '/readyz')).status === 200 ? true : undefined), 45_000);
}, 60_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => (clearTimeout(t), resolve()));
      child.kill('SIGTERM');
    });
  }
  await srv?.stop();
  for (const d of [dir, geo]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

describe('SIGHUP', () => {
  it('applies a new OutputMode and new Fallbacks without a restart; a broken file keeps the running configuration', async () => {
    const fb = () => rawRequest(ports.public, '/only-local.bin', { headers: SE });
    expect((await fb()).get('Location')).toBe('https://fb-one.example.org/only-local.bin');
    expect((await rawRequest(ports.public, DEB, { headers: SE })).status).toBe(302);

    writeConfig(['OutputMode: json', 'Fallbacks:', '  - URL: https://fb-two.example.org/', '    CountryCode: SE', '    ContinentCode: EU']);
    await hup(1);
    expect(stderr).toMatch(/configuration reloaded/);
    expect((await fb()).status).toBe(200); // JSON now, also for the fallback answer
    expect(JSON.parse((await fb()).body).Fallback).toBe(true);
    const json = await rawRequest(ports.public, DEB, { headers: SE });
    expect(json.status).toBe(200);
    expect(json.get('Content-Type')).toBe('application/json; charset=utf-8');

    writeConfig(['OutputMode: redirect', 'Fallbacks:', '  - URL: https://fb-two.example.org/', '    CountryCode: SE', '    ContinentCode: EU']);
    await hup(2);
    expect((await fb()).get('Location')).toBe('https://fb-two.example.org/only-local.bin');

    // Broken: invalid YAML, then an invalid value. Both logged; the running config stays.
    fs.writeFileSync(cfg(), 'OutputMode: [json\n');
    await hup(3);
    fs.writeFileSync(cfg(), `RedisAddress: ${srv.address}\nRepository: /srv/repo\nOutputMode: sideways\n`);
    await hup(4);
    expect(stderr.match(/configuration reload failed/g)?.length).toBe(2);
    expect(stderr).toMatch(/OutputMode/);
    const still = await fb();
    expect(still.status).toBe(302);
    expect(still.get('Location')).toBe('https://fb-two.example.org/only-local.bin');
    expect(child.exitCode).toBeNull();
  }, 30_000);
});
