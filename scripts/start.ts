/**
 * `npm start`: the whole system on one machine with no configuration (README "Quick start").
 *
 * Starts a private redis-server (data under .data/redis), three demo HTTP mirrors serving copies of
 * demo/repository, writes .data/mirrorball.yaml, registers the mirrors, indexes the repository and
 * scans the mirrors once (so a redirect works right away), then runs apps/scanner, apps/worker and
 * apps/api as child processes. Ctrl-C or SIGTERM stops everything it started.
 *
 * Environment: MIRRORBALL_DEMO_PORT (public port, default 8080 or the next free one),
 * MIRRORBALL_DEMO_ADMIN_PORT (default 8081 or next free), MIRRORBALL_DEMO_REDIS_PORT,
 * MIRRORBALL_DEMO_DATA_DIR (default .data), MIRRORBALL_REDIS_ADDRESS (use that Redis, start none),
 * REDIS_SERVER_BIN (the redis-server binary; default: found on the PATH).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import { setMaxListeners } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { parseConfig } from '@mirrorball/config';
import { goTimeFromDate } from '@mirrorball/gofmt';
import { runIndex } from '@mirrorball/indexer';
import { scanMirror } from '@mirrorball/mirror-scan';
import { emptyMirror, type Mirror } from '@mirrorball/model';
import { addMirror, createRedis, ensureSchema, findMirrorIdByName, getMirror, setHealthState, setMirrorEnabled, updateMirror, waitReady } from '@mirrorball/redis';
import { LocalDirectorySource } from '@mirrorball/source';
import { HttpMirror } from '@mirrorball/testing';

// One process scans several mirrors with many concurrent requests, each with its own abort listener.
setMaxListeners(100);

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEMO_REPO = path.join(ROOT, 'demo', 'repository');
const DATA = path.resolve(process.env.MIRRORBALL_DEMO_DATA_DIR || path.join(ROOT, '.data'));
const CONFIG_FILE = path.join(DATA, 'mirrorball.yaml');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const SAMPLE_FILE = '/release/1.0/demo-1.0-amd64.iso';

interface DemoMirrorSpec {
  name: string;
  path: string;
  countryCodes: string;
  continentCode: string;
  latitude: number;
  longitude: number;
  sponsorName: string;
  sponsorURL: string;
  missing: string[];
}

function say(msg: string): void {
  process.stdout.write(`[start] ${msg}\n`);
}

function fail(msg: string): never {
  process.stderr.write(`[start] ${msg}\n`);
  process.exit(1);
}

// ---------------------------------------------------------------- processes we own

/** Every child is spawned in its own process group so that stopping it also stops its own children (tsx → node). */
const children: { name: string; proc: ChildProcess }[] = [];
const mirrors: HttpMirror[] = [];
let redisChild: ChildProcess | null = null;
let redisClient: Redis | null = null;
let stopping = false;

function killGroup(proc: ChildProcess, signal: NodeJS.Signals): void {
  if (proc.pid === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
  try {
    process.kill(-proc.pid, signal);
  } catch {
    try {
      proc.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

function exited(proc: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), timeoutMs);
    proc.once('exit', () => {
      clearTimeout(t);
      resolve(true);
    });
  });
}

let stoppingSince = 0;

async function stopAll(code: number): Promise<never> {
  if (stopping) {
    // The same Ctrl-C often arrives twice (from the terminal and relayed by tsx): only a later one forces.
    if (Date.now() - stoppingSince > 2000) {
      say('forced exit');
      process.exit(code);
    }
    return new Promise<never>(() => {});
  }
  stopping = true;
  stoppingSince = Date.now();
  say('stopping…');
  for (const c of children) killGroup(c.proc, 'SIGTERM');
  for (const c of children) if (!(await exited(c.proc, 5000))) killGroup(c.proc, 'SIGKILL');
  for (const m of mirrors) await m.stop().catch(() => {});
  redisClient?.disconnect();
  if (redisChild) {
    // SIGTERM makes redis-server save .data/redis/dump.rdb and exit: the next start finds its data.
    killGroup(redisChild, 'SIGTERM');
    if (!(await exited(redisChild, 10_000))) killGroup(redisChild, 'SIGKILL');
  }
  say('stopped');
  process.exit(code);
}

// Last resort if we die without a clean shutdown (uncaught error): no orphans left behind.
process.on('exit', () => {
  for (const c of children) killGroup(c.proc, 'SIGKILL');
  if (redisChild) killGroup(redisChild, 'SIGKILL');
});
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

/** Forward a child's output line by line with a `[name]` prefix. */
function prefixOutput(name: string, proc: ChildProcess): void {
  for (const [stream, out] of [[proc.stdout, process.stdout], [proc.stderr, process.stderr]] as const) {
    if (!stream) continue;
    readline.createInterface({ input: stream }).on('line', (line) => out.write(`[${name}] ${line}\n`));
  }
}

