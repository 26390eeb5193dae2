import net from 'node:net';
import { ScanAbortedError } from './errors.ts';

export class FtpReplyError extends Error {
  override readonly name = 'FtpReplyError';
  constructor(readonly code: number, readonly text: string, readonly command: string) {
    super(`${command.split(' ')[0]}: ${code} ${text}`);
  }
}

export interface FtpReply {
  code: number;
  /** Every line of the reply, including the code prefixes. */
  lines: string[];
  text: string;
}

export interface FtpConnectOptions {
  host: string;
  port: number;
  /** Contract §8.4: 5 s. */
  connectTimeoutMs?: number;
  /** Contract §8.4: 30 s per read/write. */
  opTimeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * A minimal FTP client (RFC 959 + EPSV/PASV, FEAT, MLSD, MDTM): just what listing a mirror needs.
 * Plain FTP only (Mirrorbits has no FTPS).
 */
export class FtpClient {
  private buffer = '';
  private waiters: Array<() => void> = [];
  private closedError: Error | null = null;

  private constructor(private readonly socket: net.Socket, private readonly opts: Required<Omit<FtpConnectOptions, 'signal'>> & { signal?: AbortSignal }) {
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      this.buffer += d;
      this.wake();
    });
    const closed = (e?: Error) => {
      this.closedError ??= e ?? new Error('connection closed by the server');
      this.wake();
    };
    socket.on('error', closed);
    socket.on('close', () => closed());
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  static async connect(o: FtpConnectOptions): Promise<FtpClient> {
    // `??`, not a spread: an explicit `undefined` must not replace a default (setTimeout(undefined) fires at once).
    const opts = { ...o, connectTimeoutMs: o.connectTimeoutMs ?? 5_000, opTimeoutMs: o.opTimeoutMs ?? 30_000 };
    const socket = await openSocket(opts.host, opts.port, opts.connectTimeoutMs, opts.signal);
    const c = new FtpClient(socket, opts);
    const greeting = await c.reply('(greeting)');
    if (greeting.code !== 220) {
      c.close();
      throw new FtpReplyError(greeting.code, greeting.text, '(greeting)');
    }
    return c;
  }

