/** One parsed request, shared by every route. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface Req {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  /** Decoded, canonical request path (trailing slash kept). */
  path: string;
  query: ReadonlyMap<string, string>;
  gzip: boolean;
}

export function header(r: Req, name: string): string | undefined {
  const v = r.req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}
