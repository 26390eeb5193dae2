import type { Mirror } from '@mirrorball/model';
import { httpRequest } from './http-client.ts';
import type http from 'node:http';
import type https from 'node:https';
import { MIRRORBALL_VERSION } from './version.ts';

/** `<mirror base URL><trace path>` joined with exactly one `/` (contract §8.5). */
export function traceUrl(mirror: Pick<Mirror, 'httpURL' | 'httpsUp'>, location: string): string {
  let base = mirror.httpURL;
  if (!/^https?:\/\//i.test(base)) base = (mirror.httpsUp ? 'https://' : 'http://') + base;
  return base.replace(/\/+$/, '') + '/' + location.replace(/^\/+/, '');
}

/**
 * Fetch the trace file and return its leading Unix timestamp, or null when the body does not
 * start with an integer. Status codes are not checked (as Mirrorbits); transport errors throw.
 */
export async function fetchTraceTimestamp(
  url: string,
  opts: { signal?: AbortSignal; agent?: { http: http.Agent; https: https.Agent } } = {},
): Promise<number | null> {
  const res = await httpRequest(url, {
    headers: { 'User-Agent': `Mirrorball/${MIRRORBALL_VERSION} TRACE`, Connection: 'close' },
    connectTimeoutMs: 20_000,
    timeoutMs: 40_000,
    maxRedirects: 10,
    maxBodyBytes: 4096,
    signal: opts.signal,
    agent: opts.agent,
  });
  const first = res.body.toString('utf8').trim().split(/\s+/)[0] ?? '';
  if (!/^-?\d+$/.test(first)) return null;
  const n = Number(first);
  return Number.isSafeInteger(n) ? n : null;
}
