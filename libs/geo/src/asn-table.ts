import { isIP } from 'node:net';
import { parseV6Into } from './ip.ts';

/**
 * Autonomous-system ranges in sorted typed arrays, searched by bisection. Built from the
 * CSV files of @ip-location-db/asn (`start,end,asn,org`, inclusive ranges sorted by start):
 * a few bytes per range instead of one JS object per row.
 *
 * The CSV is parsed as bytes, never as one big JS string, and organisation names live in one
 * UTF-8 byte table with offsets, decoded only when a lookup needs one: loading leaves almost
 * nothing on the JS heap (no tens of MB of CSV text or slices for the GC to keep or collect).
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
    /** Organisation i is orgBytes[orgOffsets[i], orgOffsets[i + 1]) in UTF-8. */
    private readonly orgBytes: Buffer,
    private readonly orgOffsets: Uint32Array,
  ) {}

  /**
   * @param v4Csv rows `startNum,endNum,asn,org` (the `-num` IPv4 file), as bytes or text
   * @param v6Csv rows `startAddr,endAddr,asn,org` (the textual IPv6 file)
   * @throws Error naming the file kind and line on malformed or unsorted input
   */
  static fromCsv(v4Csv: Uint8Array | string, v6Csv: Uint8Array | string): AsnTable {
    const orgs = new OrgTable();
    const b4 = bytesOf(v4Csv);
    const n4 = countLines(b4);
    const v4Start = new Uint32Array(n4);
    const v4End = new Uint32Array(n4);
    const v4Asn = new Uint32Array(n4);
    const v4Org = new Uint32Array(n4);
    let r = 0;
    forEachRow(b4, 'IPv4', (f, line) => {
      const start = parseUint(b4, f[0]!, f[1]!, 0xffffffff);
      const end = parseUint(b4, f[2]!, f[3]!, 0xffffffff);
      const asn = parseUint(b4, f[4]!, f[5]!, 0xffffffff);
      if (start < 0 || end < start || asn < 0) throw new Error(`IPv4 ASN table: bad range at line ${line}`);
      if (r > 0 && start < v4Start[r - 1]!) throw new Error(`IPv4 ASN table: not sorted at line ${line}`);
      v4Start[r] = start;
      v4End[r] = end;
      v4Asn[r] = asn;
      v4Org[r] = orgs.intern(b4, f[6]!, f[7]!, 'IPv4', line);
      r++;
    });
    const rows4 = r;

    const b6 = bytesOf(v6Csv);
    const n6 = countLines(b6);
    const v6Start = new Uint32Array(n6 * 4);
    const v6End = new Uint32Array(n6 * 4);
    const v6Asn = new Uint32Array(n6);
    const v6Org = new Uint32Array(n6);
    const a = new Uint32Array(4);
    const b = new Uint32Array(4);
    r = 0;
    forEachRow(b6, 'IPv6', (f, line) => {
      // Short-lived strings, collected young.
      const from = b6.toString('latin1', f[0]!, f[1]!);
      const to = b6.toString('latin1', f[2]!, f[3]!);
      if (isIP(from) !== 6 || isIP(to) !== 6) throw new Error(`IPv6 ASN table: bad address at line ${line}`);
      parseV6Into(from, a);
      parseV6Into(to, b);
      const asn = parseUint(b6, f[4]!, f[5]!, 0xffffffff);
      if (asn < 0 || compare6(b, 0, a) < 0) throw new Error(`IPv6 ASN table: bad range at line ${line}`);
      if (r > 0 && compare6(v6Start, (r - 1) * 4, a) > 0) throw new Error(`IPv6 ASN table: not sorted at line ${line}`);
      v6Start.set(a, r * 4);
      v6End.set(b, r * 4);
      v6Asn[r] = asn;
      v6Org[r] = orgs.intern(b6, f[6]!, f[7]!, 'IPv6', line);
      r++;
    });
    const rows6 = r;

    const fit = (x: Uint32Array, n: number) => (x.length === n ? x : x.slice(0, n));
    const { bytes, offsets } = orgs.finish();
    return new AsnTable(
      fit(v4Start, rows4), fit(v4End, rows4), fit(v4Asn, rows4), fit(v4Org, rows4),
      fit(v6Start, rows6 * 4), fit(v6End, rows6 * 4), fit(v6Asn, rows6), fit(v6Org, rows6),
      bytes, offsets,
    );
  }

  get rowsV4(): number {
    return this.v4Asn.length;
  }

  get rowsV6(): number {
    return this.v6Asn.length;
  }

  get organisations(): number {
    return this.orgOffsets.length - 1;
  }

  /** Bytes held by the table (all of it: ranges and organisation names). */
  get arrayBytes(): number {
    return [this.v4Start, this.v4End, this.v4Asn, this.v4Org, this.v6Start, this.v6End, this.v6Asn, this.v6Org, this.orgBytes, this.orgOffsets]
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
    return this.org(this.v4Org[row]!);
  }

  asnV6(row: number): number {
    return this.v6Asn[row]!;
  }

  orgV6(row: number): string {
    return this.org(this.v6Org[row]!);
  }

  /** Decoded on demand: GeoIP caches the records it builds, so this runs once per new client. */
  private org(i: number): string {
    return this.orgBytes.toString('utf8', this.orgOffsets[i]!, this.orgOffsets[i + 1]!);
  }
}

