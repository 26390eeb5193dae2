import { parseHttpDate, ZERO_TIME, type GoTime } from '@mirrorball/gofmt';
import { SYNC_PROTOCOL } from '@mirrorball/model';
import { ScanAbortedError, ScanError } from './errors.ts';
import { createAgents, httpRequest, type HttpResponse } from './http-client.ts';
import { parseListing } from './http-listing.ts';
import { rateLimiter } from './limiter.ts';
import { MIRRORBALL_VERSION } from './version.ts';
import { flattenBatches, NS_PER_SEC, SILENT_LOG, type ListedFile, type MirrorListing, type ScanLog } from './types.ts';

export interface HttpListOptions {
  signal?: AbortSignal;
  log?: ScanLog;
  /** Parallel requests to this mirror (config HttpScan.Concurrency). */
  concurrency?: number;
  /** Request starts per second (config HttpScan.RequestsPerSecond; 0 = unlimited). */
  requestsPerSecond?: number;
  /** HEAD files the listing does not date/size exactly (default true). */
  head?: boolean;
  /** Extra trusted CA certificates (PEM), e.g. a test CA; system CAs are always trusted. */
  ca?: string | Buffer | Array<string | Buffer>;
  maxDepth?: number;
  maxFiles?: number;
  timeoutMs?: number;
}

const USER_AGENT = `Mirrorball/${MIRRORBALL_VERSION} SCAN`;

/**
 * Crawl a mirror's autoindex pages (Mirrorball; Mirrorbits has no HTTP scanner). Only links below
 * the base URL are followed (no parent, no query links, no other hosts). Files whose listing row
 * lacks an exact size or a date with seconds are HEADed for Content-Length and Last-Modified.
 * `precisionNs` is the coarsest precision used: 60 s if any minute-only listing date was kept.
 * A scheme-less base tries https first and falls back to http when https is unreachable.
 */
