/** Query parsing and request classification (contract §2.2, plus Mirrorball's Metalink). */

/** Go's url.ParseQuery, first value per key; malformed pairs (bad escapes, `;`) are skipped. */
const EMPTY: ReadonlyMap<string, string> = new Map();

export function parseQuery(q: string): ReadonlyMap<string, string> {
  if (q === '') return EMPTY;
  const out = new Map<string, string>();
  for (const pair of q.split('&')) {
    if (pair === '' || pair.includes(';')) continue;
    const eq = pair.indexOf('=');
    const k = unescape(eq === -1 ? pair : pair.slice(0, eq));
    const v = unescape(eq === -1 ? '' : pair.slice(eq + 1));
    if (k === null || v === null) continue;
    if (!out.has(k)) out.set(k, v);
  }
  return out;
}

function unescape(s: string): string | null {
  if (s.indexOf('%') === -1 && s.indexOf('+') === -1) return s;
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

export type RequestType = 'mirrorlist' | 'stats' | 'mirrorstats' | 'checksum' | 'metalink' | 'standard';

/** First match wins, in Mirrorbits' order; `?meta4`/`?metalink` come last, before STANDARD. */
export function classify(q: ReadonlyMap<string, string>, metalinkEnabled: boolean): RequestType {
  if (q.size === 0) return 'standard';
  if (q.has('mirrorlist')) return 'mirrorlist';
  if (q.has('stats')) return 'stats';
  if (q.has('mirrorstats')) return 'mirrorstats';
  if (q.has('md5') || q.has('sha1') || q.has('sha256')) return 'checksum';
  if (metalinkEnabled && (q.has('meta4') || q.has('metalink'))) return 'metalink';
  return 'standard';
}

/** `/a.iso.meta4` → `/a.iso` (Metalink by suffix), else null. */
export function metalinkBase(path: string): string | null {
  if (path.endsWith('.meta4')) return path.slice(0, -6);
  if (path.endsWith('.metalink')) return path.slice(0, -9);
  return null;
}
