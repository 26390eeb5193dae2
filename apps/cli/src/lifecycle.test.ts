/**
 * A mirror's whole life driven through the spawned `mirrorball` CLI against the real api
 * (admin port + public port), a real worker, Redis, an rsync daemon and an HTTP mirror:
 * add → list → edit → scan -enable → redirect → stats → logs → disable → remove, checking the
 * Redis records after each step against contract §4.4.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadCliService } from '@mirrorball/rpc';
import { buildGeoDatabases, freePort, HttpMirror, RedisServer, RsyncDaemon } from '@mirrorball/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
const TOKEN = 'lifecycle-token';
const MTIME = new Date(Date.UTC(2025, 5, 1, 6, 0, 0));

let redisServer: RedisServer;
let redis: Redis;
let rsyncd: RsyncDaemon;
let httpMirror: HttpMirror;
const procs: ChildProcess[] = [];
let adminUrl = '';
let publicUrl = '';
let tmp = '';
let rpcPort = 0;

function startApp(app: string, config: string): ChildProcess {
  const p = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, `apps/${app}/src/main.ts`), '--config', config], {
    cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  let errText = '';
  p.stderr!.on('data', (d: Buffer) => void (errText = (errText + d.toString()).slice(-4000)));
  p.on('exit', (code) => { if (code) console.error(`${app} exited ${code}: ${errText}`); });
  procs.push(p);
  return p;
}

async function waitFor(what: string, f: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      if (await f()) return;
    } catch { /* not yet */ }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    if (procs.some((p) => p.exitCode !== null)) throw new Error(`a service exited while waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return cliWith({}, ...args);
}

function cliWith(env: Record<string, string>, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [path.join(ROOT, 'apps/cli/bin/mirrorball.js'), ...args], {
      cwd: ROOT, env: { ...process.env, MIRRORBALL_ADMIN_URL: adminUrl, MIRRORBALL_ADMIN_TOKEN: TOKEN, ...env },
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => void (out += d));
    p.stderr.on('data', (d: Buffer) => void (err += d));
    p.on('close', (code) => resolve({ code: code ?? -1, out, err }));
    p.stdin.end();
  });
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-cli-life-'));
  const repo = path.join(tmp, 'm1');
  fs.mkdirSync(repo);
  fs.writeFileSync(path.join(repo, 'a.txt'), 'hello mirror\n');
  fs.utimesSync(path.join(repo, 'a.txt'), MTIME, MTIME);
  rsyncd = await RsyncDaemon.start({ modules: { m1: repo } });
  httpMirror = await HttpMirror.start({ root: repo, basePath: '/m1/' });
  redisServer = await RedisServer.start();
  redis = new Redis(redisServer.url);
  // The repository index as the scanner writes it (§4.2).
  await redis.set('MIRRORBITS_DB_VERSION', '2');
  await redis.sadd('FILES', '/a.txt');
  await redis.hset('FILE_/a.txt', 'size', '13', 'modTime', '2025-06-01 06:00:00 +0000 UTC', 'sha1', '', 'sha256', '', 'md5', '');
  const geo = path.join(tmp, 'geo');
  await buildGeoDatabases(geo, [{ network: '127.0.0.0/8', country: 'GB', continent: 'EU', lat: 51.5, lon: -0.125, asn: 5089, asOrg: 'Virgin Media' }]);
  const [pub, adm, wrk, rpc] = [await freePort(), await freePort(), await freePort(), await freePort()];
  rpcPort = rpc;
  adminUrl = `http://127.0.0.1:${adm}`;
  publicUrl = `http://127.0.0.1:${pub}`;
  const config = path.join(tmp, 'mirrorball.yaml');
  fs.writeFileSync(config, [
    `RedisAddress: 127.0.0.1:${redisServer.port}`, `ListenAddress: 127.0.0.1:${pub}`, `AdminListenAddress: 127.0.0.1:${adm}`,
    `WorkerListenAddress: 127.0.0.1:${wrk}`, `AdminToken: ${TOKEN}`, `GeoipDatabasePath: ${geo}`, `Repository: ${repo}`, `RPCListenAddress: 127.0.0.1:${rpc}`, 'RPCPassword: rpc-secret', '',
  ].join('\n'));
  startApp('api', config);
  startApp('worker', config);
  await waitFor('api ready', async () => (await fetch(`${adminUrl}/readyz`)).ok, 60_000);
  await waitFor('worker ready', async () => (await fetch(`http://127.0.0.1:${wrk}/readyz`)).ok, 60_000);
}, 120_000);

