import type { ListedFile } from './types.ts';

export type RsyncLine =
  | { kind: 'file'; file: ListedFile }
  | { kind: 'skip' }
  | { kind: 'bad'; reason: string };

// Contract §8.3: greedy leading part, so the *last* position where size/date/time/path fits wins.
// Sizes may carry `,` or `.` thousands separators depending on rsync's locale.
const LINE_RE = /^(.*)\s+([\d,.]+)\s+(\d{4}\/\d{2}\/\d{2})\s+(\d{2}:\d{2}:\d{2})\s+(.*)$/s;
const FAST_RE = /^(\S+)\s+([\d,.]+) (\d{4}\/\d{2}\/\d{2}) (\d{2}:\d{2}:\d{2}) (.*)$/s;
const AMBIGUOUS_RE = /(?:^|\s)[\d,.]+\s+\d{4}\/\d{2}\/\d{2}\s+\d{2}:\d{2}:\d{2}\s/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parse one line of `rsync -r` list-only output. `line` holds one character per byte
 * (latin1-decoded stdout), so `\#ooo` escapes and raw bytes both become bytes again.
 */
export function parseRsyncLine(line: string): RsyncLine {
  if (line.length === 0) return { kind: 'skip' };
  const first = line[0];
  if (first === 'd' || first === 'l') return { kind: 'skip' };
  // Fast path for rsync's usual layout (single spaces after the size); the greedy rule only
  // differs when the name itself contains a size/date/time look-alike, checked below.
  let m = FAST_RE.exec(line);
  if (m && AMBIGUOUS_RE.test(m[5]!)) m = null;
  if (!m) m = LINE_RE.exec(line);
  if (!m) return { kind: 'bad', reason: 'unrecognised line' };
  const [, , sizeText, date, time, rawPath] = m as unknown as [string, string, string, string, string, string];
  const digits = sizeText.replace(/[,.]/g, '');
  const size = Number(digits);
  if (digits.length === 0 || !Number.isSafeInteger(size)) return { kind: 'bad', reason: `bad size ${sizeText}` };
  const sec = cachedUtc(date, time);
  if (sec === null) return { kind: 'bad', reason: `bad date ${date} ${time}` };
  const name = decodeRsyncName(rawPath);
  if (name === null) return { kind: 'bad', reason: 'file name is not valid UTF-8' };
  if (name.length === 0) return { kind: 'bad', reason: 'empty file name' };
  return { kind: 'file', file: { path: name.startsWith('/') ? name : '/' + name, size, modTime: { sec, nsec: 0 } } };
}

// Listings repeat the same timestamps a lot; Date.UTC per line shows in 100 000-file profiles.
const utcCache = new Map<string, number | null>();
function cachedUtc(date: string, time: string): number | null {
  const key = date + time;
  let v = utcCache.get(key);
  if (v === undefined) {
    if (utcCache.size > 50_000) utcCache.clear();
    v = parseUtc(date, time);
    utcCache.set(key, v);
  }
  return v;
}

function parseUtc(date: string, time: string): number | null {
  const [y, mo, d] = date.split('/').map(Number) as [number, number, number];
  const [h, mi, s] = time.split(':').map(Number) as [number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  if (new Date(ms).getUTCDate() !== d) return null;
  return ms / 1000;
}

/**
 * rsync prints bytes it considers unprintable as `\#ooo` (octal). Decode them to bytes and read
 * the result as UTF-8. A name that is not valid UTF-8 returns null: Mirrorball keeps paths as
 * JavaScript strings (the source indexer and the HTTP layer see UTF-8), so such a name could never
 * match a request; it is skipped and counted rather than stored as mojibake.
 */
export function decodeRsyncName(raw: string): string | null {
  let plain = true;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c > 0x7e || c === 0x5c) { plain = false; break; }
  }
  if (plain) return raw;
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === '\\' && raw[i + 1] === '#' && /^[0-7]{3}$/.test(raw.slice(i + 2, i + 5))) {
      bytes.push(parseInt(raw.slice(i + 2, i + 5), 8) & 0xff);
      i += 4;
    } else {
      bytes.push(raw.charCodeAt(i) & 0xff);
    }
  }
  try {
    return utf8.decode(Uint8Array.from(bytes));
  } catch {
    return null;
  }
}
