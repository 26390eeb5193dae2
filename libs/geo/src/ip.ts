import { isIP } from 'node:net';

/**
 * A parsed client address. IPv4-mapped IPv6 (`::ffff:a.b.c.d`, also in hex form) is folded
 * into IPv4, as Go's `ip.To4()` does, so it finds the IPv4 record in every database.
 */
export interface ParsedIp {
  family: 4 | 6;
  /** The string handed to mmdb-lib: dotted quad for IPv4 (also for mapped IPv6), else the input. */
  text: string;
  /** IPv4 as an unsigned 32-bit integer (family 4 only). */
  v4: number;
  /** IPv6 as four big-endian 32-bit words (family 6 only; shared scratch, copy to keep). */
  v6: Uint32Array;
}

const scratch = new Uint32Array(4);
const result: ParsedIp = { family: 4, text: '', v4: 0, v6: scratch };

/**
 * Parses `ip` without throwing. Returns null for anything Go's net.ParseIP would reject
 * (garbage, ports, brackets, surrounding spaces, zone suffixes such as `%eth0`).
 * The returned object is reused by the next call: read it before calling again.
 */
export function parseIp(ip: string): ParsedIp | null {
  if (typeof ip !== 'string') return null;
  const v4 = dottedQuad(ip);
  if (v4 !== -1) {
    result.family = 4;
    result.text = ip;
    result.v4 = v4;
    return result;
  }
  if (isIP(ip) !== 6 || ip.includes('%')) return null;
  parseV6Into(ip, scratch);
  if (scratch[0] === 0 && scratch[1] === 0 && scratch[2] === 0xffff) {
    const v4 = scratch[3]!;
    result.family = 4;
    result.v4 = v4;
    result.text = v4ToString(v4);
    return result;
  }
  result.family = 6;
  result.text = ip;
  result.v4 = 0;
  return result;
}

/**
 * A canonical dotted quad → uint32, else −1: no leading zeros, no spaces (Go's ParseIP rules).
 * No regex and no allocation: it runs for every request (client address, cache key).
 */
export function dottedQuad(s: string): number {
  const n = s.length;
  if (n < 7 || n > 15) return -1;
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || ++dots > 3) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits === 1 && octet === 0) return -1; // a leading zero
      octet = octet * 10 + (c - 48);
      if (++digits > 3 || octet > 255) return -1;
    } else {
      return -1;
    }
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + octet;
}

export function v4ToString(v: number): string {
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

/** Dotted quad in [start, end) → uint32. The input has already been validated. */
function parseV4(s: string, start: number, end: number): number {
  let value = 0;
  let octet = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 46 /* . */) {
      value = (value * 256) + octet;
      octet = 0;
    } else {
      octet = octet * 10 + (c - 48);
    }
  }
  return value * 256 + octet;
}

function hexDigit(c: number): number {
  if (c <= 57) return c - 48;
  if (c <= 70) return c - 55;
  return c - 87;
}

// Reused so that parsing on the request path does not allocate.
const groupsBuf = new Uint16Array(8);
const fullBuf = new Uint16Array(8);

/**
 * Parses a textual IPv6 address (already validated by net.isIP, no zone) into four
 * big-endian words, handling `::` and a trailing dotted IPv4 part.
 */
export function parseV6Into(s: string, out: Uint32Array): void {
  // Up to 8 groups; `gap` is where `::` sits (-1 when absent).
  const groups = groupsBuf.fill(0);
  let n = 0;
  let gap = -1;
  let i = 0;
  const len = s.length;
  if (s.charCodeAt(0) === 58 && s.charCodeAt(1) === 58) {
    gap = 0;
    i = 2;
  }
  while (i < len) {
    // A dotted IPv4 tail fills the last two groups.
    let j = i;
    let dotted = false;
    while (j < len && s.charCodeAt(j) !== 58) {
      if (s.charCodeAt(j) === 46) dotted = true;
      j++;
    }
    if (dotted) {
      const v4 = parseV4(s, i, j);
      groups[n++] = v4 >>> 16;
      groups[n++] = v4 & 0xffff;
      break;
    }
    let g = 0;
    for (let k = i; k < j; k++) g = (g << 4) | hexDigit(s.charCodeAt(k));
    groups[n++] = g;
    if (j < len && s.charCodeAt(j + 1) === 58) {
      gap = n;
      i = j + 2;
    } else {
      i = j + 1;
    }
  }
  const full = fullBuf.fill(0);
  if (gap < 0) {
    for (let k = 0; k < 8; k++) full[k] = groups[k]!;
  } else {
    for (let k = 0; k < gap; k++) full[k] = groups[k]!;
    const tail = n - gap;
    for (let k = 0; k < tail; k++) full[8 - tail + k] = groups[gap + k]!;
  }
  for (let w = 0; w < 4; w++) out[w] = ((full[w * 2]! << 16) | full[w * 2 + 1]!) >>> 0;
}
