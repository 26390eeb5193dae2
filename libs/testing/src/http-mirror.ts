import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort, waitForPort } from './ports.ts';
import type { IssuedCert } from './tls.ts';

/** What a path answers instead of its content (health checks, scans and content checks use these). */
export type HttpFault =
  | { kind: 'status'; status: number }
  /** Accept the request and never answer (the client's timeout must fire). */
  | { kind: 'timeout' }
  | { kind: 'redirect'; location: string; status?: number }
  /** Right size, wrong bytes (every byte XOR 0xff): only a content check notices. */
  | { kind: 'wrongBytes' }
  /** Announce another Content-Length on HEAD/GET (a size mismatch). */
  | { kind: 'wrongLength'; size: number }
  | { kind: 'delay'; ms: number }
  /** Close the connection without an answer. */
  | { kind: 'reset' }
  /** Answer 200 with the whole body even when a Range is asked (servers without range support). */
  | { kind: 'ignoreRange' };

export type ListingStyle = 'nginx' | 'apache' | 'apache-pre' | 'none';

export interface HttpMirrorOptions {
  /** Directory served. */
  root: string;
  listing?: ListingStyle;
  /** nginx `autoindex_exact_size` (default true); false prints human sizes (`12K`). */
  exactSize?: boolean;
  /** Serve HTTPS with this certificate (from createTestCA().issue()). */
  tls?: IssuedCert;
  /** URL path prefix the tree is served under (default `/`), e.g. `/debian/`. */
  basePath?: string;
  /** Initial faults; key = exact URL path, or a prefix ending with `*`. */
  faults?: Record<string, HttpFault>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
}

/**
 * A static HTTP(S) mirror in this process, with nginx- or Apache-style autoindex pages, Range
 * support and faults that can be changed while a test runs.
 */
export class HttpMirror {
  readonly requests: RecordedRequest[] = [];
  private readonly faults = new Map<string, HttpFault>();
  private readonly sockets = new Set<net.Socket>();
  private constructor(private readonly server: http.Server, readonly port: number, private readonly opts: Required<Pick<HttpMirrorOptions, 'root' | 'listing' | 'exactSize' | 'basePath'>> & HttpMirrorOptions) {}