/**
 * Distinct organisation names as one growing UTF-8 byte table. Interned by their raw CSV
 * bytes (a latin1 key string per distinct name, dropped with the map after loading).
 */
class OrgTable {
  private readonly index = new Map<string, number>();
  private bytes = Buffer.allocUnsafe(1 << 20);
  private used = 0;
  private offsets = new Uint32Array(1 << 16);
  private count = 0;

  intern(src: Buffer, from: number, to: number, kind: string, line: number): number {
    const key = src.toString('latin1', from, to);
    const known = this.index.get(key);
    if (known !== undefined) return known;
    this.reserve(to - from);
    if (src[from] === 34) {
      // RFC 4180 quoting: `"Cloudflare, Inc."`, `""` for a quote.
      if (to - from < 2 || src[to - 1] !== 34) throw new Error(`${kind} ASN table: unterminated quote at line ${line}`);
      for (let i = from + 1; i < to - 1; i++) {
        this.bytes[this.used++] = src[i]!;
        if (src[i] === 34 && src[i + 1] === 34) i++;
      }
    } else {
      this.used += src.copy(this.bytes, this.used, from, to);
    }
    const id = this.count++;
    if (this.count + 1 > this.offsets.length) {
      const grown = new Uint32Array(this.offsets.length * 2);
      grown.set(this.offsets);
      this.offsets = grown;
    }
    this.offsets[this.count] = this.used;
    this.index.set(key, id);
    return id;
  }

  private reserve(n: number): void {
    if (this.used + n <= this.bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + n));
    this.bytes.copy(grown, 0, 0, this.used);
    this.bytes = grown;
  }

  /** Exact-size copies (offsets[0] = 0, one more offset than names). */
  finish(): { bytes: Buffer; offsets: Uint32Array } {
    return { bytes: Buffer.from(this.bytes.subarray(0, this.used)), offsets: this.offsets.slice(0, this.count + 1) };
  }
}

function bytesOf(x: Uint8Array | string): Buffer {
  if (typeof x === 'string') return Buffer.from(x, 'utf8');
  return Buffer.isBuffer(x) ? x : Buffer.from(x.buffer, x.byteOffset, x.byteLength);
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

function countLines(b: Buffer): number {
  let n = 1;
  for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) n++;
  return n;
}

/** Decimal digits in b[from, to) as a number ≤ max, or -1. */
function parseUint(b: Buffer, from: number, to: number, max: number): number {
  if (to <= from || to - from > 20) return -1;
  let v = 0;
  for (let i = from; i < to; i++) {
    const d = b[i]! - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v <= max ? v : -1;
}

/**
 * Calls `fn` with the byte bounds of the four fields of every non-empty line ([start0, end0,
 * start1, end1, …]). The organisation may be quoted (checked when interned).
 */
function forEachRow(b: Buffer, kind: string, fn: (bounds: Uint32Array, line: number) => void): void {
  const f = new Uint32Array(8);
  let pos = 0;
  let line = 0;
  while (pos < b.length) {
    line++;
    let eol = b.indexOf(10, pos);
    if (eol === -1) eol = b.length;
    let end = eol;
    if (end > pos && b[end - 1] === 13) end--;
    if (end > pos) {
      let p = pos;
      for (let k = 0; k < 3; k++) {
        const comma = b.indexOf(44, p);
        if (comma === -1 || comma >= end) throw new Error(`${kind} ASN table: too few fields at line ${line}`);
        f[2 * k] = p;
        f[2 * k + 1] = comma;
        p = comma + 1;
      }
      f[6] = p;
      f[7] = end;
      fn(f, line);
    }
    pos = eol + 1;
  }
}
