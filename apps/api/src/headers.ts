/**
 * The request headers the pipeline reads, in one pass over rawHeaders: Node builds its lower-cased
 * `headers` object lazily, and skipping it saves that work on every request. Repeated lines are
 * joined with ", " (X-Forwarded-For from several proxies), like Node's `headers`.
 */
export interface RequestHeaders {
  xff?: string;
  proto?: string;
  accept?: string;
  ims?: string;
  range?: string;
  ua?: string;
  ae?: string;
}

type Key = keyof RequestHeaders;

/** Lower-case header name → field; matched by length first, then case-insensitively. */
const NAMES: [string, Key][] = [
  ['x-forwarded-for', 'xff'], ['x-forwarded-proto', 'proto'], ['accept', 'accept'],
  ['if-modified-since', 'ims'], ['range', 'range'], ['user-agent', 'ua'], ['accept-encoding', 'ae'],
];
const BY_LENGTH: [string, Key][][] = [];
for (const n of NAMES) (BY_LENGTH[n[0].length] ??= []).push(n);

export function readHeaders(raw: readonly string[]): RequestHeaders {
  // Every field present, in one order: one hidden class whatever headers a client sends.
  const h: RequestHeaders = { xff: undefined, proto: undefined, accept: undefined, ims: undefined, range: undefined, ua: undefined, ae: undefined };
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const candidates = BY_LENGTH[name.length];
    if (candidates === undefined) continue;
    for (let j = 0; j < candidates.length; j++) {
      const [lower, key] = candidates[j]!;
      if (name === lower || name.toLowerCase() === lower) {
        const v = raw[i + 1]!;
        const prev = h[key];
        h[key] = prev === undefined ? v : prev + ', ' + v;
        break;
      }
    }
  }
  return h;
}
