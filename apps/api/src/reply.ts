/**
 * Writing responses straight to Node's ServerResponse: exact header lines (several `Link` lines,
 * Go's alphabetical order), no Response object on the hot path. Header values carry UTF-8 bytes
 * as Go writes them (Node sends header strings as latin1).
 */
import type { ServerResponse } from 'node:http';
import { gzipSync, constants as zlibConstants } from 'node:zlib';

export const TEXT_PLAIN = 'text/plain; charset=utf-8';
export const TEXT_HTML = 'text/html; charset=utf-8';
export const JSON_TYPE = 'application/json; charset=utf-8';
export const NO_CACHE = 'private, no-cache';

const NON_PRINTABLE = /[^\x20-\x7e]/;
const CONTROL = /[\x00-\x1f\x7f]/g;

/** A header value as Go would put it on the wire: raw UTF-8 bytes, control characters as spaces. */
export function headerValue(s: string): string {
  if (!NON_PRINTABLE.test(s)) return s;
  return Buffer.from(s.replace(CONTROL, ' '), 'utf8').toString('latin1');
}

export interface ReplyOptions {
  /** Compress a non-empty body (config `Gzip` and the client accepts gzip). */
  gzip?: boolean;
}

/** Send a complete response. `headers` is a flat [name, value, …] list in wire order. */
export function send(res: ServerResponse, status: number, headers: string[], body: string | Buffer = '', opts?: ReplyOptions): void {
  let buf: string | Buffer = body;
  if (opts?.gzip && body.length > 0) {
    buf = gzipSync(body, { level: zlibConstants.Z_BEST_SPEED });
    headers.push('Content-Encoding', 'gzip');
  }
  headers.push('Content-Length', String(typeof buf === 'string' ? Buffer.byteLength(buf) : buf.length));
  res.writeHead(status, headers);
  res.end(buf);
}

/** Go's http.Error: plain text + nosniff + Server. */
export function sendError(res: ServerResponse, status: number, text: string, server: string, gzip = false): void {
  send(res, status, ['Content-Type', TEXT_PLAIN, 'Server', server, 'X-Content-Type-Options', 'nosniff'], text + '\n', { gzip });
}

export const notFound = (res: ServerResponse, server: string, gzip = false) => sendError(res, 404, 'Not Found', server, gzip);
export const unavailable = (res: ServerResponse, server: string, gzip = false) => sendError(res, 503, 'Service Unavailable', server, gzip);
