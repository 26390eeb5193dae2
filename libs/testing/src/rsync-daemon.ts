import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, waitForPort } from './ports.ts';

export interface RsyncModule {
  path: string;
  /** Run this module as another user (e.g. `nobody`), so chmod 000 directories really fail (exit 23). */
  uid?: string;
  gid?: string;
  /** `user:password` pairs; sets `auth users` and a secrets file. */
  auth?: { user: string; password: string };
  /** Extra raw `key = value` lines for this module. */
  extra?: Record<string, string>;
}

export interface RsyncDaemonOptions {
  modules: Record<string, string | RsyncModule>;
  port?: number;
}

/** A real `rsync --daemon` on 127.0.0.1 and a free port, owned by the test that started it. */
export class RsyncDaemon {
  readonly host = '127.0.0.1';
  private child: ChildProcess | null = null;
  private constructor(readonly port: number, readonly dir: string, private readonly configFile: string) {}

  /** `rsync://127.0.0.1:<port>/<module>/`, with `user:pass@` when given. */
  url(module: string, auth?: { user: string; password: string }): string {
    const cred = auth ? `${encodeURIComponent(auth.user)}:${encodeURIComponent(auth.password)}@` : '';
    return `rsync://${cred}${this.host}:${this.port}/${module}/`;
  }

  static async start(opts: RsyncDaemonOptions): Promise<RsyncDaemon> {
    const port = opts.port ?? (await freePort());
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-rsyncd-'));
    const lines = [
      `address = 127.0.0.1`, `port = ${port}`, `use chroot = no`, `uid = root`, `gid = root`,
      `pid file = ${path.join(dir, 'rsyncd.pid')}`, `log file = ${path.join(dir, 'rsyncd.log')}`,
      `read only = yes`, `list = yes`,
    ];
    for (const [name, spec] of Object.entries(opts.modules)) {
      const m = typeof spec === 'string' ? { path: spec } : spec;
      lines.push('', `[${name}]`, `path = ${m.path}`);
      if (m.uid) lines.push(`uid = ${m.uid}`);
      if (m.gid) lines.push(`gid = ${m.gid}`);
      if (m.auth) {
        const secrets = path.join(dir, `${name}.secrets`);
        fs.writeFileSync(secrets, `${m.auth.user}:${m.auth.password}\n`, { mode: 0o600 });
        lines.push(`auth users = ${m.auth.user}`, `secrets file = ${secrets}`);
      }
      for (const [k, v] of Object.entries(m.extra ?? {})) lines.push(`${k} = ${v}`);
    }
    const configFile = path.join(dir, 'rsyncd.conf');
    fs.writeFileSync(configFile, lines.join('\n') + '\n');
    const d = new RsyncDaemon(port, dir, configFile);
    await d.spawn();
    return d;
  }

  private async spawn(): Promise<void> {
    const child = spawn('rsync', ['--daemon', '--no-detach', `--config=${this.configFile}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child = child;
    let stderr = '';
    child.stderr?.on('data', (d) => (stderr += d));
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`rsync daemon exited (${code}): ${stderr}`))),
    );
    exited.catch(() => {});
    await Promise.race([waitForPort(this.port), exited]);
  }

  /** Kill the daemon (SIGKILL). Connections in progress break. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const done = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await done;
    this.child = null;
  }

  async restart(): Promise<void> {
    await this.kill();
    await this.spawn();
  }

  async stop(): Promise<void> {
    await this.kill();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
