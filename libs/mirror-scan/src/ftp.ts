import { ZERO_TIME, type GoTime } from '@mirrorball/gofmt';
import { SYNC_PROTOCOL } from '@mirrorball/model';
import { ScanAbortedError, ScanError } from './errors.ts';
import { FtpClient, FtpReplyError } from './ftp-client.ts';
import { parseListLine, parseMdtm, parseMlsdLine, type FtpEntry } from './ftp-listing.ts';
import { flattenBatches, NS_PER_MS, NS_PER_SEC, SILENT_LOG, type ListedFile, type MirrorListing, type ScanLog } from './types.ts';

export interface FtpListOptions {
  signal?: AbortSignal;
  log?: ScanLog;
  connectTimeoutMs?: number;
  opTimeoutMs?: number;
}

export interface FtpTarget { host: string; port: number; user: string; password: string; path: string }

/** `ftp://[user[:pass]@]host[:port]/path/`; anonymous/anonymous and port 21 by default. */
export function parseFtpUrl(url: string): FtpTarget {
  if (!url.startsWith('ftp://')) throw new ScanError('invalid FTP URL: it must start with ftp://', true);
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ScanError('invalid FTP URL', true);
  }
  const dec = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : 21,
    user: u.username ? dec(u.username) : 'anonymous',
    password: u.password ? dec(u.password) : 'anonymous',
    path: dec(u.pathname) || '/',
  };
}

/**
 * List a mirror over FTP (contract §8.4): FEAT, CWD/PWD, recursive MLSD (or `LIST -a`, or
 * `LIST`), MDTM per file for the mtime (1 ms precision once a sub-second part is seen), else the
 * MLSD `modify` fact, else no time at all.
 */
export function listFtp(url: string, opts: FtpListOptions = {}): MirrorListing {
  const log = opts.log ?? SILENT_LOG;
  const target = parseFtpUrl(url);
  let skipped = 0;
  let precisionNs = 0;
  return {
    protocol: SYNC_PROTOCOL.FTP,
    get precisionNs() { return precisionNs; },
    get skipped() { return skipped; },
    files() {
      return flattenBatches(this.batches());
    },
    async *batches(): AsyncGenerator<ListedFile[]> {
      const { signal } = opts;
      let c: FtpClient | null = null;
      try {
        log.info('Requesting file list via FTP...');
        c = await FtpClient.connect({ host: target.host, port: target.port, signal, connectTimeoutMs: opts.connectTimeoutMs, opTimeoutMs: opts.opTimeoutMs });
        await c.login(target.user, target.password);
        const feats = await c.features();
        const mlst = feats.has('MLST');
        const mdtm = feats.has('MDTM');
        if (!mlst || !mdtm) log.warn(`FTP server lacks ${[!mlst && 'MLST', !mdtm && 'MDTM'].filter(Boolean).join(' and ')}: consider using rsync`);
        await c.expect(`CWD ${target.path}`);
        const root = (await c.pwd()).replace(/\/+$/, '');
        let listCmd = mlst ? 'MLSD' : 'LIST -a';
        const stack = [root + '/'];
        while (stack.length) {
          if (signal?.aborted) throw new ScanAbortedError();
          const dir = stack.pop()!;
          let raw: Buffer;
          // CWD, then list without an argument: several servers split LIST arguments on spaces.
          await c.expect(`CWD ${dir}`);
          try {
            raw = await c.list(listCmd);
          } catch (e) {
            if (listCmd === 'LIST -a' && e instanceof FtpReplyError && e.code >= 500) {
              listCmd = 'LIST'; // `-a` refused: plain LIST from now on
              raw = await c.list(listCmd);
            } else throw e;
          }
          const out: ListedFile[] = [];
          for (const line of raw.toString('utf8').split(/\r?\n/)) {
            if (!line) continue;
            const entry: FtpEntry | null = listCmd === 'MLSD' ? parseMlsdLine(line) : parseListLine(line);
            if (!entry) {
              if (!/^total \d+/.test(line)) {
                skipped++;
                log.warn(`FTP: skipping unrecognised listing line ${JSON.stringify(line)}`);
              }
              continue;
            }
            if (entry.name === '.' || entry.name === '..' || entry.type === 'skip' || entry.type === 'link') continue;
            const full = dir + entry.name;
            if (entry.type === 'dir') {
              stack.push(full + '/');
              continue;
            }
            if (entry.badModify) {
              skipped++;
              continue;
            }
            let modTime: GoTime = ZERO_TIME;
            let zone: string | undefined;
            if (mdtm) {
              const r = await c.send(`MDTM ${full}`);
              const t = r.code === 213 ? parseMdtm(r.text) : null;
              if (t) {
                modTime = t;
                zone = 'GMT'; // as Mirrorbits stores MDTM times
                if (t.nsec % NS_PER_SEC !== 0 && t.nsec !== 0) precisionNs = NS_PER_MS;
                else if (precisionNs === 0) precisionNs = NS_PER_SEC;
              }
            }
            if (modTime === ZERO_TIME && mlst && entry.modify !== undefined) {
              modTime = { sec: entry.modify, nsec: 0 };
              if (precisionNs === 0) precisionNs = NS_PER_SEC;
            }
            out.push(zone ? { path: full.slice(root.length), size: entry.size, modTime, zone } : { path: full.slice(root.length), size: entry.size, modTime });
          }
          if (out.length) yield out;
        }
      } catch (e) {
        if (signal?.aborted || e instanceof ScanAbortedError) throw new ScanAbortedError();
        if (e instanceof ScanError) throw e;
        throw new ScanError(`ftp: ${(e as Error).message}`);
      } finally {
        c?.close();
      }
    },
  };
}