function spawnGroup(name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const proc = spawn(cmd, args, { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  prefixOutput(name, proc);
  return proc;
}

// ---------------------------------------------------------------- ports

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

const taken = new Set<number>();

/** The port named by `envName`, else `preferred` or the next free one after it (0 = any free port). */
async function choosePort(envName: string, preferred: number): Promise<number> {
  const fromEnv = process.env[envName];
  if (fromEnv) {
    const p = Number(fromEnv);
    if (!Number.isInteger(p) || p <= 0 || p > 65535) fail(`${envName}=${fromEnv} is not a port number`);
    if (!(await portFree(p))) fail(`${envName}=${p}: port ${p} on 127.0.0.1 is already in use`);
    taken.add(p);
    return p;
  }
  if (preferred > 0) {
    for (let p = preferred; p < preferred + 50; p++) {
      if (!taken.has(p) && (await portFree(p))) {
        taken.add(p);
        return p;
      }
    }
  }
  for (;;) {
    const p = await new Promise<number>((resolve) => {
      const srv = net.createServer();
      srv.listen(0, '127.0.0.1', () => {
        const port = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(port));
      });
    });
    if (!taken.has(p)) {
      taken.add(p);
      return p;
    }
  }
}

function waitForPort(port: number, timeoutMs: number, proc?: ChildProcess): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve) => {
    const attempt = () => {
      if (proc && (proc.exitCode !== null || proc.signalCode !== null)) return resolve(false);
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => (Date.now() > deadline ? resolve(false) : setTimeout(attempt, 100)));
    };
    attempt();
  });
}

// ---------------------------------------------------------------- redis

function findRedisServer(): string | null {
  // An explicit REDIS_SERVER_BIN is the only candidate: a wrong path is reported, not silently replaced.
  const explicit = process.env.REDIS_SERVER_BIN;
  if (explicit) return fs.existsSync(explicit) ? explicit : null;
  for (const c of ['/usr/bin/redis-server', '/usr/local/bin/redis-server']) {
    if (fs.existsSync(c)) return c;
  }
  const which = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  return which.status === 0 && which.stdout.trim() ? which.stdout.trim() : null;
}

async function startRedis(): Promise<string> {
  const external = process.env.MIRRORBALL_REDIS_ADDRESS;
  if (external) {
    say(`using the Redis at ${external} (MIRRORBALL_REDIS_ADDRESS); no redis-server started`);
    return external;
  }
  const bin = findRedisServer();
  if (!bin) {
    fail(
      'redis-server not found. Install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis),\n' +
        '        or point Mirrorball at an existing Redis: MIRRORBALL_REDIS_ADDRESS=host:port npm start',
    );
  }
  const port = await choosePort('MIRRORBALL_DEMO_REDIS_PORT', 0);
  const dir = path.join(DATA, 'redis');
  fs.mkdirSync(dir, { recursive: true });
  // Snapshot on shutdown and every minute with changes, so a second `npm start` finds its data.
  redisChild = spawnGroup('redis', bin, [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--dbfilename', 'dump.rdb',
    '--save', '60 1', '--appendonly', 'no', '--maxmemory-policy', 'noeviction', '--daemonize', 'no',
    '--logfile', path.join(DATA, 'logs', 'redis.log'),
  ]);
  if (!(await waitForPort(port, 10_000, redisChild))) {
    fail(`redis-server did not start on 127.0.0.1:${port}; see ${path.join(DATA, 'logs', 'redis.log')}`);
  }
  say(`redis-server on 127.0.0.1:${port} (data in ${dir})`);
  return `127.0.0.1:${port}`;
}

// ---------------------------------------------------------------- demo mirrors

function readDemoMirrors(): DemoMirrorSpec[] {
  const raw = JSON.parse(fs.readFileSync(path.join(ROOT, 'demo', 'mirrors.json'), 'utf8')) as { mirrors: DemoMirrorSpec[] };
  return raw.mirrors;
}

/** A fresh copy of the demo repository per mirror (mtimes kept), minus the files that mirror lacks. */
async function startDemoMirror(spec: DemoMirrorSpec): Promise<HttpMirror> {
  const root = path.join(DATA, 'mirrors', spec.path);
  fs.rmSync(root, { recursive: true, force: true });
  fs.cpSync(DEMO_REPO, root, { recursive: true, preserveTimestamps: true });
  for (const f of spec.missing) fs.rmSync(path.join(root, f), { force: true });
  const m = await HttpMirror.start({ root, basePath: `/${spec.path}/` });
  mirrors.push(m);
  return m;
}

