import { isIP } from 'node:net';
import { parseV6Into } from './ip.ts';

/**
 * Autonomous-system ranges in sorted typed arrays, searched by bisection. Built from the
 * CSV files of @ip-location-db/asn (`start,end,asn,org`, inclusive ranges sorted by start):
 * a few bytes per range instead of one JS object per row.
 */
export class AsnTable {
  private constructor(
    private readonly v4Start: Uint32Array,
    private readonly v4End: Uint32Array,
    private readonly v4Asn: Uint32Array,
    private readonly v4Org: Uint32Array,
    /** Four big-endian words per range. */
    private readonly v6Start: Uint32Array,
    private readonly v6End: Uint32Array,
    private readonly v6Asn: Uint32Array,
    private readonly v6Org: Uint32Array,
    private readonly orgs: readonly string[],
  ) {}

  /**
   * @param v4Csv rows `startNum,endNum,asn,org` (the `-num` IPv4 file)
   * @param v6Csv rows `startAddr,endAddr,asn,org` (the textual IPv6 file)
   * @param decodeOrg turns a raw organisation field into the kept string; it must return a
   *   fresh string, because a slice would keep the whole CSV text alive
   * @throws Error naming the file kind and line on malformed or unsorted input
   */
  static fromCsv(v4Csv: string, v6Csv: string, decodeOrg: (raw: string) => string = copyString): AsnTable {
    const orgIndex = new Map<string, number>();
    const orgs: string[] = [];
    const intern = (org: string): number => {
      let i = orgIndex.get(org);
      if (i === undefined) {
        i = orgs.length;
        orgs.push(decodeOrg(org));
        orgIndex.set(org, i);
      }
      return i;
    };

    const n4 = countLines(v4Csv);
    const v4Start = new Uint32Array(n4);
    const v4End = new Uint32Array(n4);
    const v4Asn = new Uint32Array(n4);
    const v4Org = new Uint32Array(n4);
    let r = 0;
    forEachRow(v4Csv, 'IPv4', (f, line) => {
      const start = parseUint(f[0]!, 0xffffffff);
      const end = parseUint(f[1]!, 0xffffffff);
      const asn = parseUint(f[2]!, 0xffffffff);
      if (start < 0 || end < start || asn < 0) throw new Error(`IPv4 ASN table: bad range at line ${line}`);
      if (r > 0 && start < v4Start[r - 1]!) throw new Error(`IPv4 ASN table: not sorted at line ${line}`);
      v4Start[r] = start;
      v4End[r] = end;
      v4Asn[r] = asn;
      v4Org[r] = intern(f[3]!);
      r++;
    });
    const rows4 = r;

    const n6 = countLines(v6Csv);
    const v6Start = new Uint32Array(n6 * 4);
    const v6End = new Uint32Array(n6 * 4);
    const v6Asn = new Uint32Array(n6);
    const v6Org = new Uint32Array(n6);
    const a = new Uint32Array(4);
    const b = new Uint32Array(4);
    r = 0;
    forEachRow(v6Csv, 'IPv6', (f, line) => {
      if (isIP(f[0]!) !== 6 || isIP(f[1]!) !== 6) throw new Error(`IPv6 ASN table: bad address at line ${line}`);
      parseV6Into(f[0]!, a);
      parseV6Into(f[1]!, b);
      const asn = parseUint(f[2]!, 0xffffffff);
      if (asn < 0 || compare6(b, 0, a) < 0) throw new Error(`IPv6 ASN table: bad range at line ${line}`);
      if (r > 0 && compare6(v6Start, (r - 1) * 4, a) > 0) throw new Error(`IPv6 ASN table: not sorted at line ${line}`);
      v6Start.set(a, r * 4);
      v6End.set(b, r * 4);
      v6Asn[r] = asn;
      v6Org[r] = intern(f[3]!);
      r++;
    });
    const rows6 = r;

    return new AsnTable(
      v4Start.slice(0, rows4), v4End.slice(0, rows4), v4Asn.slice(0, rows4), v4Org.slice(0, rows4),
      v6Start.slice(0, rows6 * 4), v6End.slice(0, rows6 * 4), v6Asn.slice(0, rows6), v6Org.slice(0, rows6),
      orgs,
    );
  }

  get rowsV4(): number {
    return this.v4Asn.length;
  }

  get rowsV6(): number {
    return this.v6Asn.length;
  }

  get organisations(): number {
    return this.orgs.length;
  }

  /** Bytes held in typed arrays (strings excluded). */
  get arrayBytes(): number {
    return [this.v4Start, this.v4End, this.v4Asn, this.v4Org, this.v6Start, this.v6End, this.v6Asn, this.v6Org]
      .reduce((sum, x) => sum + x.byteLength, 0);
  }

  /** Row holding `ip` (uint32), or -1. */
  findV4(ip: number): number {
    // Last range whose start ≤ ip.
    let lo = 0;
    let hi = this.v4Start.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.v4Start[mid]! <= ip) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found >= 0 && this.v4End[found]! >= ip ? found : -1;
  }

  /** Row holding `ip` (four big-endian words), or -1. */
  findV6(ip: Uint32Array): number {
    let lo = 0;
    let hi = this.v6Asn.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (compare6(this.v6Start, mid * 4, ip) <= 0) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found >= 0 && compare6(this.v6End, found * 4, ip) >= 0 ? found : -1;
  }

  asnV4(row: number): number {
    return this.v4Asn[row]!;
  }

  orgV4(row: number): string {
    return this.orgs[this.v4Org[row]!]!;
  }

  asnV6(row: number): number {
    return this.v6Asn[row]!;
  }

  orgV6(row: number): string {
    return this.orgs[this.v6Org[row]!]!;
  }
}

/** A flat copy of `s`, so that it no longer references the text it was sliced from. */
function copyString(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

/** Compares the 128-bit value at words[off..off+3] with ip. */
function compare6(words: Uint32Array, off: number, ip: Uint32Array): number {
  for (let i = 0; i < 4; i++) {
    const x = words[off + i]!;
    const y = ip[i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function parseUint(s: string, max: number): number {
  if (!/^\d{1,20}$/.test(s)) return -1;
  const v = Number(s);
  return v <= max ? v : -1;
}

/**
 * Calls `fn` with the four fields of every non-empty line. The organisation may be quoted
 * (RFC 4180: `"Cloudflare, Inc."`, `""` for a quote).
 */
function forEachRow(text: string, kind: string, fn: (fields: string[], line: number) => void): void {
  const fields = ['', '', '', ''];
  let pos = 0;
  let line = 0;
  while (pos < text.length) {
    line++;
    let eol = text.indexOf('\n', pos);
    if (eol === -1) eol = text.length;
    let end = eol;
    if (end > pos && text.charCodeAt(end - 1) === 13) end--;
    if (end > pos) {
      let p = pos;
      for (let k = 0; k < 3; k++) {
        const comma = text.indexOf(',', p);
        if (comma === -1 || comma >= end) throw new Error(`${kind} ASN table: too few fields at line ${line}`);
        fields[k] = text.slice(p, comma);
        p = comma + 1;
      }
      fields[3] = text.charCodeAt(p) === 34 ? unquote(text.slice(p, end), kind, line) : text.slice(p, end);
      fn(fields, line);
    }
    pos = eol + 1;
  }
}

function unquote(field: string, kind: string, line: number): string {
  if (field.length < 2 || field.charCodeAt(field.length - 1) !== 34) {
    throw new Error(`${kind} ASN table: unterminated quote at line ${line}`);
  }
  return field.slice(1, -1).replaceAll('""', '"');
}
