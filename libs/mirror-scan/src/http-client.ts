import http from 'node:http';
import https from 'node:https';
import { ScanAbortedError } from './errors.ts';

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** URL finally answered (after redirects). */
  url: string;
}

export interface HttpRequestOptions {
  method?: 'GET' | 'HEAD';
  headers?: Record<string, string>;
  /** Whole-exchange deadline. */
  timeoutMs?: number;
  /** TCP+TLS connect deadline. */
  connectTimeoutMs?: number;
  signal?: AbortSignal;
  agent?: { http: http.Agent; https: https.Agent };
  /** Redirects followed (0 = return the 3xx itself). */
  maxRedirects?: number;
  /** Bodies larger than this are cut (listings, trace files). */
  maxBodyBytes?: number;
}

/** Agents for one scan: keep-alive, bounded sockets, optional extra CA (tests' private CA). */
export function createAgents(opts: { ca?: string | Buffer | Array<string | Buffer>; maxSockets?: number; keepAlive?: boolean } = {}) {
  const common = { keepAlive: opts.keepAlive ?? true, maxSockets: opts.maxSockets ?? 4 };
  return {
    http: new http.Agent(common),
    https: new https.Agent({ ...common, ...(opts.ca ? { ca: opts.ca } : {}) }),
    destroy() {
      this.http.destroy();
      this.https.destroy();
    },
  };
}

function once(url: URL, o: HttpRequestOptions): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    if (o.signal?.aborted) return reject(new ScanAbortedError());
    const mod = url.protocol === 'https:' ? https : http;
    const agent = o.agent ? (url.protocol === 'https:' ? o.agent.https : o.agent.http) : undefined;
    const req = mod.request(url, { method: o.method ?? 'GET', headers: o.headers, agent });
    const fail = (e: Error) => {
      cleanup();
      req.destroy();
      reject(e);
    };
    const total = setTimeout(() => fail(new Error(`timeout after ${o.timeoutMs ?? 30_000} ms`)), o.timeoutMs ?? 30_000);
    const connect = setTimeout(() => fail(new Error('connect timeout')), o.connectTimeoutMs ?? 20_000);
    const onAbort = () => fail(new ScanAbortedError());
    o.signal?.addEventListener('abort', onAbort, { once: true });
    const cleanup = () => {
      clearTimeout(total);
      clearTimeout(connect);
      o.signal?.removeEventListener('abort', onAbort);
    };
    req.on('socket', (s) => {
      if (!s.connecting) clearTimeout(connect);
      else s.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => clearTimeout(connect));
    });
    req.on('error', fail);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const max = o.maxBodyBytes ?? 16 << 20;
      res.on('data', (c: Buffer) => {
        if (size < max) chunks.push(c);
        size += c.length;
      });
      res.on('error', fail);
      res.on('end', () => {
        cleanup();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).subarray(0, max), url: url.href });
      });
    });
    req.end();
  });
}

/** One HTTP exchange (GET or HEAD), following up to `maxRedirects` redirects. */
export async function httpRequest(target: string | URL, o: HttpRequestOptions = {}): Promise<HttpResponse> {
  let url = new URL(target);
  for (let hop = 0; ; hop++) {
    const res = await once(url, o);
    const loc = res.headers.location;
    if (res.status >= 300 && res.status < 400 && loc && hop < (o.maxRedirects ?? 0)) {
      url = new URL(loc, url);
      continue;
    }
    if (res.status >= 300 && res.status < 400 && loc && (o.maxRedirects ?? 0) > 0) {
      throw new Error(`stopped after ${o.maxRedirects} redirects`);
    }
    return res;
  }
}
