import type { GoTime } from './time.ts';

/** A parsed RFC 3339 instant plus the offset it was written with (Go keeps it for formatting). */
export interface ParsedRFC3339 {
  time: GoTime;
  /** Seconds east of UTC; 0 for `Z`. */
  offsetSec: number;
  /** True when written with `Z` (Go then prints the zone as `UTC`). */
  utc: boolean;
}

const RFC3339_RE = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** Parse RFC 3339 with optional nanoseconds (Go's time.RFC3339Nano, as encoding/json writes time.Time); null if invalid. */
export function parseRFC3339(s: string): ParsedRFC3339 | null {
  const m = RFC3339_RE.exec(s);
  if (!m) return null;
  const [y, mo, d, h, mi, se] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i]));
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > 31 || h! > 23 || mi! > 59 || se! > 59) return null;
  const date = new Date(0);
  date.setUTCFullYear(y!, mo! - 1, d!);
  date.setUTCHours(h!, mi!, se!, 0);
  if (date.getUTCDate() !== d) return null;
  const utc = m[8] !== undefined;
  const offsetSec = utc ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 3600 + Number(m[11]) * 60);
  const nsec = m[7] ? Number(m[7].padEnd(9, '0')) : 0;
  return { time: { sec: Math.floor(date.getTime() / 1000) - offsetSec, nsec }, offsetSec, utc };
}