function mirrorRecord(spec: DemoMirrorSpec, url: string): Mirror {
  return {
    ...emptyMirror(),
    name: spec.name,
    httpURL: url,
    sponsorName: spec.sponsorName,
    sponsorURL: spec.sponsorURL,
    countryCodes: spec.countryCodes,
    continentCode: spec.continentCode,
    latitude: spec.latitude,
    longitude: spec.longitude,
    comment: 'npm start demo mirror',
    enabled: true,
  };
}

/** Add the mirror, or update it in place on a second start (its port changes every run). */
async function registerMirror(redis: Redis, rec: Mirror): Promise<Mirror> {
  const existing = await findMirrorIdByName(redis, rec.name);
  let id: number;
  if (existing === null) {
    id = await addMirror(redis, rec);
  } else {
    id = existing;
    const old = await getMirror(redis, id);
    await updateMirror(redis, { ...(old ?? emptyMirror(id)), ...rec, id });
  }
  await setMirrorEnabled(redis, id, true);
  const saved = await getMirror(redis, id);
  if (!saved) throw new Error(`mirror ${rec.name} vanished right after being saved`);
  return saved;
}

/** First health check: the worker repeats it on its own schedule once it runs. */
async function checkHealth(redis: Redis, m: Mirror): Promise<boolean> {
  const url = m.httpURL.replace(/\/$/, '') + '/README.txt';
  let up = false;
  let reason = '';
  try {
    const res = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(5000) });
    up = res.ok;
    reason = up ? '' : `Got status code ${res.status}`;
  } catch (e) {
    reason = (e as Error).message;
  }
  await setHealthState(redis, m.id, 'http', up, reason, goTimeFromDate(new Date()));
  return up;
}

// ---------------------------------------------------------------- config

function adminToken(): string {
  const f = path.join(DATA, 'admin-token');
  if (fs.existsSync(f)) {
    const t = fs.readFileSync(f, 'utf8').trim();
    if (t) return t;
  }
  const t = crypto.randomBytes(24).toString('base64url');
  fs.writeFileSync(f, t + '\n', { mode: 0o600 });
  return t;
}

interface Ports {
  api: number;
  admin: number;
  worker: number;
  scanner: number;
  rpc: number;
}

function configText(redisAddress: string, ports: Ports, token: string): string {
  const q = (s: string) => JSON.stringify(s);
  return `# Generated by \`npm start\` (scripts/start.ts) on every start; edits are overwritten.
# For a real deployment write your own file: see README.md, "Running it for real".
Repository: ${q(DEMO_REPO)}
Source:
  Type: local
  Path: ${q(DEMO_REPO)}
ListenAddress: ${q(`127.0.0.1:${ports.api}`)}
AdminListenAddress: ${q(`127.0.0.1:${ports.admin}`)}
WorkerListenAddress: ${q(`127.0.0.1:${ports.worker}`)}
ScannerListenAddress: ${q(`127.0.0.1:${ports.scanner}`)}
RPCListenAddress: ${q(`127.0.0.1:${ports.rpc}`)}
AdminToken: ${q(token)}
RedisAddress: ${q(redisAddress)}
OutputMode: auto
Fallbacks: []
Hashes:
  SHA1: true
  SHA256: true
  MD5: true
MetalinkEnabled: true
# Mirrorball: Digest, Repr-Digest and a describedby Metalink link on redirects (aria2 verifies with them).
DigestHeaders: true
# Minutes: rescan the demo often so that edits under demo/ show up quickly.
RepositoryScanInterval: 1
ScanInterval: 5
CheckInterval: 1
LogDir: ${q(path.join(DATA, 'logs'))}
`;
}

// ---------------------------------------------------------------- apps

function appMain(app: string): string | null {
  const f = path.join(ROOT, 'apps', app, 'src', 'main.ts');
  return fs.existsSync(f) ? f : null;
}

/** Children get the environment minus our own MIRRORBALL_DEMO_* knobs (not config keys). */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('MIRRORBALL_DEMO_')) env[k] = v;
  return env;
}

function startApp(app: string, extra: string[] = []): ChildProcess | null {
  const main = appMain(app);
  if (!main) return null;
  const proc = spawnGroup(app, TSX, [main, '--config', CONFIG_FILE, ...extra], childEnv());
  children.push({ name: app, proc });
  proc.once('exit', (code, signal) => {
    if (stopping) return;
    say(`${app} exited (${signal ?? code}); the others keep running. Logs above.`);
  });
  return proc;
}

