/**
 * Go's time.Time, as far as Mirrorbits stores and prints it: whole Unix seconds plus
 * nanoseconds, so that nanosecond mtimes survive a round trip through Redis unchanged.
 */
export interface GoTime {
  /** Unix seconds (may be negative; Go's zero time is year 1). */
  readonly sec: number;
  /** Nanoseconds within the second, 0 … 999 999 999. */
  readonly nsec: number;
}

/** Unix seconds of Go's zero time, 0001-01-01 00:00:00 UTC. */
export const GO_ZERO_SEC = -62135596800;
export const ZERO_TIME: GoTime = Object.freeze({ sec: GO_ZERO_SEC, nsec: 0 });

export function isZeroTime(t: GoTime): boolean {
  return t.sec === GO_ZERO_SEC && t.nsec === 0;
}

/** True for Go's zero time and for the Unix epoch (both mean "unknown" to Mirrorbits). */
export function isUnsetTime(t: GoTime): boolean {
  return isZeroTime(t) || (t.sec === 0 && t.nsec === 0);
}

export function goTimeFromDate(d: Date): GoTime {
  const ms = d.getTime();
  const sec = Math.floor(ms / 1000);
  return { sec, nsec: (ms - sec * 1000) * 1_000_000 };
}

export function goTimeFromUnix(sec: number, nsec = 0): GoTime {
  return { sec, nsec };
}

/** From nanoseconds since the epoch (fs.stat's bigint mtimeNs). */
export function goTimeFromNs(ns: bigint): GoTime {
  let sec = ns / 1_000_000_000n;
  let nsec = ns % 1_000_000_000n;
  if (nsec < 0n) {
    nsec += 1_000_000_000n;
    sec -= 1n;
  }
  return { sec: Number(sec), nsec: Number(nsec) };
}

export function goTimeToNs(t: GoTime): bigint {
  return BigInt(t.sec) * 1_000_000_000n + BigInt(t.nsec);
}

export function goTimeEqual(a: GoTime, b: GoTime): boolean {
  return a.sec === b.sec && a.nsec === b.nsec;
}

/** Compare two times: negative if a < b. */
export function goTimeCompare(a: GoTime, b: GoTime): number {
  return a.sec !== b.sec ? a.sec - b.sec : a.nsec - b.nsec;
}

/** Truncate to a multiple of `precisionNs` since the zero time, as Go's Time.Truncate (precision ≤ 0: unchanged). */
export function goTimeTruncate(t: GoTime, precisionNs: number): GoTime {
  if (precisionNs <= 0) return t;
  if (precisionNs % 1_000_000_000 === 0) {
    const step = precisionNs / 1_000_000_000;
    // Go truncates relative to its zero time; for whole-second steps dividing a day this equals Unix truncation.
    const rel = t.sec - GO_ZERO_SEC;
    return { sec: t.sec - (((rel % step) + step) % step), nsec: 0 };
  }
  if (1_000_000_000 % precisionNs === 0) {
    return { sec: t.sec, nsec: t.nsec - (t.nsec % precisionNs) };
  }
  // Unusual precision: exact bigint arithmetic.
  const p = BigInt(precisionNs);
  const rel = goTimeToNs(t) - BigInt(GO_ZERO_SEC) * 1_000_000_000n;
  return goTimeFromNs(goTimeToNs(t) - (((rel % p) + p) % p));
}

/** a − b in nanoseconds, exact. */
export function goTimeSubNs(a: GoTime, b: GoTime): bigint {
  return BigInt(a.sec - b.sec) * 1_000_000_000n + BigInt(a.nsec - b.nsec);
}

export function goTimeAddMs(t: GoTime, ms: number): GoTime {
  if (ms === 0) return t;
  return goTimeFromNs(goTimeToNs(t) + BigInt(ms) * 1_000_000n);
}

const pad2 = (n: number) => (n < 10 ? '0' : '') + n;
const pad4 = (n: number) => String(n).padStart(4, '0');

function fraction(nsec: number): string {
  if (nsec === 0) return '';
  return '.' + String(nsec).padStart(9, '0').replace(/0+$/, '');
}

function utcParts(t: GoTime, offsetSec: number) {
  const d = new Date((t.sec + offsetSec) * 1000);
  return {
    y: d.getUTCFullYear(), mo: d.getUTCMonth() + 1, d: d.getUTCDate(),
    h: d.getUTCHours(), mi: d.getUTCMinutes(), s: d.getUTCSeconds(),
  };
}

function offsetString(offsetSec: number, sep: string): string {
  const sign = offsetSec < 0 ? '-' : '+';
  const abs = Math.abs(offsetSec);
  return sign + pad2(Math.floor(abs / 3600)) + sep + pad2(Math.floor((abs % 3600) / 60));
}

/**
 * Go's default time text, `2006-01-02 15:04:05.999999999 -0700 MST`, the format of `modTime`
 * in FILE_* and FILEINFO_* hashes. Mirrorball writes UTC unless told otherwise.
 */
