/**
 * Request-target handling before any Mirrorbits logic (contract §2.1, §2.3): decoding, the
 * canonical-path 301 that Go's multiplexer answers, and clean 4xx answers for hostile input.
 */

/** Longest request target we accept (bytes of the raw target); longer → 414. */
export const MAX_URL_LENGTH = 8192;

export type Target =
  | { kind: 'ok'; path: string; rawPath: string; query: string }
  | { kind: 'redirect'; location: string }
  | { kind: 'error'; status: 400 | 414; text: string };

const HEX = /^[0-9a-fA-F]{2}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decode %XX escapes to a UTF-8 string; null when an escape is malformed or the bytes are not UTF-8. */
export function decodePath(raw: string): string | null {
  if (raw.indexOf('%') === -1) return raw;
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x25) {
      const hex = raw.slice(i + 1, i + 3);
      if (!HEX.test(hex)) return null;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (c < 0x80) {
      bytes.push(c);
    } else {
      // Non-ASCII in the raw target (Node passes it through as latin1 code units).
      bytes.push(c & 0xff);
    }
  }
  try {
    return utf8.decode(Uint8Array.from(bytes));
  } catch {
    return null;
  }
}

/** Go's path.Clean (lexical): resolves `.`/`..`, collapses slashes, no trailing slash except the root. */
export function cleanPath(p: string): string {
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return '/' + out.join('/');
}

/** Go's ServeMux cleanPath: like Clean, but a trailing slash of the request survives. */
export function canonicalPath(p: string): string {
  if (p === '') return '/';
  if (p[0] !== '/') p = '/' + p;
  let np = cleanPath(p);
  if (p.endsWith('/') && np !== '/') np += '/';
  return np;
}

const UNESCAPED = new Set('-_.~$&+,/:;=@'.split(''));

/** Go's url.PathEscape for a whole path (encodePath mode): `/` and sub-delims kept, the rest %XX upper-case. */
export function escapePath(p: string): string {
  let out = '';
  for (const b of Buffer.from(p, 'utf8')) {
    const ch = String.fromCharCode(b);
    if ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || UNESCAPED.has(ch)) out += ch;
    else out += '%' + (b < 0x10 ? '0' : '') + b.toString(16).toUpperCase();
  }
  return out;
}

const NEEDS_CHECK = /%|\/\.|\/\//;

/**
 * Parse the raw request target (`/a//b?mirrorlist`). The path is decoded; a non-canonical decoded
 * path yields the 301 Go would send (query kept).
 */
export function parseTarget(raw: string): Target {
  if (raw.length > MAX_URL_LENGTH) return { kind: 'error', status: 414, text: 'URI Too Long' };
  // Absolute-form targets (`GET http://host/path`): keep only the path and query.
  if (raw[0] !== '/') {
    const m = /^https?:\/\/[^/?]*/i.exec(raw);
    if (!m) return { kind: 'error', status: 400, text: 'Bad Request' };
    raw = raw.slice(m[0].length) || '/';
    if (raw[0] !== '/') raw = '/' + raw;
  }
  const q = raw.indexOf('?');
  const rawPath = q === -1 ? raw : raw.slice(0, q);
  const query = q === -1 ? '' : raw.slice(q + 1);
  if (!NEEDS_CHECK.test(rawPath)) return { kind: 'ok', path: rawPath, rawPath, query };
  const path = decodePath(rawPath);
  if (path === null || path.indexOf('\0') !== -1) return { kind: 'error', status: 400, text: 'Bad Request' };
  const canon = canonicalPath(path);
  if (canon !== path) return { kind: 'redirect', location: escapePath(canon) + (query ? '?' + query : '') };
  return { kind: 'ok', path, rawPath, query };
}

/** Go's htmlEscape, used in the 301 body. */
export function htmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' })[c]!);
}

/** The body Go's http.Redirect writes for GET. */
export function movedBody(location: string): string {
  return `<a href="${htmlEscape(location)}">Moved Permanently</a>.\n\n`;
}
