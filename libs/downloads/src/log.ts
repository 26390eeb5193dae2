/**
 * Download log (contract §12.2): `<LogDir>/downloads.log`, append mode, 0664, three header lines
 * on a new/empty file, one line per REDIRECT/JSON answer, reopened on SIGUSR1/SIGHUP.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface LogMirror {
  name: string;
  asnum: number;
  countryList: readonly string[];
}

export interface LogEntry {
  type: 'REDIRECT' | 'JSON';
  status: number;
  method: string;
  path: string;
  ip: string;
  /** The first mirror of the list (redirect target), if any. */
  mirror?: LogMirror | null;
  distance?: number;
  clientAsn?: number;
  fallback?: boolean;
  error?: string;
}

const p2 = (n: number) => (n < 10 ? '0' : '') + n;

/** `YYYY/MM/DD HH:MM:SS` in local time. */
export function logDate(d: Date): string {
  return `${d.getFullYear()}/${p2(d.getMonth() + 1)}/${p2(d.getDate())} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}`;
}

/** The line after the timestamp prefix (no newline). */
export function formatLogEntry(e: LogEntry): string {
  let line = `${e.type} ${e.status} ${e.method} "${e.path}" ip:${e.ip}`;
  const m = e.mirror;
  if ((e.status === 302 || e.status === 200) && m) {
    const same = m.asnum !== 0 && m.asnum === (e.clientAsn ?? 0) ? 'same' : '';
    line += ` mirror:${m.name}${e.fallback ? ' fallback:true' : ''} ${same}asn:${m.asnum}` +
      ` distance:${Math.fround(e.distance ?? 0).toFixed(2)}km countries:${m.countryList.join(',')}`;
  } else if (e.status === 404) {
    // nothing more
  } else if (e.status === 500) {
    line += ` mirror:${m?.name ?? 'unknown'} error:${e.error ?? ''}`;
  } else {
    line += ` error:${e.error || '<unknown>'}`;
  }
  return line;
}

export class DownloadLog {
  private stream: fs.WriteStream | null = null;
  readonly file: string;

  constructor(dir: string) {
    this.file = path.join(dir, 'downloads.log');
    this.open();
  }

  private open(): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    let empty = true;
    try {
      empty = fs.statSync(this.file).size === 0;
    } catch {
      // new file
    }
    const stream = fs.createWriteStream(this.file, { flags: 'a', mode: 0o664 });
    stream.on('error', () => undefined); // a full disk must not crash the redirector
    if (empty) {
      stream.write(
        `# Log file created at: ${logDate(new Date())}\n# Running on machine: ${os.hostname()}\n` +
        `# Binary: Built with node ${process.version} for ${process.platform}/${process.arch}\n`,
      );
    }
    this.stream = stream;
  }

  write(e: LogEntry, now = new Date()): void {
    if (!this.stream) return;
    const micros = String(now.getMilliseconds() * 1000).padStart(6, '0');
    this.stream.write(`${logDate(now)}.${micros} ${formatLogEntry(e)}\n`);
  }

  /** Reopen after rotation (logrotate moved the file away). */
  reopen(): void {
    const old = this.stream;
    this.open();
    old?.end();
  }

  close(): Promise<void> {
    const s = this.stream;
    this.stream = null;
    return new Promise((r) => (s ? s.end(r) : r()));
  }
}