export function formatGoTimeString(t: GoTime, offsetSec = 0, zone = offsetSec === 0 ? 'UTC' : ''): string {
  const p = utcParts(t, offsetSec);
  const zoneName = zone || offsetString(offsetSec, '');
  return `${pad4(p.y)}-${pad2(p.mo)}-${pad2(p.d)} ${pad2(p.h)}:${pad2(p.mi)}:${pad2(p.s)}${fraction(t.nsec)} ${offsetString(offsetSec, '')} ${zoneName}`;
}

const GO_TIME_RE =
  /^(-?\d{4,})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))? ([+-])(\d{2})(\d{2})(?: [^ ]+)?(?: m=[+-][0-9.]+)?$/;

/**
 * Parse a Go time string as Mirrorbits' readers do (numeric offset decides; the abbreviation is
 * informational). Anything unparsable is Go's zero time, never an exception.
 */
export function parseGoTimeString(s: string | null | undefined): GoTime {
  if (!s) return ZERO_TIME;
  const m = GO_TIME_RE.exec(s);
  if (!m) return ZERO_TIME;
  const [, y, mo, d, h, mi, se, frac, sign, oh, om] = m as unknown as string[];
  const month = Number(mo), day = Number(d), hour = Number(h), min = Number(mi), sec = Number(se);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 59) return ZERO_TIME;
  const date = new Date(0);
  date.setUTCFullYear(Number(y), month - 1, day);
  date.setUTCHours(hour, min, sec, 0);
  if (date.getUTCDate() !== day) return ZERO_TIME;
  const offset = (sign === '-' ? -1 : 1) * (Number(oh) * 3600 + Number(om) * 60);
  const nsec = frac ? Number(frac.padEnd(9, '0')) : 0;
  return { sec: Math.floor(date.getTime() / 1000) - offset, nsec };
}

/** The server's UTC offset in seconds at instant t (Go renders mirror times in local time). */
export function localOffsetSec(t: GoTime): number {
  const ms = Math.min(Math.max(t.sec * 1000, -8.64e15), 8.64e15);
  return -new Date(ms).getTimezoneOffset() * 60;
}

/**
 * RFC 3339 with nanoseconds trimmed (Go's time.RFC3339Nano), as encoding/json prints time.Time.
 * `offsetSec` 0 prints `Z`. Go's zero time always prints `0001-01-01T00:00:00Z`.
 */
export function formatRFC3339Nano(t: GoTime, offsetSec = 0): string {
  if (isZeroTime(t)) return '0001-01-01T00:00:00Z';
  const p = utcParts(t, offsetSec);
  const zone = offsetSec === 0 ? 'Z' : offsetString(offsetSec, ':');
  return `${pad4(p.y)}-${pad2(p.mo)}-${pad2(p.d)}T${pad2(p.h)}:${pad2(p.mi)}:${pad2(p.s)}${fraction(t.nsec)}${zone}`;
}

/** A Unix-seconds mirror timestamp rendered as Go renders `time.Unix(s, 0)` in JSON (server local zone). */
export function formatUnixLocalRFC3339(sec: number): string {
  if (sec === 0) return formatRFC3339Nano(ZERO_TIME);
  const t = { sec, nsec: 0 };
  return formatRFC3339Nano(t, localOffsetSec(t));
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** HTTP date (RFC 1123 with GMT), as `Last-Modified`. */
export function formatHttpDate(t: GoTime): string {
  return new Date(t.sec * 1000).toUTCString();
}

/** RFC 1123 with a zone name, as the templates' `dateutc` and `mirrorbits list` print (`… 06:00:00 UTC`). */
export function formatRFC1123(t: GoTime, zone = 'UTC'): string {
  const p = utcParts(t, 0);
  const wd = DAYS[new Date(t.sec * 1000).getUTCDay()];
  return `${wd}, ${pad2(p.d)} ${MONTHS[p.mo - 1]} ${pad4(p.y)} ${pad2(p.h)}:${pad2(p.mi)}:${pad2(p.s)} ${zone}`;
}

/**
 * Parse an HTTP date as Go's http.ParseTime: RFC 1123 (GMT), RFC 850, ANSI C asctime.
 * Returns null when the header is not a valid HTTP date.
 */
export function parseHttpDate(s: string): GoTime | null {
  const v = s.trim();
  let m = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/.exec(v);
  let y: number, mon: number, d: number, hh: number, mm: number, ss: number;
  if (m) {
    [d, mon, y, hh, mm, ss] = [Number(m[1]), MONTHS.indexOf(m[2]!), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])];
  } else if ((m = /^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\d{2})-([A-Z][a-z]{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/.exec(v))) {
    const yy = Number(m[3]);
    [d, mon, y, hh, mm, ss] = [Number(m[1]), MONTHS.indexOf(m[2]!), yy >= 69 ? 1900 + yy : 2000 + yy, Number(m[4]), Number(m[5]), Number(m[6])];
  } else if ((m = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Z][a-z]{2}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/.exec(v))) {
    [mon, d, hh, mm, ss, y] = [MONTHS.indexOf(m[1]!), Number(m[2]!.trim()), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])];
  } else {
    return null;
  }
  if (mon < 0 || d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 59) return null;
  const ms = Date.UTC(y, mon, d, hh, mm, ss);
  if (new Date(ms).getUTCDate() !== d) return null;
  return { sec: ms / 1000, nsec: 0 };
}
