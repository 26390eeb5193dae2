import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, waitForPort } from './ports.ts';

export interface RedisServerOptions {
  /** Extra `--key value` arguments, e.g. `{ requirepass: 'secret' }`. */
  args?: Record<string, string>;
  port?: number;
}

/** A private redis-server on 127.0.0.1 and a free port, owned by the test that started it. */
export class RedisServer {
  readonly host = '127.0.0.1';
  private child: ChildProcess | null = null;
  private constructor(readonly port: number, readonly dir: string, private readonly opts: RedisServerOptions) {}

  get url(): string {
    return `redis://${this.host}:${this.port}`;
  }

  get address(): string {
    return `${this.host}:${this.port}`;
  }

  static async start(opts: RedisServerOptions = {}): Promise<RedisServer> {
    const bin = redisServerBinary();
    const port = opts.port ?? (await freePort());
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-redis-'));
    const srv = new RedisServer(port, dir, opts);
    await srv.spawn(bin);
    return srv;
  }

  private async spawn(bin: string): Promise<void> {
    const args = [
      '--port', String(this.port), '--bind', this.host, '--save', '', '--appendonly', 'no',
      '--dir', this.dir, '--maxmemory-policy', 'noeviction', '--loglevel', 'warning',
    ];
    for (const [k, v] of Object.entries(this.opts.args ?? {})) args.push(`--${k}`, v);
    const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    let stderr = '';
    child.stderr?.on('data', (d) => (stderr += d));
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${stderr}`))),
    );
    await Promise.race([waitForPort(this.port), exited]);
    exited.catch(() => {});
  }

  /** Kill the server (SIGKILL, like a crash). Data is lost: the server runs without persistence. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const done = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await done;
    this.child = null;
  }

  /** Start again on the same port (after kill()). */
  async restart(): Promise<void> {
    await this.kill();
    await this.spawn(redisServerBinary());
  }

  async stop(): Promise<void> {
    await this.kill();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export function redisServerBinary(): string {
  for (const candidate of [process.env.REDIS_SERVER_BIN, '/usr/bin/redis-server', '/usr/local/bin/redis-server']) {
    if (candidate && fs.existsSync(candidate)) return candidate;
  }
  const which = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) return which.stdout.trim();
  throw new Error('redis-server not found: install it (apt-get install redis-server) or set REDIS_SERVER_BIN');
}
