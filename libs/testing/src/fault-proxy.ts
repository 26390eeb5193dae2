import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

/** What the proxy does with one request. */
export type Fault =
  /** Answer with an S3 XML error instead of forwarding. */
  | { kind: 'status'; status: number; code: string; message?: string; headers?: Record<string, string>; fields?: Record<string, string> }
  /** Destroy the client socket before any response byte. */
  | { kind: 'reset' }
  /** Forward, but cut the response body after `afterBytes` bytes (socket destroyed). */
  | { kind: 'truncate'; afterBytes: number };

export interface ProxiedRequest {
  method: string;
  /** Path and query as received (path-style: /bucket/key?...). */
  url: string;
  /** S3 operation, guessed from method and query: ListObjectsV2, GetObject, HeadObject, HeadBucket, PutObject, Other. */
  op: string;
  /** The region of the SigV4 credential scope, if the request is signed. */
  signedRegion?: string;
}

/** Decides the fault for a request (undefined = forward untouched). Called for every request, in order. */
export type FaultRule = (req: ProxiedRequest, index: number) => Fault | undefined;

function s3Op(method: string, url: string): string {
  const u = new URL(url, 'http://x');
  const parts = u.pathname.split('/').filter(Boolean);
  if (method === 'GET' && u.searchParams.get('list-type') === '2') return 'ListObjectsV2';
  if (method === 'GET' && parts.length >= 2) return 'GetObject';
  if (method === 'HEAD' && parts.length >= 2) return 'HeadObject';
  if (method === 'HEAD' && parts.length === 1) return 'HeadBucket';
  if (method === 'PUT' && parts.length >= 2) return 'PutObject';
  return 'Other';
}

function signedRegion(auth: string | undefined): string | undefined {
  // Credential=AKID/20250101/<region>/s3/aws4_request
  const m = /Credential=[^/]+\/\d{8}\/([^/]+)\/s3\//.exec(auth ?? '');
  return m?.[1];
}

/**
 * A node:http proxy placed by a test in front of an HTTP server (the S3 server): forwards every
 * request, records it, and injects faults (S3 errors, throttling, connection resets, truncated
 * bodies) when the test's rule says so. Listens on 127.0.0.1 and a free port.
 */
export class FaultProxy {
  readonly requests: ProxiedRequest[] = [];
  rule: FaultRule = () => undefined;
  private constructor(private readonly server: http.Server, readonly port: number, private readonly secure: boolean) {}

  /** `http://127.0.0.1:<port>`, or `https://localhost:<port>` when started with a certificate. */
  get endpoint(): string {
    return this.secure ? `https://localhost:${this.port}` : `http://127.0.0.1:${this.port}`;
  }

  /** With `tls`, the proxy terminates HTTPS (certificate for `localhost`, e.g. from createTestCA().issue('localhost')). */
  static async start(target: { host: string; port: number }, tls?: { cert: string; key: string }): Promise<FaultProxy> {
    const ref: { proxy?: FaultProxy } = {};
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => ref.proxy!.handle(req, res, target);
    const server: http.Server = tls ? https.createServer(tls, handler) : http.createServer(handler);
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    ref.proxy = new FaultProxy(server, (server.address() as AddressInfo).port, tls !== undefined);
    return ref.proxy;
  }

  /** Count recorded requests of one S3 operation. */
  count(op: string): number {
    return this.requests.filter((r) => r.op === op).length;
  }

  reset(): void {
    this.requests.length = 0;
    this.rule = () => undefined;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, target: { host: string; port: number }): void {
    const rec: ProxiedRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      op: s3Op(req.method ?? 'GET', req.url ?? '/'),
      signedRegion: signedRegion(req.headers.authorization),
    };
    const index = this.requests.push(rec) - 1;
    const fault = this.rule(rec, index);
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'status') {
      req.resume();
      const body =
        `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${fault.code}</Code>` +
        `<Message>${fault.message ?? fault.code}</Message>` +
        Object.entries(fault.fields ?? {}).map(([k, v]) => `<${k}>${v}</${k}>`).join('') +
        `<RequestId>fault-proxy</RequestId></Error>`;
      res.writeHead(fault.status, { 'content-type': 'application/xml', ...fault.headers });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    const upstream = http.request(
      { host: target.host, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        if (fault?.kind !== 'truncate') {
          up.pipe(res);
          return;
        }
        let sent = 0;
        up.on('data', (chunk: Buffer) => {
          const room = fault.afterBytes - sent;
          if (room <= 0) return;
          res.write(chunk.subarray(0, room));
          sent += Math.min(room, chunk.length);
          if (sent >= fault.afterBytes) {
            up.destroy();
            // Flush what was written, then cut the connection mid-body.
            res.socket?.end(() => res.socket?.destroy());
            setTimeout(() => res.socket?.destroy(), 50);
          }
        });
        up.on('end', () => res.end());
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
