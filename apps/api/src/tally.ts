/**
 * Plain in-memory counters bumped by the request path and copied into prom-client once a second
 * (metrics.ts). Keys are small integers so that counting a request allocates nothing and hashes
 * no label strings; the label values are rebuilt from the key when syncing.
 *
 * The request path only appends to preallocated arrays (`pending`); foldTally() moves them into
 * the Maps when a batch is full and before every read (metrics sync). Map updates per request
 * measured ~1–2 µs of a warm redirect in bench/redirect (cache misses, not instructions).
 */
import { LABEL_VALUES } from '@mirrorball/metrics';
import { Durations } from './durations.ts';

export const HTTP_TYPES: readonly string[] = LABEL_VALUES.httpType;
const TYPE_INDEX = new Map<string, number>(HTTP_TYPES.map((t, i) => [t, i]));
const OTHER_TYPE = TYPE_INDEX.get('other')!;
export const METHODS = ['GET', 'HEAD', 'POST', 'other'] as const;

export interface Tally {
  /** requestKey(type, status, method) → answers. */
  requests: Map<number, number>;
  /** fallback reason → answers. */
  fallbacks: Map<string, number>;
  noMirror: number;
  /** redirectKey(country, mirror) → redirects; labels of each key in redirectLabels. */
  redirects: Map<number, number>;
  redirectLabels: Map<number, readonly [country: string, mirror: string]>;
  /** Interned client countries (index into the redirect key). */
  countries: Map<string, number>;
  /** Redis operation → failures. */
  redisErrors: Map<string, number>;
  /** Handler time by answer type (durations.ts). */
  durations: Durations;
  /** Counted and not yet folded into the Maps above. */
  pending: PendingTally;
}

const BATCH = 1024;

class PendingTally {
  requests = 0;
  readonly requestKeys = new Float64Array(BATCH);
  redirects = 0;
  /** Long-lived strings only (the geo record's country, the catalog's mirror name). */
  readonly countries: string[] = new Array<string>(BATCH).fill('');
  readonly mirrorIds = new Int32Array(BATCH);
  readonly mirrorNames: string[] = new Array<string>(BATCH).fill('');
}

export function newTally(): Tally {
  return {
    requests: new Map(), fallbacks: new Map(), noMirror: 0, redirects: new Map(), redirectLabels: new Map(),
    countries: new Map(), redisErrors: new Map(), durations: new Durations(), pending: new PendingTally(),
  };
}

export function typeIndex(type: string | undefined): number {
  return (type !== undefined ? TYPE_INDEX.get(type) : undefined) ?? OTHER_TYPE;
}

function methodIndex(method: string | undefined): number {
  return method === 'GET' ? 0 : method === 'HEAD' ? 1 : method === 'POST' ? 2 : 3;
}

/** Status codes are < 1000, so the key packs (type, status, method) without collisions. */
export function countRequest(t: Tally, typeIdx: number, status: number, method: string | undefined): void {
  const p = t.pending;
  p.requestKeys[p.requests++] = (typeIdx * 1000 + status) * 4 + methodIndex(method);
  if (p.requests === BATCH) foldTally(t);
}

/** Move what the request path recorded into the Maps (before reading them). */
export function foldTally(t: Tally): void {
  const p = t.pending;
  for (let i = 0; i < p.requests; i++) {
    const key = p.requestKeys[i]!;
    t.requests.set(key, (t.requests.get(key) ?? 0) + 1);
  }
  p.requests = 0;
  for (let i = 0; i < p.redirects; i++) {
    addRedirect(t, p.countries[i]!, p.mirrorIds[i]!, p.mirrorNames[i]!);
    p.countries[i] = '';
    p.mirrorNames[i] = '';
  }
  p.redirects = 0;
}

export function requestLabels(key: number): { type: string; status: string; method: string } {
  const method = METHODS[key % 4]!;
  const rest = Math.floor(key / 4);
  return { type: HTTP_TYPES[Math.floor(rest / 1000)]!, status: String(rest % 1000), method };
}

/** Mirror ids are positive, fallbacks 0, −1, …: offset so the pair packs into one safe integer. */
const MIRROR_SPAN = 1 << 22;

export function countRedirect(t: Tally, countryCode: string, mirrorId: number, mirrorName: string): void {
  const p = t.pending;
  const i = p.redirects++;
  p.countries[i] = countryCode;
  p.mirrorIds[i] = mirrorId;
  p.mirrorNames[i] = mirrorName;
  if (i + 1 === BATCH) foldTally(t);
}

function addRedirect(t: Tally, countryCode: string, mirrorId: number, mirrorName: string): void {
  let c = t.countries.get(countryCode);
  if (c === undefined) t.countries.set(countryCode, (c = t.countries.size));
  const key = c * MIRROR_SPAN + (mirrorId + MIRROR_SPAN / 2);
  // A renamed mirror keeps its id: later redirects go to the new name (compared by reference first).
  const labels = t.redirectLabels.get(key);
  if (labels === undefined || labels[1] !== mirrorName) t.redirectLabels.set(key, [countryCode === '' ? 'unknown' : countryCode, mirrorName]);
  t.redirects.set(key, (t.redirects.get(key) ?? 0) + 1);
}

export function countRedisError(t: Tally, op: string): void {
  t.redisErrors.set(op, (t.redisErrors.get(op) ?? 0) + 1);
}
