import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, waitForPort } from './ports.ts';
import { redisServerBinary } from './redis-server.ts';

export interface RedisSentinelOptions {
  /** Port of the master to monitor (on 127.0.0.1). */
  masterPort: number;
  /** Master group name (default `mymaster`). */
  masterName?: string;
  /** Password the master requires (`sentinel auth-pass`). */
  masterPassword?: string;
  /** Password clients must give to the sentinel itself (`requirepass`). */
  password?: string;
}

/** A real Redis Sentinel (`redis-server <conf> --sentinel`) on 127.0.0.1 and a free port, owned by the test. */
export class RedisSentinel {
  readonly host = '127.0.0.1';
  private constructor(readonly port: number, readonly dir: string, readonly masterName: string, private child: ChildProcess) {}

  /** `host:port`, the form of a `RedisSentinels` entry. */
  get address(): string {
    return `${this.host}:${this.port}`;
  }

  static async start(opts: RedisSentinelOptions): Promise<RedisSentinel> {
    const port = await freePort();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-sentinel-'));
    const name = opts.masterName ?? 'mymaster';
    const lines = [
      `port ${port}`, 'bind 127.0.0.1', `dir ${dir}`, 'loglevel warning',
      `sentinel monitor ${name} 127.0.0.1 ${opts.masterPort} 1`,
      `sentinel down-after-milliseconds ${name} 5000`,
    ];
    if (opts.masterPassword) lines.push(`sentinel auth-pass ${name} ${opts.masterPassword}`);
    if (opts.password) lines.push(`requirepass ${opts.password}`);
    // Sentinel rewrites its configuration file, so it must be a writable file of its own.
    const conf = path.join(dir, 'sentinel.conf');
    fs.writeFileSync(conf, lines.join('\n') + '\n');
    const child = spawn(redisServerBinary(), [conf, '--sentinel'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d) => (stderr += d));
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`redis sentinel exited (${code}): ${stderr}`))),
    );
    exited.catch(() => {});
    await Promise.race([waitForPort(port), exited]);
    return new RedisSentinel(port, dir, name, child);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child.exitCode === null && child.signalCode === null) {
      const done = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await done;
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