afterAll(async () => {
  for (const p of procs) p.kill('SIGTERM');
  await Promise.all(procs.map((p) => new Promise((r) => (p.exitCode !== null ? r(null) : p.once('exit', r)))));
  redis?.disconnect();
  await httpMirror?.stop();
  await rsyncd?.stop();
  await redisServer?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}, 30_000);

describe('mirrorball CLI: a mirror from add to remove', () => {
  it('adds a mirror, located by GeoIP, created disabled', async () => {
    const r = await cli('add', '-http', httpMirror.url, '-rsync', rsyncd.url('m1'), '-admin-email', 'alice@example.org', '-comment', 'GB test mirror', 'gb-mirror');
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      'Mirror location:\nLatitude:  51.5000\nLongitude: -0.1250\nContinent: EU\nCountry:   United Kingdom\nASN:       Virgin Media (5089)\n'
      + "\nMirror 'gb-mirror' added successfully\nEnable this mirror using\n  $ mirrorball enable gb-mirror\n",
    );
    const rec = await redis.hgetall('MIRROR_1');
    expect(rec).toMatchObject({
      ID: '1', name: 'gb-mirror', http: httpMirror.url, rsync: rsyncd.url('m1'), ftp: '', enabled: '0', httpsUp: '0',
      countryCodes: 'GB', continentCode: 'EU', latitude: '51.5', longitude: '-0.125', asnum: '5089', comment: 'GB test mirror', allowredirects: '0',
    });
    expect(await redis.hgetall('MIRRORS')).toEqual({ 1: 'gb-mirror' });
    expect(JSON.parse((await redis.lrange('MIRRORLOGS_1', 0, -1))[0]!)).toMatchObject({ Type: 2, MirrorID: 1 });
    const again = await cli('add', '-http', httpMirror.url, 'gb-mirror');
    expect([again.code, again.err]).toEqual([6, 'Mirror gb-mirror already exists!\n']);
  });

  it('lists it like mirrorbits list', async () => {
    const r = await cli('list', '-http', '-rsync', '-score', '-location');
    const h = httpMirror.url;
    const rs = rsyncd.url('m1');
    const tabsAfter = (s: string, w: number) => s + '\t'.repeat(Math.ceil((Math.ceil(w / 8) * 8 - s.length) / 8));
    const wh = Math.max('HTTP '.length, h.length + 1);
    const wr = Math.max('RSYNC '.length, rs.length + 1);
    expect(r.out).toBe(
      `${tabsAfter('Identifier ', 11)}${tabsAfter('SCORE', 5)}${tabsAfter('HTTP ', wh)}${tabsAfter('RSYNC ', wr)}${tabsAfter('LOCATION ', 9)}${tabsAfter('STATE', 9)}SINCE\n`
      + `${tabsAfter('gb-mirror ', 11)}${tabsAfter('0 ', 5)}${tabsAfter(h + ' ', wh)}${tabsAfter(rs + ' ', wr)}${tabsAfter('GB (EU) ', 9)}${tabsAfter('disabled ', 9)}(Mon, 01 Jan 0001 00:00:00 UTC)\n`,
    );
    const j = JSON.parse((await cli('list', '--json')).out);
    expect(j[0]).toMatchObject({ Name: 'gb-mirror', Enabled: false });
  });

  it('edits it without an editor (--set and a YAML file)', async () => {
    const r = await cli('edit', 'gb-mir', '--set', 'Score=10', '--set', 'CountryCodes=gb ie');
    expect(r.code).toBe(0);
    expect(r.out).toBe("- Score: 0\n+ Score: 10\n- CountryCodes: GB\n+ CountryCodes: GB IE\n\nMirror 'gb-mirror' edited successfully\n");
    expect(await redis.hmget('MIRROR_1', 'score', 'countryCodes')).toEqual(['10', 'GB IE']);
    const yaml = path.join(tmp, 'edit.yaml');
    fs.writeFileSync(yaml, 'SponsorName: GB Sponsor\n##### Comments go below this line #####\nnew comment\n');
    expect((await cli('edit', '-f', yaml, 'gb-mirror')).out).toBe("- SponsorName: \"\"\n+ SponsorName: GB Sponsor\n\nMirror 'gb-mirror' edited successfully\n");
    expect(await redis.hmget('MIRROR_1', 'sponsorName', 'comment')).toEqual(['GB Sponsor', 'new comment']);
    expect((await cli('edit', 'gb-mirror', '--set', 'Score=10')).out).toBe('Aborted - settings are unmodified, so there is nothing to change.\n');
    const bad = await cli('edit', 'gb-mirror', '--set', 'Score=lots');
    expect(bad.code).toBe(2);
    expect(await redis.hget('MIRROR_1', 'score')).toBe('10');
    const show = await cli('show', 'gb-mirror');
    expect(show.out).toContain('Score: 10\n');
    expect(show.out.endsWith('\nComment:\nnew comment\n')).toBe(true);
  });

  it('edits it interactively in $EDITOR, as mirrorbits edit', async () => {
    const editor = path.join(tmp, 'editor.sh');
    fs.writeFileSync(editor, '#!/bin/sh\nsed -i "s/^Score: .*/Score: 20/" "$1"\n', { mode: 0o755 });
    expect((await cliWith({ EDITOR: editor }, 'edit', 'gb-mirror')).out).toBe("- Score: 10\n+ Score: 20\n\nMirror 'gb-mirror' edited successfully\n");
    expect(await redis.hget('MIRROR_1', 'score')).toBe('20');
    expect((await cliWith({ EDITOR: 'true' }, 'edit', 'gb-mirror')).out).toBe('Aborted - settings are unmodified, so there is nothing to change.\n');
  });

  it('scans it through the worker and enables it; the api then redirects to it', async () => {
    const r = await cli('scan', '-enable', '-timeout', '60', 'gb-mirror');
    expect(r.err).toBe('');
    expect(r.out).toBe('Scanning gb-mirror... 1 files indexed, 1 known and 0 removed\n  ∟ Enabled\n');
    expect(await redis.smembers('FILEMIRRORS_/a.txt')).toEqual(['1']);
    expect(await redis.hget('FILEINFO_1_/a.txt', 'size')).toBe('13');
    expect(await redis.hget('MIRROR_1', 'enabled')).toBe('1');
    // The worker checks a freshly enabled mirror at once (§8.1).
    await waitFor('mirror up', async () => (await redis.hget('MIRROR_1', 'httpUp')) === '1', 30_000);
    await waitFor('redirect', async () => {
      const res = await fetch(`${publicUrl}/a.txt`, { redirect: 'manual' });
      return res.status === 302 && res.headers.get('location') === `${httpMirror.url}a.txt`;
    }, 15_000);
    const again = await cli('scan', 'gb-mirror');
    expect(again.out).toBe('Scanning gb-mirror... 1 files indexed, 1 known and 0 removed\n');
    // Not a terminal: plain lines, no progress display; already enabled, so no `∟ Enabled`.
    const all = await cli('scan', '-all', '-enable', '-timeout=60');
    expect([all.code, all.out, all.err]).toEqual([0, 'Scanning gb-mirror... 1 files indexed, 1 known and 0 removed\n', '']);
    const json = JSON.parse((await cli('scan', '--json', '--all')).out);
    expect(json).toEqual([{ Name: 'gb-mirror', FilesIndexed: 1, KnownIndexed: 1, Removed: 0, TZOffsetMs: 0, Enabled: false }]);
  }, 90_000);

  it('reports download stats and logs', async () => {
    const day = new Date().toISOString().slice(0, 10);
    await waitFor('stats flushed', async () => Number(await redis.hget(`STATS_MIRROR_${day.replace(/-/g, '_')}`, '1')) >= 1, 10_000);
    const s = await cli('stats', 'mirror', 'gb-mirror');
    expect(s.out).toMatch(/^Identifier:\t\tgb-mirror\nStatus:\t\t\tup\nDownload requests:\t[1-9]\d*\nBytes transferred:\t\d+\.\d (bytes|KiB)\n\n$/);
    const f = await cli('stats', '-start-date', day, 'file', '\\.txt$');
    expect(f.out).toMatch(/^\/a\.txt:\t{4}[1-9]\d*\n\t{4}\nTotal download requests: \t[1-9]\d*\n\n$/);
    const logs = await cli('logs', '-l', '20', 'gb-mirror');
    const texts = logs.out.split('\n').slice(1).filter(Boolean).map((l) => l.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \S+: /, ''));
    expect(logs.out.startsWith('Printing logs for gb-mirror:\n')).toBe(true);
    expect(texts.slice(0, 7)).toEqual(['Mirror added', 'Mirror edited', 'Mirror edited', 'Mirror edited', 'RSYNC scan started', 'Scan completed: 1 files (1 known), 0 removed', 'Mirror enabled']);
    expect(texts).toContain('HTTP mirror is up');
    const mirmon = await cli('export', 'mirmon');
    expect(mirmon.out).toBe(`GB\t${httpMirror.url}\talice@example.org\nGB\t${rsyncd.url('m1')}\talice@example.org\n`);
    const v = await cli('version');
    expect(v.out).toMatch(/^Client:\n Version:          \S+\n Build:            .*\n GoVersion:        node\S+\n Operating System: linux\n Architecture:     \S+\n Gomaxprocs:       \d+\n\nServer:\n Version:          /);
  });

  it('disables it (no more redirects to it) and removes it', async () => {
    const d = await cli('disable', 'gb-mirror');
    expect(d.out).toBe("Mirror 'gb-mirror' disabled successfully\n");
    expect(await redis.hget('MIRROR_1', 'enabled')).toBe('0');
    await waitFor('no redirect', async () => {
      const res = await fetch(`${publicUrl}/a.txt`, { redirect: 'manual' });
      return res.headers.get('location') !== `${httpMirror.url}a.txt`;
    }, 10_000);
    const keep = await cli('remove', 'gb-mirror'); // no answer on stdin: the default is no
    expect([keep.code, keep.out]).toEqual([7, 'Removing gb-mirror, are you sure? [y/N] Aborted\n']);
    expect(await redis.exists('MIRROR_1')).toBe(1);
    const rm = await cli('remove', '-f', 'gb-mirror');
    expect(rm.code).toBe(0);
    expect(await redis.exists('MIRROR_1', 'MIRRORFILES_1', 'HANDLEDFILES_1', 'FILEINFO_1_/a.txt', 'MIRRORLOGS_1')).toBe(0);
    expect(await redis.smembers('FILEMIRRORS_/a.txt')).toEqual([]);
    expect(await redis.hlen('MIRRORS')).toBe(0);
    const gone = await cli('show', 'gb-mirror');
    expect([gone.code, gone.err]).toEqual([3, "No match for 'gb-mirror'\n"]);
  });

  it('serves the Mirrorbits gRPC CLI service from the api process', async () => {
    const CLI = loadCliService().CLI as grpc.ServiceClientConstructor;
    const c = new CLI(`127.0.0.1:${rpcPort}`, grpc.credentials.createInsecure()) as grpc.Client & Record<string, (...args: any[]) => any>;
    const call = (m: string, req: object, pw: string) => new Promise<any>((resolve, reject) => {
      const md = new grpc.Metadata();
      md.set('password', pw);
      c[m]!(req, md, (e: Error | null, r: unknown) => (e ? reject(e) : resolve(r)));
    });
    try {
      await expect(call('Ping', {}, 'wrong')).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
      const added = await call('AddMirror', { ID: 0, Name: 'rpc-mirror', HttpURL: httpMirror.url }, 'rpc-secret');
      expect(added.Country).toBe('United Kingdom');
      expect((await cli('list', '-state=false')).out).toBe('Identifier \nrpc-mirror \n');
      const { Mirrors } = await call('MatchMirror', { Pattern: 'rpc' }, 'rpc-secret');
      await call('RemoveMirror', { ID: Mirrors[0].ID }, 'rpc-secret');
      expect(await redis.hlen('MIRRORS')).toBe(0);
    } finally {
      c.close();
    }
  });

  it('fails clearly on a wrong token, an unknown command and an unreachable API', async () => {
    const bad = await new Promise<{ code: number; err: string }>((resolve) => {
      const p = spawn(process.execPath, [path.join(ROOT, 'apps/cli/bin/mirrorball.js'), '--url', adminUrl, '--token', 'nope', 'list'], { cwd: ROOT });
      let err = '';
      p.stderr.on('data', (d: Buffer) => void (err += d));
      p.on('close', (code) => resolve({ code: code ?? -1, err }));
    });
    expect(bad.code).toBe(4);
    expect(bad.err).toMatch(/unauthorized/);
    const unk = await cli('frobnicate');
    expect(unk.code).toBe(2);
    expect(unk.err).toMatch(/^Error: Command not found: frobnicate\n/);
    const down = await cli('--url', 'http://127.0.0.1:1', 'list');
    expect(down.code).toBe(5);
  });
});