  get origin(): string {
    return `${this.opts.tls ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }

  /** The mirror's base URL (ends with `/`). */
  get url(): string {
    return this.origin + this.opts.basePath;
  }

  /** Base URL without scheme (`127.0.0.1:port/base/`), as a scheme-less Mirrorbits http field. */
  get schemelessUrl(): string {
    return `127.0.0.1:${this.port}${this.opts.basePath}`;
  }

  static async start(opts: HttpMirrorOptions): Promise<HttpMirror> {
    const basePath = (opts.basePath ?? '/').replace(/\/?$/, '/');
    const full = { ...opts, listing: opts.listing ?? 'nginx', exactSize: opts.exactSize ?? true, basePath };
    const server = opts.tls ? https.createServer({ cert: opts.tls.cert, key: opts.tls.key }) : http.createServer();
    const port = await freePort();
    const m = new HttpMirror(server, port, full);
    for (const [k, v] of Object.entries(opts.faults ?? {})) m.setFault(k, v);
    server.on('connection', (s) => {
      m.sockets.add(s);
      s.once('close', () => m.sockets.delete(s));
    });
    server.on('secureConnection', (s) => {
      m.sockets.add(s);
      s.once('close', () => m.sockets.delete(s));
    });
    server.on('request', (req, res) => m.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return m;
  }

  /** Set (or with null, clear) the fault of a URL path; a pattern ending in `*` is a prefix. */
  setFault(pattern: string, fault: HttpFault | null): void {
    if (fault) this.faults.set(pattern, fault);
    else this.faults.delete(pattern);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  private faultFor(urlPath: string): HttpFault | undefined {
    const exact = this.faults.get(urlPath);
    if (exact) return exact;
    for (const [k, v] of this.faults) if (k.endsWith('*') && urlPath.startsWith(k.slice(0, -1))) return v;
    return undefined;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    let urlPath: string;
    try {
      urlPath = decodeURIComponent(url.pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    this.requests.push({ method: req.method ?? '', path: urlPath, headers: req.headers });
    const fault = this.faultFor(urlPath);
    if (fault?.kind === 'timeout') return; // socket destroyed by stop()
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'delay') await new Promise((r) => setTimeout(r, fault.ms));
    if (fault?.kind === 'status') {
      res.writeHead(fault.status, { 'Content-Type': 'text/plain' }).end(`${fault.status}\n`);
      return;
    }
    if (fault?.kind === 'redirect') {
      res.writeHead(fault.status ?? 302, { Location: fault.location }).end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    const base = this.opts.basePath;
    if (!urlPath.startsWith(base) && urlPath + '/' !== base) {
      res.writeHead(404).end('not found\n');
      return;
    }
    const rel = urlPath.slice(base.length);
    const file = path.join(this.opts.root, rel);
    if (!file.startsWith(path.resolve(this.opts.root))) {
      res.writeHead(403).end();
      return;
    }
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/html' }).end('<html><body>404 Not Found</body></html>\n');
      return;
    }
    if (st.isDirectory()) {
      if (!urlPath.endsWith('/')) {
        res.writeHead(301, { Location: url.pathname + '/' }).end();
        return;
      }
      if (this.opts.listing === 'none') {
        res.writeHead(403, { 'Content-Type': 'text/html' }).end('<html><body>403 Forbidden</body></html>\n');
        return;
      }
      const body = renderListing(this.opts.listing, urlPath, file, this.opts.exactSize);
      res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    this.serveFile(req, res, file, st, fault);
  }

  private serveFile(req: http.IncomingMessage, res: http.ServerResponse, file: string, st: fs.Stats, fault?: HttpFault): void {
    const size = st.size;
    const headers: Record<string, string | number> = {
      'Last-Modified': st.mtime.toUTCString(),
      'Accept-Ranges': 'bytes',
      'Content-Type': 'application/octet-stream',
    };
    let start = 0;
    let end = size - 1;
    let status = 200;
    const range = fault?.kind === 'ignoreRange' ? null : /^bytes=(\d*)-(\d*)$/.exec(String(req.headers.range ?? ''));
    if (range && (range[1] || range[2])) {
      if (range[1]) {
        start = Number(range[1]);
        end = range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
      } else {
        start = Math.max(0, size - Number(range[2]));
      }
      if (start >= size || start > end) {
        res.writeHead(416, { 'Content-Range': `bytes */${size}` }).end();
        return;
      }
      status = 206;
      headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
    }
    const length = size === 0 ? 0 : end - start + 1;
    headers['Content-Length'] = fault?.kind === 'wrongLength' ? fault.size : length;
    res.writeHead(status, headers);
    if (req.method === 'HEAD' || length === 0) {
      res.end();
      return;
    }
    const data = fs.readFileSync(file).subarray(start, end + 1);
    if (fault?.kind === 'wrongBytes') for (let i = 0; i < data.length; i++) data[i] = data[i]! ^ 0xff;
    res.end(data);
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => String(n).padStart(2, '0');

function htmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function hrefOf(name: string): string {
  return encodeURIComponent(name).replace(/%2F/g, '/');
}

function humanSize(n: number, apache: boolean): string {
  if (n < 1024) return String(n);
  const units = ['K', 'M', 'G', 'T'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return (apache && v < 10 ? v.toFixed(1) : String(Math.round(v))) + units[i];
}

interface Entry { name: string; dir: boolean; size: number; mtime: Date }

function entries(dir: string): Entry[] {
  const out: Entry[] = [];
  for (const name of fs.readdirSync(dir)) {
    if (name.startsWith('.')) continue;
    try {
      const st = fs.statSync(path.join(dir, name));
      out.push({ name, dir: st.isDirectory(), size: st.size, mtime: st.mtime });
    } catch {
      // dangling symlink: autoindex servers skip it too
    }
  }
  return out.sort((a, b) => (a.dir !== b.dir ? (a.dir ? -1 : 1) : a.name < b.name ? -1 : 1));
}

/** Listing HTML in the shape nginx's and Apache's autoindex modules produce. */
export function renderListing(style: ListingStyle, urlPath: string, dir: string, exactSize = true): string {
  const list = entries(dir);
  if (style === 'nginx') {
    const lines = list.map((e) => {
      const shown = e.name + (e.dir ? '/' : '');
      const text = shown.length > 50 ? shown.slice(0, 47) + '..&gt;' : htmlEscape(shown);
      const pad = ' '.repeat(Math.max(1, 51 - Math.min(shown.length, 50)));
      const d = e.mtime;
      const date = `${p2(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}`;
      const size = e.dir ? '-' : exactSize ? String(e.size) : humanSize(e.size, false);
      return `<a href="${hrefOf(shown)}">${text}</a>${pad}${date} ${size.padStart(exactSize ? 19 : 6)}\r\n`;
    });
    return `<html>\r\n<head><title>Index of ${htmlEscape(urlPath)}</title></head>\r\n<body>\r\n<h1>Index of ${htmlEscape(urlPath)}</h1><hr><pre><a href="../">../</a>\r\n${lines.join('')}</pre><hr></body>\r\n</html>\r\n`;
  }
  const apacheDate = (d: Date) =>
    `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}`;
  const title = urlPath.length > 1 ? urlPath.replace(/\/$/, '') : urlPath;
  const parent = urlPath === '/' ? '/' : urlPath.replace(/[^/]+\/$/, '');
  if (style === 'apache') {
    const rows = list.map((e) => {
      const shown = e.name + (e.dir ? '/' : '');
      const icon = e.dir ? '<img src="/icons/folder.gif" alt="[DIR]">' : '<img src="/icons/unknown.gif" alt="[   ]">';
      const size = e.dir ? '  - ' : `${humanSize(e.size, true)} `;
      return `<tr><td valign="top">${icon}</td><td><a href="${hrefOf(shown)}">${htmlEscape(shown)}</a></td><td align="right">${apacheDate(e.mtime)}  </td><td align="right">${size}</td><td>&nbsp;</td></tr>\n`;
    });
    return `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<html>\n <head>\n  <title>Index of ${htmlEscape(title)}</title>\n </head>\n <body>\n<h1>Index of ${htmlEscape(title)}</h1>\n  <table>\n   <tr><th valign="top"><img src="/icons/blank.gif" alt="[ICO]"></th><th><a href="?C=N;O=D">Name</a></th><th><a href="?C=M;O=A">Last modified</a></th><th><a href="?C=S;O=A">Size</a></th><th><a href="?C=D;O=A">Description</a></th></tr>\n   <tr><th colspan="5"><hr></th></tr>\n<tr><td valign="top"><img src="/icons/back.gif" alt="[PARENTDIR]"></td><td><a href="${parent}">Parent Directory</a></td><td>&nbsp;</td><td align="right">  - </td><td>&nbsp;</td></tr>\n${rows.join('')}   <tr><th colspan="5"><hr></th></tr>\n</table>\n<address>Apache/2.4.62 (Debian) Server at 127.0.0.1 Port 80</address>\n</body></html>\n`;
  }
  // Apache FancyIndexing without HTMLTable: a <pre> block.
  const rows = list.map((e) => {
    const shown = e.name + (e.dir ? '/' : '');
    const alt = e.dir ? '[DIR]' : '[   ]';
    const pad = ' '.repeat(Math.max(1, 24 - shown.length));
    const size = e.dir ? '  - ' : humanSize(e.size, true).padStart(4);
    return `<img src="/icons/${e.dir ? 'folder' : 'unknown'}.gif" alt="${alt}"> <a href="${hrefOf(shown)}">${htmlEscape(shown)}</a>${pad}${apacheDate(e.mtime)}  ${size}  \n`;
  });
  return `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<html>\n <head>\n  <title>Index of ${htmlEscape(title)}</title>\n </head>\n <body>\n<h1>Index of ${htmlEscape(title)}</h1>\n<pre><img src="/icons/blank.gif" alt="Icon "> <a href="?C=N;O=D">Name</a>                    <a href="?C=M;O=A">Last modified</a>      <a href="?C=S;O=A">Size</a>  <a href="?C=D;O=A">Description</a><hr><img src="/icons/back.gif" alt="[PARENTDIR]"> <a href="${parent}">Parent Directory</a>                             -   \n${rows.join('')}<hr></pre>\n<address>Apache/2.4.62 (Debian) Server at 127.0.0.1 Port 80</address>\n</body></html>\n`;
}

export interface NginxMirrorOptions {
  root: string;
  /** `autoindex_exact_size` (default on). */
  exactSize?: boolean;
  tls?: IssuedCert;
}

/** A real nginx with `autoindex on` serving `root` on 127.0.0.1 (the most faithful listing test). */
export class NginxMirror {
  private constructor(private readonly child: ChildProcess, readonly port: number, readonly dir: string, readonly tls: boolean) {}

  get url(): string {
    return `${this.tls ? 'https' : 'http'}://127.0.0.1:${this.port}/`;
  }