/** `apps/scanner --once`, waited for; false when it is missing or failed (we index in-process then). */
async function scannerOnce(): Promise<boolean> {
  const main = appMain('scanner');
  if (!main) return false;
  const proc = spawnGroup('scanner', TSX, [main, '--config', CONFIG_FILE, '--once'], childEnv());
  children.push({ name: 'scanner-once', proc });
  const code = await new Promise<number | null>((resolve) => proc.once('exit', (c) => resolve(c)));
  return code === 0;
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  if (!fs.existsSync(TSX)) fail('node_modules is missing: run `npm ci` first');
  fs.mkdirSync(path.join(DATA, 'logs'), { recursive: true });

  const redisAddress = await startRedis();
  const ports: Ports = {
    api: await choosePort('MIRRORBALL_DEMO_PORT', 8080),
    admin: await choosePort('MIRRORBALL_DEMO_ADMIN_PORT', 8081),
    worker: await choosePort('', 8082),
    scanner: await choosePort('', 8083),
    rpc: await choosePort('', 3390),
  };
  const token = adminToken();
  const text = configText(redisAddress, ports, token);
  const config = parseConfig(text, {}, { cwd: ROOT });
  fs.writeFileSync(CONFIG_FILE, text);
  say(`config written to ${CONFIG_FILE}`);

  const redis = createRedis(config, { purpose: 'main', onError: () => {} });
  redisClient = redis;
  await waitReady(redis, 15_000).catch((e: Error) => fail(`cannot reach Redis at ${redisAddress}: ${e.message}`));
  // Before writing anything: a fresh database must be stamped as schema 2, or the apps would take
  // our mirrors for an old layout and "upgrade" them.
  await ensureSchema(redis);

  // Demo mirrors: local HTTP servers, placed on the map by demo/mirrors.json.
  const registered: Mirror[] = [];
  for (const spec of readDemoMirrors()) {
    const server = await startDemoMirror(spec);
    registered.push(await registerMirror(redis, mirrorRecord(spec, server.url)));
  }

  // Index the repository: the scanner app when it exists, else the same library in-process.
  if (!(await scannerOnce())) {
    const r = await runIndex({ redis, source: new LocalDirectorySource(DEMO_REPO), hashes: { sha1: true, sha256: true, md5: true } });
    say(`indexed demo/repository in-process: ${r.files} files`);
  }

  // One HTTP scan and health check per mirror now, so that the first redirect works at once.
  for (const m of registered) {
    try {
      const r = await scanMirror(redis, m, { protocols: 'http', config });
      const up = await checkHealth(redis, m);
      say(`mirror ${m.name} (${m.httpURL}): ${r.filesIndexed} files, ${up ? 'up' : 'down'}`);
    } catch (e) {
      say(`mirror ${m.name}: first scan failed: ${(e as Error).message}`);
    }
  }

  const missing: string[] = [];
  if (!startApp('scanner')) missing.push('scanner');
  if (!startApp('worker')) missing.push('worker');
  const api = startApp('api');
  if (!api) missing.push('api');
  if (missing.length) say(`not started (apps/<name>/src/main.ts not found): ${missing.join(', ')}`);

  if (api && !(await waitForPort(ports.api, 60_000, api))) {
    say('the api did not come up; see its output above');
    await stopAll(1);
  }
  banner(ports, token, registered, api !== null);
}

function banner(ports: Ports, token: string, ms: Mirror[], apiUp: boolean): void {
  const base = `http://127.0.0.1:${ports.api}`;
  const admin = `http://127.0.0.1:${ports.admin}`;
  const lines = [
    '',
    apiUp ? `Mirrorball is ready on ${base}` : 'Mirrorball api is NOT running (apps/api/src/main.ts missing); mirrors and Redis are up.',
    '',
    '  Try:',
    `    curl -sI ${base}${SAMPLE_FILE}                         # 302 to a demo mirror`,
    `    ${base}${SAMPLE_FILE}?mirrorlist                       # HTML mirror list`,
    `    ${base}${SAMPLE_FILE}?mirrorlist&fromip=81.2.69.142    # ... as seen from London`,
    `    ${base}/?mirrorstats                                   # mirror statistics`,
    `    curl -s ${base}${SAMPLE_FILE}?sha256                    # checksum`,
    `    curl -s -H 'Accept: application/json' ${base}${SAMPLE_FILE}   # selection as JSON`,
    `    aria2c ${base}${SAMPLE_FILE}?metalink                   # Metalink v4`,
    `    ${admin}/metrics                                    # Prometheus metrics (also /healthz, /readyz)`,
    `    curl -H 'Authorization: Bearer ${token}' ${admin}/api/v1/mirrors   # admin API (spec: /api/v1/openapi.json)`,
    '',
    '  Demo mirrors:',
    ...ms.map((m) => `    ${m.name.padEnd(14)} ${m.httpURL.padEnd(32)} ${m.countryCodes}`),
    '',
    `  Data: ${DATA}   Config: ${CONFIG_FILE}`,
    '  Ctrl-C stops everything.',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`[start] ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  void stopAll(1);
});
