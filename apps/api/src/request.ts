/** One parsed request, shared by every route. */
import type { IncomingMessage } from 'node:http';
import type { RequestHeaders } from './headers.ts';

export interface Req {
  req: IncomingMessage;
  method: string;
  /** Decoded, canonical request path (trailing slash kept). */
  path: string;
  query: ReadonlyMap<string, string>;
  /** The headers the pipeline reads (headers.ts). */
  h: RequestHeaders;
  gzip: boolean;
  /** What kind of answer the route gives (a metrics label), set by the route before it answers. */
  type?: string;
}

export function tagAnswer(r: Req, type: string): void {
  r.type = type;
}
