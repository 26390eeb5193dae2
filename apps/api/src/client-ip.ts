/**
 * Client address (ARCHITECTURE "deliberate differences"): X-Forwarded-For is believed only when
 * the socket peer is a trusted proxy; walking the list from the right, trusted addresses are
 * skipped and the right-most untrusted valid address is the client. Garbage entries are ignored.
 */
import net from 'node:net';
import { dottedQuad } from '@mirrorball/geo';

/** Loopback and private ranges: the default `TrustedProxies`. */
export const DEFAULT_TRUSTED_PROXIES = [
  '127.0.0.0/8', '::1/128', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7', 'fe80::/10',
];

/**
 * Normalise one address as found in a socket peer or an XFF entry: brackets, zone, port and the
 * IPv4-mapped IPv6 prefix are removed. Returns '' when the result is not an IP address.
 */
export function normalizeIp(raw: string): string {
  // Fast path: a plain dotted quad (the usual X-Forwarded-For entry and socket peer).
  if (dottedQuad(raw) !== -1) return raw;
  let s = raw.trim();
  if (s === '') return '';
  if (s[0] === '[') {
    const end = s.indexOf(']');
    if (end === -1) return '';
    s = s.slice(1, end);
  } else if (s.indexOf(':') !== -1 && s.indexOf(':') === s.lastIndexOf(':') && s.indexOf('.') !== -1) {
    s = s.slice(0, s.indexOf(':')); // IPv4:port
  }
  const zone = s.indexOf('%');
  if (zone !== -1) s = s.slice(0, zone);
  if (s.length > 7 && (s.startsWith('::ffff:') || s.startsWith('::FFFF:')) && dottedQuad(s.slice(7)) !== -1) s = s.slice(7);
  if (dottedQuad(s) !== -1) return s;
  return net.isIPv6(s) ? s.toLowerCase() : '';
}

export class TrustedProxies {
  /** IPv6 ranges (rare in front of a redirector: BlockList is fine there). */
  private readonly list = new net.BlockList();
  /** IPv4 ranges as [network, mask] pairs, checked without allocating. */
  private readonly v4: number[] = [];
  private lastPeer = '';
  private lastPeerTrusted = false;

  constructor(cidrs: readonly string[]) {
    for (const c of cidrs) {
      const [addr, bits] = c.split('/');
      const a = normalizeIp(addr ?? '');
      if (!a) throw new Error(`TrustedProxies: invalid address in ${JSON.stringify(c)}`);
      const family = net.isIPv4(a) ? 'ipv4' : 'ipv6';
      const prefix = bits === undefined ? (family === 'ipv4' ? 32 : 128) : Number(bits);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 'ipv4' ? 32 : 128)) {
        throw new Error(`TrustedProxies: invalid prefix in ${JSON.stringify(c)}`);
      }
      if (family === 'ipv4') {
        const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
        this.v4.push((dottedQuad(a) & mask) >>> 0, mask);
      } else {
        this.list.addSubnet(a, prefix, family);
      }
    }
  }

  /** `ip` must be normalised. */
  has(ip: string): boolean {
    const v = dottedQuad(ip);
    return v === -1 ? this.list.check(ip, 'ipv6') : this.hasV4(v);
  }

  /** `v` = an IPv4 address as uint32. */
  hasV4(v: number): boolean {
    const r = this.v4;
    for (let i = 0; i < r.length; i += 2) if (((v & r[i + 1]!) >>> 0) === r[i]) return true;
    return false;
  }

  /** Same as has(), memoising the last peer (almost always the same load balancer). */
  hasPeer(ip: string): boolean {
    if (ip !== this.lastPeer) {
      this.lastPeer = ip;
      this.lastPeerTrusted = ip !== '' && this.has(ip);
    }
    return this.lastPeerTrusted;
  }
}

/** The client address for a request from socket peer `peer` carrying `xff` (joined header lines). */
export function clientIp(peer: string | undefined, xff: string | undefined, trusted: TrustedProxies): string {
  const p = normalizeIp(peer ?? '');
  if (!xff || !trusted.hasPeer(p)) return p;
  let leftmost = '';
  // Walk the comma-separated list from the right without splitting it.
  let end = xff.length;
  while (end > 0) {
    const comma = xff.lastIndexOf(',', end - 1);
    let a = comma + 1;
    let b = end;
    while (a < b && xff.charCodeAt(a) === 32) a++;
    while (b > a && xff.charCodeAt(b - 1) === 32) b--;
    end = comma === -1 ? 0 : comma;
    if (a === b) continue;
    const entry = xff.slice(a, b);
    // Plain dotted quads (nearly every entry) are parsed once; anything else is normalised first.
    const v = dottedQuad(entry);
    if (v !== -1) {
      if (!trusted.hasV4(v)) return entry;
      leftmost = entry;
      continue;
    }
    const ip = normalizeIp(entry);
    if (ip === '') continue;
    if (!trusted.has(ip)) return ip;
    leftmost = ip;
  }
  // Every hop is trusted (an internal client): the origin is the left-most valid entry.
  return leftmost || p;
}