  static async start(opts: NginxMirrorOptions): Promise<NginxMirror> {
    const port = await freePort();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-nginx-'));
    let ssl = '';
    if (opts.tls) {
      fs.writeFileSync(path.join(dir, 'cert.pem'), opts.tls.cert);
      fs.writeFileSync(path.join(dir, 'key.pem'), opts.tls.key, { mode: 0o600 });
      ssl = ` ssl;\n    ssl_certificate ${dir}/cert.pem;\n    ssl_certificate_key ${dir}/key.pem`;
    }
    const conf = `${process.getuid?.() === 0 ? 'user root;\n' : ''}worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 128; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port}${ssl};
    root ${path.resolve(opts.root)};
    location / { autoindex on; autoindex_exact_size ${opts.exactSize === false ? 'off' : 'on'}; }
  }
}
`;
    fs.writeFileSync(path.join(dir, 'nginx.conf'), conf);
    const child = spawn('/usr/sbin/nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (d) => (stderr += d));
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`nginx exited (${code}): ${stderr}`))),
    );
    exited.catch(() => {});
    await Promise.race([waitForPort(port), exited]);
    return new NginxMirror(child, port, dir, !!opts.tls);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const done = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGTERM'); // nginx's fast shutdown; also stops its worker
      await done;
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
