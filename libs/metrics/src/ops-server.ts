/** `/healthz`, `/readyz`, `/metrics` on node:http (no framework, so worker/scanner stay light). */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { metricsText } from './registry.ts';

export interface OpsServerOptions {
  host?: string;
  /** 0 = any free port (see the returned port). */
  port: number;
  registry: Registry;
  /** true = ready; a string = not ready, with the reason (sent in the 503 body); false = not ready. */
  ready: () => Promise<boolean | string> | boolean | string;
  /** Other routes: return true when the request was handled. */
  extra?: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** A readiness check slower than this answers 503 (default 5000 ms). */
  readyTimeoutMs?: number;
}

export interface OpsServer {
  port: number;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: string, contentType = 'text/plain; charset=utf-8', head = false): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  res.end(head ? undefined : body);
}

async function readiness(ready: OpsServerOptions['ready'], timeoutMs: number): Promise<true | string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((r) => {
    timer = setTimeout(() => r(`readiness check timed out after ${timeoutMs} ms`), timeoutMs);
  });
  try {
    const r = await Promise.race([Promise.resolve().then(ready), timeout]);
    return r === true ? true : typeof r === 'string' && r !== '' ? r : 'not ready';
  } catch (e) {
    return `readiness check failed: ${(e as Error)?.message ?? String(e)}`;
  } finally {
    clearTimeout(timer);
  }
}

export async function startOpsServer(o: OpsServerOptions): Promise<OpsServer> {
  const timeoutMs = o.readyTimeoutMs ?? 5000;
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    const head = req.method === 'HEAD';
    const known = path === '/healthz' || path === '/readyz' || path === '/metrics';
    if (known && req.method !== 'GET' && !head) {
      res.setHeader('Allow', 'GET, HEAD');
      return send(res, 405, 'method not allowed\n');
    }
    if (path === '/healthz') return send(res, 200, 'ok\n', undefined, head);
    if (path === '/readyz') {
      const r = await readiness(o.ready, timeoutMs);
      return r === true ? send(res, 200, 'ready\n', undefined, head) : send(res, 503, r + '\n', undefined, head);
    }
    if (path === '/metrics') {
      const m = await metricsText(o.registry);
      return send(res, 200, m.body, m.contentType, head);
    }
    if (o.extra?.(req, res)) return;
    send(res, 404, 'not found\n', undefined, head);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      // A failing collector must not take the process down; answer 500 instead.
      if (!res.headersSent) send(res, 500, `internal error: ${(e as Error)?.message ?? String(e)}\n`);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Alias under the name used in the architecture notes. */
export const opsServer = startOpsServer;
