/**
 * Fetch one byte range of a file from a mirror and SHA-256 it, reading no more than needed.
 * A mirror that ignores `Range` (200 with the whole body) is still checked by hashing the
 * range out of the stream, as long as the range ends within `maxFullBodyBytes`; beyond that
 * the check is an `error` (downloading a whole image to verify 64 KiB is not worth it).
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';

export interface RangeFetchOptions {
  userAgent: string;
  timeoutMs?: number;
  /** Trusted extra CA (tests' private CA). */
  agent?: https.Agent;
  /** Default 10 (content checks follow redirects: a client would too). */
  maxRedirects?: number;
  /** How far into a 200 response we read to find the range (default 32 MiB). */
  maxFullBodyBytes?: number;
  signal?: AbortSignal;
}

export type RangeDigest = { ok: true; sha256: string; ignoredRange: boolean } | { ok: false; error: string };

interface Range {
  start: number;
  end: number;
}

function once(url: URL, range: Range, o: RangeFetchOptions, deadline: number): Promise<RangeDigest | { redirect: string }> {
  return new Promise((resolve) => {
    const isHttps = url.protocol === 'https:';
    const req = (isHttps ? https : http).request(url, {
      method: 'GET',
      headers: { 'User-Agent': o.userAgent, Range: `bytes=${range.start}-${range.end}`, 'Accept-Encoding': 'identity' },
      agent: isHttps ? o.agent : undefined,
    });
    let done = false;
    const finish = (r: RangeDigest | { redirect: string }) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      req.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => finish({ ok: false, error: `timeout after ${o.timeoutMs ?? 60_000} ms` }), Math.max(0, deadline - Date.now()));
    const onAbort = () => finish({ ok: false, error: 'aborted' });
    o.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (e) => finish({ ok: false, error: e.message }));
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && typeof res.headers.location === 'string') return finish({ redirect: res.headers.location });
      const want = range.end - range.start + 1;
      const hash = createHash('sha256');
      let pos: number; // offset in the file of the next byte received
      if (status === 206) {
        const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(String(res.headers['content-range'] ?? ''));
        if (!m || Number(m[1]) !== range.start || Number(m[2]) !== range.end) {
          return finish({ ok: false, error: `unexpected Content-Range ${JSON.stringify(res.headers['content-range'] ?? '')} for bytes=${range.start}-${range.end}` });
        }
        pos = range.start;
      } else if (status === 200) {
        if (range.end >= (o.maxFullBodyBytes ?? 32 << 20)) return finish({ ok: false, error: 'mirror ignores Range requests' });
        pos = 0;
      } else {
        return finish({ ok: false, error: `Got status code ${status}` });
      }
      let got = 0;
      res.on('data', (chunk: Buffer) => {
        const from = Math.max(range.start, pos);
        const to = Math.min(range.end + 1, pos + chunk.length);
        if (to > from) {
          hash.update(chunk.subarray(from - pos, to - pos));
          got += to - from;
        }
        pos += chunk.length;
        if (got >= want) finish({ ok: true, sha256: hash.digest('hex'), ignoredRange: status === 200 });
      });
      res.on('end', () => finish({ ok: false, error: `short body: ${got} of ${want} bytes` }));
      res.on('error', (e) => finish({ ok: false, error: e.message }));
    });
    req.end();
  });
}

export async function fetchRangeDigest(target: string, range: Range, o: RangeFetchOptions): Promise<RangeDigest> {
  const deadline = Date.now() + (o.timeoutMs ?? 60_000);
  let url = new URL(target);
  for (let hop = 0; hop <= (o.maxRedirects ?? 10); hop++) {
    const r = await once(url, range, o, deadline);
    if (!('redirect' in r)) return r;
    try {
      url = new URL(r.redirect, url);
    } catch {
      return { ok: false, error: `bad Location ${JSON.stringify(r.redirect)}` };
    }
  }
  return { ok: false, error: `stopped after ${o.maxRedirects ?? 10} redirects` };
}