  /** Read one (possibly multi-line) reply. */
  private async reply(command: string): Promise<FtpReply> {
    const deadline = Date.now() + this.opts.opTimeoutMs;
    const lines: string[] = [];
    for (;;) {
      const nl = this.buffer.indexOf('\n');
      if (nl >= 0) {
        const line = this.buffer.slice(0, nl).replace(/\r$/, '');
        this.buffer = this.buffer.slice(nl + 1);
        lines.push(line);
        const first = lines[0]!;
        const m = /^(\d{3})([ -])/.exec(first);
        if (!m) throw new Error(`invalid FTP reply to ${command}: ${JSON.stringify(first)}`);
        if (m[2] === ' ' || (lines.length > 1 && line.startsWith(m[1]! + ' '))) {
          return { code: Number(m[1]), lines, text: line.slice(4) };
        }
        continue;
      }
      if (this.closedError) throw this.closedError;
      if (this.opts.signal?.aborted) throw new ScanAbortedError();
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timeout waiting for the reply to ${command.split(' ')[0]}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        const onAbort = () => resolve();
        this.opts.signal?.addEventListener('abort', onAbort, { once: true });
        this.waiters.push(() => {
          clearTimeout(t);
          this.opts.signal?.removeEventListener('abort', onAbort);
          resolve();
        });
      });
    }
  }

  async send(command: string): Promise<FtpReply> {
    if (this.closedError) throw this.closedError;
    this.socket.write(command + '\r\n');
    return this.reply(command.startsWith('PASS ') ? 'PASS' : command);
  }

  /** Send and require a 2xx/3xx reply. */
  async expect(command: string, ok: (code: number) => boolean = (c) => c < 400): Promise<FtpReply> {
    const r = await this.send(command);
    if (!ok(r.code)) throw new FtpReplyError(r.code, r.text, command.startsWith('PASS ') ? 'PASS' : command);
    return r;
  }

  async login(user: string, password: string): Promise<void> {
    const r = await this.expect(`USER ${user}`);
    if (r.code === 331 || r.code === 332) await this.expect(`PASS ${password}`, (c) => c >= 200 && c < 300);
  }

  /** Upper-cased feature names from FEAT (empty when FEAT is refused). */
  async features(): Promise<Set<string>> {
    const r = await this.send('FEAT');
    const out = new Set<string>();
    if (r.code !== 211) return out;
    for (const l of r.lines.slice(1, -1)) {
      const name = l.trim().split(/\s+/)[0];
      if (name) out.add(name.toUpperCase());
    }
    return out;
  }

  async pwd(): Promise<string> {
    const r = await this.expect('PWD', (c) => c === 257);
    const m = /"((?:[^"]|"")*)"/.exec(r.text);
    if (!m) throw new Error(`cannot read the PWD reply: ${r.text}`);
    return m[1]!.replace(/""/g, '"');
  }

  /** Run a listing command (`MLSD x`, `LIST -a x`) over a passive data connection; returns the raw bytes. */
  async list(command: string): Promise<Buffer> {
    const data = await this.openData();
    try {
      const chunks: Buffer[] = [];
      const done = new Promise<void>((resolve, reject) => {
        data.on('data', (c: Buffer) => chunks.push(c));
        data.once('end', () => resolve());
        data.once('error', reject);
      });
      done.catch(() => {});
      const r = await this.send(command);
      if (r.code >= 400) throw new FtpReplyError(r.code, r.text, command);
      if (r.code < 200) {
        await withTimeout(done, this.opts.opTimeoutMs, `timeout reading the ${command.split(' ')[0]} data`);
        const end = await this.reply(command);
        if (end.code >= 400) throw new FtpReplyError(end.code, end.text, command);
      } else {
        await withTimeout(done, this.opts.opTimeoutMs, `timeout reading the ${command.split(' ')[0]} data`);
      }
      return Buffer.concat(chunks);
    } finally {
      data.destroy();
    }
  }

  private async openData(): Promise<net.Socket> {
    let port: number | null = null;
    let host = this.opts.host;
    const e = await this.send('EPSV');
    const em = /\(\|\|\|(\d+)\|\)/.exec(e.text);
    if (e.code === 229 && em) port = Number(em[1]);
    else {
      const p = await this.expect('PASV', (c) => c === 227);
      const pm = /(\d+),(\d+),(\d+),(\d+),(\d+),(\d+)/.exec(p.text);
      if (!pm) throw new Error(`cannot read the PASV reply: ${p.text}`);
      port = Number(pm[5]) * 256 + Number(pm[6]);
      // Use the control connection's host: servers behind NAT announce unusable addresses.
      host = this.opts.host;
    }
    try {
      return await openSocket(host, port, this.opts.connectTimeoutMs, this.opts.signal);
    } catch (err) {
      if (err instanceof ScanAbortedError) throw err;
      throw new Error(`data connection: ${(err as Error).message}`);
    }
  }

  close(): void {
    if (!this.socket.destroyed) {
      this.socket.end('QUIT\r\n');
      this.socket.destroy();
    }
  }
}

function openSocket(host: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new ScanAbortedError());
    const s = net.connect({ host, port });
    const fail = (e: Error) => {
      clearTimeout(t);
      signal?.removeEventListener('abort', onAbort);
      s.destroy();
      reject(e);
    };
    const onAbort = () => fail(new ScanAbortedError());
    const t = setTimeout(() => fail(new Error(`connect to ${host}:${port}: timeout`)), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    s.once('error', (e) => fail(e));
    s.once('connect', () => {
      clearTimeout(t);
      signal?.removeEventListener('abort', onAbort);
      s.removeAllListeners('error');
      resolve(s);
    });
  });
}

async function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => { t = setTimeout(() => reject(new Error(message)), ms); })]);
  } finally {
    clearTimeout(t);
  }
}