export function listHttp(baseUrl: string, opts: HttpListOptions = {}): MirrorListing {
  const log = opts.log ?? SILENT_LOG;
  let skipped = 0;
  let precisionNs = 0;
  const notePrecision = (p: number) => { precisionNs = Math.max(precisionNs, p); };
  return {
    protocol: SYNC_PROTOCOL.HTTP,
    get precisionNs() { return precisionNs; },
    get skipped() { return skipped; },
    files() {
      return flattenBatches(this.batches());
    },
    async *batches(): AsyncGenerator<ListedFile[]> {
      const { signal } = opts;
      const concurrency = Math.max(1, opts.concurrency ?? 4);
      const agents = createAgents({ ca: opts.ca, maxSockets: concurrency });
      const limit = rateLimiter(opts.requestsPerSecond ?? 10, signal);
      const maxFiles = opts.maxFiles ?? 2_000_000;
      const maxDepth = opts.maxDepth ?? 64;
      const request = async (url: URL | string, method: 'GET' | 'HEAD'): Promise<HttpResponse> => {
        await limit();
        if (signal?.aborted) throw new ScanAbortedError();
        return httpRequest(url, {
          method, signal, agent: agents, maxRedirects: 5, timeoutMs: opts.timeoutMs ?? 30_000,
          headers: { 'User-Agent': USER_AGENT },
        });
      };
      try {
        let base = await resolveBase(baseUrl, request, log);
        log.info(`Requesting file list via HTTP from ${base.href}...`);
        const seenDirs = new Set<string>([base.pathname]);
        const queue: Array<() => Promise<void>> = [];
        const ready: ListedFile[] = [];
        let files = 0;
        let failure: unknown = null;

        const addFile = (f: ListedFile) => {
          if (++files > maxFiles) throw new ScanError(`HTTP scan: more than ${maxFiles} files, giving up`);
          ready.push(f);
        };
        const headFile = (url: URL, path: string) => async () => {
          const res = await request(url, 'HEAD');
          if (res.status === 404 || res.status === 410) {
            skipped++;
            log.warn(`HTTP scan: ${path} is listed but HEAD answers ${res.status}; skipped`);
            return;
          }
          if (res.status !== 200) throw new ScanError(`HTTP scan: HEAD ${path}: got status code ${res.status}`);
          const size = Number(res.headers['content-length']);
          if (!Number.isSafeInteger(size) || size < 0) {
            skipped++;
            log.warn(`HTTP scan: ${path}: no usable Content-Length; skipped`);
            return;
          }
          const lm = res.headers['last-modified'];
          const modTime: GoTime = (lm && parseHttpDate(lm)) || ZERO_TIME;
          if (modTime !== ZERO_TIME) notePrecision(NS_PER_SEC);
          addFile({ path, size, modTime });
        };
        const listDir = (url: URL, depth: number) => async () => {
          const res = await request(url, 'GET');
          if (res.status !== 200) throw new ScanError(`HTTP scan: listing ${url.pathname}: got status code ${res.status}`);
          const finalUrl = new URL(res.url);
          if (depth === 0 && finalUrl.href !== base.href && finalUrl.pathname.endsWith('/')) {
            // The mirror moved its root (e.g. `/` → `/pub/`): paths are relative to where it lives now.
            log.info(`HTTP scan: ${base.href} redirects to ${finalUrl.href}; listing from there`);
            base = finalUrl;
            seenDirs.add(base.pathname);
          }
          if (finalUrl.origin !== base.origin || !finalUrl.pathname.startsWith(base.pathname)) {
            log.warn(`HTTP scan: ${url.pathname} redirects outside the mirror (${finalUrl.href}); skipped`);
            return;
          }
          const links = parseListing(res.body.toString('utf8'));
          for (const link of links) {
            if (!link.href || link.href.includes('?') || link.href.startsWith('#')) continue;
            let target: URL;
            try {
              target = new URL(link.href, finalUrl);
            } catch {
              continue;
            }
            if (target.origin !== base.origin || target.search || !target.pathname.startsWith(base.pathname)) continue;
            if (target.pathname.length <= finalUrl.pathname.length) continue; // parent or self
            let rel: string;
            try {
              rel = decodeURIComponent(target.pathname.slice(base.pathname.length));
            } catch {
              skipped++;
              continue;
            }
            if (rel.split('/').some((seg) => seg === '..' || seg === '.')) continue;
            if (target.pathname.endsWith('/')) {
              if (seenDirs.has(target.pathname)) continue;
              seenDirs.add(target.pathname);
              if (depth + 1 > maxDepth) {
                log.warn(`HTTP scan: ${target.pathname} is deeper than ${maxDepth} levels; not listed`);
                continue;
              }
              queue.push(listDir(target, depth + 1));
              continue;
            }
            const path = '/' + rel;
            const precise = link.size !== undefined && link.date !== undefined && link.datePrecisionNs === NS_PER_SEC;
            if (precise || (opts.head === false && link.size !== undefined)) {
              notePrecision(link.date !== undefined ? link.datePrecisionNs! : 0);
              addFile({ path, size: link.size!, modTime: link.date !== undefined ? { sec: link.date, nsec: 0 } : ZERO_TIME });
            } else if (opts.head === false) {
              skipped++;
            } else {
              queue.push(headFile(target, path));
            }
          }
        };

        queue.push(listDir(base, 0));
        const running = new Set<Promise<void>>();
        while (queue.length || running.size || ready.length) {
          if (ready.length) yield ready.splice(0, ready.length);
          if (failure) throw failure;
          while (queue.length && running.size < concurrency) {
            const p: Promise<void> = queue.shift()!().then(
              () => { running.delete(p); },
              (e: unknown) => { running.delete(p); failure ??= e; },
            );
            running.add(p);
          }
          if (running.size) await Promise.race(running);
          if (failure) {
            await Promise.allSettled(running);
            throw signal?.aborted ? new ScanAbortedError() : failure;
          }
        }
        if (signal?.aborted) throw new ScanAbortedError();
      } catch (e) {
        if (e instanceof ScanAbortedError || e instanceof ScanError) throw e;
        if (signal?.aborted) throw new ScanAbortedError();
        throw new ScanError(`HTTP scan: ${(e as Error).message}`);
      } finally {
        agents.destroy();
      }
    },
  };
}

/** Scheme-less mirrors (`host/path/`): https when it answers at all, else http. */
async function resolveBase(
  baseUrl: string,
  request: (u: string, m: 'GET' | 'HEAD') => Promise<HttpResponse>,
  log: ScanLog,
): Promise<URL> {
  const withSlash = baseUrl.endsWith('/') ? baseUrl : baseUrl + '/';
  if (/^https?:\/\//i.test(withSlash)) return new URL(withSlash);
  try {
    await request(`https://${withSlash}`, 'HEAD');
    return new URL(`https://${withSlash}`);
  } catch (e) {
    if (e instanceof ScanAbortedError) throw e;
    log.info(`HTTP scan: https://${withSlash} unreachable (${(e as Error).message}); using http`);
    return new URL(`http://${withSlash}`);
  }
}
