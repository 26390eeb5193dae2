import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort, waitForPort } from './ports.ts';

export interface FtpServerOptions {
  /** Directory served (must be readable by `nobody`: the virtual user runs as nobody). */
  root: string;
  user?: string;
  password?: string;
  /**
   * Hide features to imitate older servers: `mlst: false` drops MLST from FEAT and refuses
   * MLSD/MLST; `mdtm: false` drops MDTM and refuses it. Done by a control-channel relay in front
   * of pure-ftpd (data connections go straight to pure-ftpd's passive ports, announced by EPSV).
   */
  features?: { mlst?: boolean; mdtm?: boolean };
}

/** A real pure-ftpd on 127.0.0.1 with one virtual user, owned by the test that started it. */
export class FtpServer {
  readonly host = '127.0.0.1';
  private relay: net.Server | null = null;
  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly port: number,
    readonly user: string,
    readonly password: string,
  ) {}

  /** `ftp://user:password@127.0.0.1:port/<sub>`. */
  url(sub = '/'): string {
    return `ftp://${encodeURIComponent(this.user)}:${encodeURIComponent(this.password)}@${this.host}:${this.port}${sub}`;
  }

  static async start(opts: FtpServerOptions): Promise<FtpServer> {
    const user = opts.user ?? 'mirror';
    const password = opts.password ?? 'mirror-pw';
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-ftpd-'));
    const passwd = path.join(dir, 'pureftpd.passwd');
    const db = path.join(dir, 'pureftpd.pdb');
    // pure-pw hashes with argon2id (≈1.5 s, paid again at every login): write the entry with a
    // cheap SHA-512 crypt hash instead (same passwd format as `pure-pw useradd -u nobody`).
    const hash = execFileSync('openssl', ['passwd', '-6', '-stdin'], { input: password, encoding: 'utf8' }).trim();
    fs.writeFileSync(passwd, `${user}:${hash}:65534:65534::${path.resolve(opts.root)}/./::::::::::::\n`, { mode: 0o600 });
    execFileSync('pure-pw', ['mkdb', db, '-f', passwd], { stdio: ['ignore', 'ignore', 'pipe'] });
    const serverPort = await freePort();
    const passive = 20000 + Math.floor(Math.random() * 20000);
    const child = spawn('/usr/sbin/pure-ftpd', [
      '-S', `127.0.0.1,${serverPort}`, '-l', `puredb:${db}`, '-E', '-H', '-A',
      '-p', `${passive}:${passive + 200}`, '-c', '50', '-C', '50', '-I', '60',
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d) => (stderr += d));
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`pure-ftpd exited (${code}): ${stderr}`))),
    );
    exited.catch(() => {});
    await Promise.race([waitForPort(serverPort), exited]);
    const f = opts.features ?? {};
    if (f.mlst === false || f.mdtm === false) {
      const port = await freePort();
      const s = new FtpServer(child, dir, port, user, password);
      s.relay = startRelay(port, serverPort, { mlst: f.mlst !== false, mdtm: f.mdtm !== false });
      await waitForPort(port);
      return s;
    }
    return new FtpServer(child, dir, serverPort, user, password);
  }

  async stop(): Promise<void> {
    this.relay?.close();
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const done = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGTERM');
      await done;
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Line relay for the control connection that hides MLST/MDTM. */
function startRelay(port: number, upstreamPort: number, keep: { mlst: boolean; mdtm: boolean }): net.Server {
  const server = net.createServer((client) => {
    const up = net.connect(upstreamPort, '127.0.0.1');
    let lastCommand = '';
    let upBuf = '';
    let clientBuf = '';
    client.on('error', () => up.destroy());
    up.on('error', () => client.destroy());
    client.on('close', () => up.destroy());
    up.on('close', () => client.destroy());
    up.on('data', (d) => {
      upBuf += d.toString('latin1');
      let nl: number;
      while ((nl = upBuf.indexOf('\n')) >= 0) {
        const line = upBuf.slice(0, nl + 1);
        upBuf = upBuf.slice(nl + 1);
        const feat = line.trim().split(/\s+/)[0]?.toUpperCase();
        if (lastCommand === 'FEAT' && /^ /.test(line) && ((!keep.mlst && feat === 'MLST') || (!keep.mdtm && feat === 'MDTM'))) continue;
        client.write(Buffer.from(line, 'latin1'));
      }
    });
    client.on('data', (d) => {
      clientBuf += d.toString('latin1');
      let nl: number;
      while ((nl = clientBuf.indexOf('\n')) >= 0) {
        const line = clientBuf.slice(0, nl + 1);
        clientBuf = clientBuf.slice(nl + 1);
        const cmd = line.trim().split(/\s+/)[0]?.toUpperCase() ?? '';
        lastCommand = cmd;
        if ((!keep.mlst && (cmd === 'MLSD' || cmd === 'MLST')) || (!keep.mdtm && cmd === 'MDTM')) {
          client.write(`500 Unknown command\r\n`);
          continue;
        }
        up.write(Buffer.from(line, 'latin1'));
      }
    });
  });
  server.listen(port, '127.0.0.1');
  return server;
}
