import { formatRFC1123, type GoTime } from '@mirrorball/gofmt';

const SIZE_UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];

/** Human size as Mirrorbits' `sizeof` template helper: `%3.1f` and binary units up to TiB. */
export function sizeof(bytes: number): string {
  let v = bytes;
  let unit = 0;
  while (Math.abs(v) >= 1024 && unit < SIZE_UNITS.length - 1) {
    v /= 1024;
    unit++;
  }
  return `${goFixed1(v)} ${SIZE_UNITS[unit]}`;
}

/**
 * `%.1f` as Go prints it: exact ties (x.25, x.75 — the only ones a binary float can hold) round
 * half to even, where JavaScript's toFixed rounds them up.
 */
function goFixed1(v: number): string {
  const a = Math.abs(v);
  if (Number.isInteger(a * 4) && !Number.isInteger(a * 2)) {
    let n = Math.floor(a * 10);
    if (n % 2 === 1) n += 1;
    return (v < 0 ? '-' : '') + (n / 10).toFixed(1);
  }
  return v.toFixed(1);
}

function plural(n: number): string {
  return n > 1 ? 's' : '';
}

/**
 * Fuzzy age of a mirror's trace (Mirrorbits' FuzzyTimeStr): whole units, truncated toward zero.
 * Anything within the same minute either way is `up-to-date`.
 */
export function fuzzyAge(elapsedMs: number): string {
  const minutes = Math.trunc(elapsedMs / 60_000);
  if (minutes === 0) return 'up-to-date';
  if (minutes < 0) return 'in the future';
  const hours = elapsedMs / 3_600_000;
  if (hours < 1) return `${minutes} minute${plural(minutes)} ago`;
  if (hours / 24 < 1) {
    const h = Math.trunc(hours);
    return `${h} hour${plural(h)} ago`;
  }
  if (hours / 24 / 365 > 1) {
    const y = Math.trunc(hours / 24 / 365);
    return `${y} year${plural(y)} ago`;
  }
  const d = Math.trunc(hours / 24);
  return `${d} day${plural(d)} ago`;
}

/** Join two URL parts with exactly one `/` between them (the templates' `concaturl`). */
export function concatURL(base: string, path: string): string {
  const a = base.endsWith('/') ? base.slice(0, -1) : base;
  const b = path.startsWith('/') ? path.slice(1) : path;
  return `${a}/${b}`;
}

/** RFC 1123 in UTC with the `UTC` zone name (`Sun, 01 Jun 2025 06:00:00 UTC`). */
export function dateutc(t: GoTime | Date): string {
  const g = t instanceof Date ? { sec: Math.floor(t.getTime() / 1000), nsec: 0 } : t;
  return formatRFC1123(g);
}


/** `%.0f` as Go prints it: nearest integer, exact halves to even (JavaScript's Math.round rounds them up). */
export function goFixed0(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const f = Math.floor(v);
  const diff = v - f;
  const n = diff > 0.5 || (diff === 0.5 && f % 2 !== 0) ? f + 1 : f;
  return String(n === 0 ? 0 : n);
}
