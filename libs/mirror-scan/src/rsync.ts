import { spawn } from 'node:child_process';
import readline from 'node:readline';
import { SYNC_PROTOCOL } from '@mirrorball/model';
import { findBinary } from './binary.ts';
import { ScanAbortedError, ScanError } from './errors.ts';
import { parseRsyncLine } from './rsync-line.ts';
import { flattenBatches, NS_PER_SEC, SILENT_LOG, type ListedFile, type MirrorListing, type ScanLog } from './types.ts';

export interface RsyncCommand {
  program: 'rsync' | 'rsync-ssl';
  args: string[];
  env: Record<string, string>;
}

/** Contract §8.3: program, arguments and the child's complete environment for a mirror's rsync URL. */
export function rsyncCommand(url: string): RsyncCommand {
  const m = /^(rsyncs?):\/\/(?:([^@/]*)@)?(.*)$/.exec(url);
  if (!m) throw new ScanError('invalid rsync URL: it must start with rsync:// or rsyncs://', true);
  const [, scheme, userinfo, rest] = m as unknown as [string, string, string | undefined, string];
  const env: Record<string, string> = {};
  if (userinfo !== undefined && userinfo !== '') {
    const colon = userinfo.indexOf(':');
    const user = colon < 0 ? userinfo : userinfo.slice(0, colon);
    if (user) env.USER = unescape(user);
    if (colon >= 0) env.RSYNC_PASSWORD = unescape(userinfo.slice(colon + 1));
  }
  env.TZ = 'UTC'; // rsync prints times in the client's zone
  const ssl = scheme === 'rsyncs';
  const args = ['-r', '--no-motd', '--exclude=.~tmp~/'];
  args.push(...(ssl ? ['--timeout=60'] : ['--timeout=30', '--contimeout=30']));
  args.push(`rsync://${rest}`);
  return { program: ssl ? 'rsync-ssl' : 'rsync', args, env };
}

function unescape(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Contract §8.3 exit statuses; 0 and 23 are successes. */
export function rsyncExitMessage(code: number): string {
  switch (code) {
    case 5: return 'rsync: Error starting client-server protocol';
    case 10: return 'rsync: Error in socket I/O';
    case 11: return 'rsync: Error in file I/O';
    case 30: return 'rsync: Timeout in data send/receive';
    case 35: return 'Timeout waiting for daemon connection';
    default: return `rsync: exit status ${code}`;
  }
}

export interface RsyncListOptions {
  signal?: AbortSignal;
  log?: ScanLog;
  /** Override the program (tests); defaults to `rsync` / `rsync-ssl` from PATH. */
  binary?: string;
}

/** List a mirror over rsync, streaming stdout line by line (modules of 100 000+ files). */
export function listRsync(url: string, opts: RsyncListOptions = {}): MirrorListing {
  const log = opts.log ?? SILENT_LOG;
  const cmd = rsyncCommand(url);
  let skipped = 0;
  return {
    protocol: SYNC_PROTOCOL.RSYNC,
    precisionNs: NS_PER_SEC, // rsync prints whole seconds
    get skipped() { return skipped; },
    files() {
      return flattenBatches(this.batches());
    },
    async *batches(): AsyncGenerator<ListedFile[]> {
      const { signal } = opts;
      if (signal?.aborted) throw new ScanAbortedError();
      log.info(`Requesting file list via ${cmd.program}...`);
      const child = spawn(opts.binary ?? findBinary(cmd.program), cmd.args, {
        env: cmd.env,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true, // own process group: rsync forks, and a kill must reach every part of it
      });
      const exit = new Promise<{ code: number | null; error?: Error }>((resolve) => {
        child.once('error', (error) => resolve({ code: null, error }));
        child.once('exit', (code) => resolve({ code }));
      });
      const stderr: string[] = [];
      let stderrBytes = 0;
      child.stderr.setEncoding('utf8');
      const errLines = readline.createInterface({ input: child.stderr, crlfDelay: Infinity });
      errLines.on('line', (l) => {
        if (stderrBytes < 1 << 20) stderr.push(l); // keep memory bounded on a very noisy mirror
        stderrBytes += l.length;
      });
      const stderrDone = new Promise((resolve) => errLines.once('close', resolve));
      const kill = () => {
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
        errLines.close();
        child.stdout.destroy();
        child.stderr.destroy();
      };
      signal?.addEventListener('abort', kill, { once: true });
      try {
        // Split stdout by hand (no readline): one batch per chunk, lines decoded as latin1 so that
        // `\#ooo` escapes and raw bytes both come back as bytes.
        let rest: Buffer | null = null;
        const handle = (line: string, out: ListedFile[]) => {
          const r = parseRsyncLine(line.endsWith('\r') ? line.slice(0, -1) : line);
          if (r.kind === 'file') out.push(r.file);
          else if (r.kind === 'bad') {
            skipped++;
            if (skipped <= 20) log.warn(`rsync: skipping line (${r.reason}): ${JSON.stringify(line)}`);
          }
        };
        for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
          if (signal?.aborted) break;
          const buf: Buffer = rest ? Buffer.concat([rest, chunk]) : chunk;
          const out: ListedFile[] = [];
          let start = 0;
          for (let nl = buf.indexOf(10, start); nl >= 0; nl = buf.indexOf(10, start)) {
            handle(buf.toString('latin1', start, nl), out);
            start = nl + 1;
          }
          rest = start < buf.length ? buf.subarray(start) : null;
          if (out.length) yield out;
        }
        if (rest && !signal?.aborted) {
          const out: ListedFile[] = [];
          handle(rest.toString('latin1'), out);
          if (out.length) yield out;
        }
        const { code, error } = await exit;
        if (signal?.aborted) throw new ScanAbortedError();
        await stderrDone;
        if (error) throw new ScanError(`${cmd.program}: ${error.message}`);
        if (code === 23) {
          // Mirrorbits matches `: opendir `; rsync ≥ 3.2 prints `rsync: [sender] opendir "x" … failed`.
          for (const l of stderr) if (/(: |\] )opendir /.test(l)) log.warn(l);
          log.warn('rsync: partial listing (exit 23): some entries could not be read');
        } else if (code !== 0) {
          const detail = stderr.filter((l) => l.trim()).slice(-3).join(' | ');
          if (detail) log.warn(`rsync stderr: ${detail}`);
          throw new ScanError(code === null ? 'rsync: killed' : rsyncExitMessage(code));
        }
        if (skipped > 20) log.warn(`rsync: ${skipped} lines skipped in total`);
      } catch (e) {
        if (signal?.aborted) throw new ScanAbortedError();
        throw e;
      } finally {
        signal?.removeEventListener('abort', kill);
        if (child.exitCode === null && child.signalCode === null) kill();
        child.unref();
      }
    },
  };
}
