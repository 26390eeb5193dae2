/**
 * One health-check request (contract §9): `HEAD`, `Connection: close`, no keep-alive, a connect
 * deadline and a whole-exchange deadline, redirects followed (Go's default: at most 10) or
 * refused at the first one. Never throws: every outcome is a value.
 */
import http from 'node:http';
import https from 'node:https';

export interface ProbeOptions {
  userAgent: string;
  /** Follow redirects (up to `maxRedirects`), else the first redirect is an outcome of its own. */
  allowRedirects: boolean;
  /** Default 10, as Go's http.Client. */
  maxRedirects?: number;
  /** TCP + TLS connect deadline (contract: 20 s). */
  connectTimeoutMs?: number;
  /** Whole exchange, redirects included (contract: 40 s). */
  timeoutMs?: number;
  /** Extra trusted CA certificates (tests' private CA); system CAs stay trusted. */
  ca?: string | Buffer | Array<string | Buffer>;
  method?: 'HEAD' | 'GET';
  signal?: AbortSignal;
}

export type ProbeResult =
  | { kind: 'response'; status: number; contentLength: number | null; url: string; ms: number }
  | { kind: 'redirectRefused'; from: string; to: string; ms: number }
  | { kind: 'error'; error: string; ms: number };

interface Hop {
  status: number;
  location: string | undefined;
  contentLength: number | null;
}

function parseLength(v: string | undefined): number | null {
  if (v === undefined || !/^\d+$/.test(v.trim())) return null;
  const n = Number(v.trim());
  return Number.isSafeInteger(n) ? n : null;
}

function once(url: URL, o: ProbeOptions, deadline: number, agent: https.Agent | undefined): Promise<Hop> {
  return new Promise((resolve, reject) => {
    const isHttps = url.protocol === 'https:';
    const mod = isHttps ? https : http;
    const req = mod.request(url, {
      method: o.method ?? 'HEAD',
      headers: { 'User-Agent': o.userAgent, Connection: 'close' },
      agent: isHttps ? agent : false,
    });
    let settled = false;
    const fail = (e: Error) => {
      if (settled) return;
      settled = true;
      cleanup();
      req.destroy();
      reject(e);
    };
    const total = setTimeout(() => fail(new Error(`timeout after ${o.timeoutMs ?? 40_000} ms`)), Math.max(0, deadline - Date.now()));
    const connect = setTimeout(() => fail(new Error(`dial timeout after ${o.connectTimeoutMs ?? 20_000} ms`)), o.connectTimeoutMs ?? 20_000);
    const onAbort = () => fail(new Error('check aborted'));
    o.signal?.addEventListener('abort', onAbort, { once: true });
    const cleanup = () => {
      clearTimeout(total);
      clearTimeout(connect);
      o.signal?.removeEventListener('abort', onAbort);
    };
    req.on('socket', (s) => {
      if (!s.connecting) clearTimeout(connect);
      else s.once(isHttps ? 'secureConnect' : 'connect', () => clearTimeout(connect));
    });
    req.on('error', fail);
    req.on('response', (res) => {
      const hop: Hop = {
        status: res.statusCode ?? 0,
        location: typeof res.headers.location === 'string' ? res.headers.location : undefined,
        contentLength: parseLength(res.headers['content-length']),
      };
      // Only the status line and headers matter; drop any body and the connection.
      res.resume();
      settled = true;
      cleanup();
      req.destroy();
      resolve(hop);
    });
    req.end();
  });
}

const REDIRECT = new Set([301, 302, 303, 307, 308]);

/** HEAD `url` with the contract's redirect policy. */
export async function probe(target: string, o: ProbeOptions): Promise<ProbeResult> {
  const started = Date.now();
  const ms = () => Date.now() - started;
  const deadline = started + (o.timeoutMs ?? 40_000);
  const max = o.maxRedirects ?? 10;
  const agent = o.ca ? new https.Agent({ keepAlive: false, ca: o.ca }) : undefined;
  try {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return { kind: 'error', error: `invalid URL ${JSON.stringify(target)}`, ms: ms() };
    }
    for (let hops = 0; ; hops++) {
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        return { kind: 'error', error: `unsupported protocol scheme "${url.protocol.replace(/:$/, '')}"`, ms: ms() };
      }
      let hop: Hop;
      try {
        hop = await once(url, o, deadline, agent);
      } catch (e) {
        return { kind: 'error', error: (e as Error).message || String(e), ms: ms() };
      }
      // Like Go: a redirect status without a Location is returned as the response itself.
      if (!REDIRECT.has(hop.status) || !hop.location) {
        return { kind: 'response', status: hop.status, contentLength: hop.contentLength, url: url.href, ms: ms() };
      }
      let next: URL;
      try {
        next = new URL(hop.location, url);
      } catch {
        return { kind: 'error', error: `failed to parse Location header ${JSON.stringify(hop.location)}`, ms: ms() };
      }
      if (!o.allowRedirects) return { kind: 'redirectRefused', from: url.href, to: next.href, ms: ms() };
      // Go's defaultCheckRedirect: refuses when 10 requests were already made.
      if (hops + 1 >= max) return { kind: 'error', error: `stopped after ${max} redirects`, ms: ms() };
      url = next;
    }
  } finally {
    agent?.destroy();
  }
}
