/** One parsed request, shared by every route. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHeaders } from './headers.ts';

export interface Req {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  /** Decoded, canonical request path (trailing slash kept). */
  path: string;
  query: ReadonlyMap<string, string>;
  /** The headers the pipeline reads (headers.ts). */
  h: RequestHeaders;
  gzip: boolean;
}

/** What kind of answer a route sent (a metrics label; see LABEL_VALUES.httpType). */
export const ANSWER_TYPE = Symbol('answer type');
type Tagged = ServerResponse & { [ANSWER_TYPE]?: string };

export function tagAnswer(r: Req, type: string): void {
  (r.res as Tagged)[ANSWER_TYPE] = type;
}

export function answerType(res: ServerResponse): string | undefined {
  return (res as Tagged)[ANSWER_TYPE];
}
