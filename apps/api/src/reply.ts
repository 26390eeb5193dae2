/**
 * Answers as values: every route returns a Reply, and the listener writes it (server.ts). The
 * header object is in wire order (Go's alphabetical order, Content-Length last) and a repeated
 * header (`Link`) is an array, one line per element; Node's writeHead and @hono/node-server's
 * plain-object fast path both write it as is. Header values carry UTF-8 bytes as Go writes them
 * (Node sends header strings as latin1).
 */
import type { ServerResponse } from 'node:http';
import { gzipSync, constants as zlibConstants } from 'node:zlib';

export const TEXT_PLAIN = 'text/plain; charset=utf-8';
export const TEXT_HTML = 'text/html; charset=utf-8';
export const JSON_TYPE = 'application/json; charset=utf-8';
export const NO_CACHE = 'private, no-cache';

export type ReplyHeaders = Record<string, string | string[]>;

export interface Reply {
  status: number;
  headers: ReplyHeaders;
  /** null: no body (302, 304). */
  body: string | Buffer | null;
  /** What kind of answer this is (a metrics label; see LABEL_VALUES.httpType). */
  type?: string;
}

const NON_PRINTABLE = /[^\x20-\x7e]/;
const CONTROL = /[\x00-\x1f\x7f]/g;

/** A header value as Go would put it on the wire: raw UTF-8 bytes, control characters as spaces. */
export function headerValue(s: string): string {
  if (!NON_PRINTABLE.test(s)) return s;
  return Buffer.from(s.replace(CONTROL, ' '), 'utf8').toString('latin1');
}

/** A flat [name, value, …] list in wire order → the header object (repeated names → arrays). */
export function headerObject(flat: readonly string[]): ReplyHeaders {
  const o: ReplyHeaders = {};
  for (let i = 0; i < flat.length; i += 2) {
    const name = flat[i]!;
    const value = flat[i + 1]!;
    const prev = o[name];
    o[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return o;
}

export interface ReplyOptions {
  /** Compress a non-empty body (config `Gzip` and the client accepts gzip). */
  gzip?: boolean;
}

/** A complete answer with a body. `headers` is a flat [name, value, …] list in wire order. */
export function send(status: number, headers: string[], body: string | Buffer = '', opts?: ReplyOptions): Reply {
  let buf: string | Buffer = body;
  if (opts?.gzip && body.length > 0) {
    buf = gzipSync(body, { level: zlibConstants.Z_BEST_SPEED });
    headers.push('Content-Encoding', 'gzip');
  }
  headers.push('Content-Length', String(typeof buf === 'string' ? Buffer.byteLength(buf) : buf.length));
  return { status, headers: headerObject(headers), body: buf };
}

/** Go's http.Error: plain text + nosniff + Server. */
export function sendError(status: number, text: string, server: string, gzip = false): Reply {
  return send(status, ['Content-Type', TEXT_PLAIN, 'Server', server, 'X-Content-Type-Options', 'nosniff'], text + '\n', { gzip });
}

export const notFound = (server: string, gzip = false) => sendError(404, 'Not Found', server, gzip);
export const unavailable = (server: string, gzip = false) => sendError(503, 'Service Unavailable', server, gzip);

/** Write a Reply to Node's response (the plain listener; Node drops the body of a HEAD). */
export function writeReply(res: ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, reply.headers);
  if (reply.body === null) res.end();
  else res.end(reply.body);
}
