/**
 * Client address (ARCHITECTURE "deliberate differences"): X-Forwarded-For is believed only when
 * the socket peer is a trusted proxy; walking the list from the right, trusted addresses are
 * skipped and the right-most untrusted valid address is the client. Garbage entries are ignored.
 */
import net from 'node:net';

/** Loopback and private ranges: the default `TrustedProxies`. */
export const DEFAULT_TRUSTED_PROXIES = [
  '127.0.0.0/8', '::1/128', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7', 'fe80::/10',
];

/**
 * Normalise one address as found in a socket peer or an XFF entry: brackets, zone, port and the
 * IPv4-mapped IPv6 prefix are removed. Returns '' when the result is not an IP address.
 */
export function normalizeIp(raw: string): string {
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
  if (s.length > 7 && (s.startsWith('::ffff:') || s.startsWith('::FFFF:')) && net.isIPv4(s.slice(7))) s = s.slice(7);
  return net.isIP(s) !== 0 ? s.toLowerCase() : '';
}

export class TrustedProxies {
  private readonly list = new net.BlockList();
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
      this.list.addSubnet(a, prefix, family);
    }
  }

  /** `ip` must be normalised. */
  has(ip: string): boolean {
    return this.list.check(ip, net.isIPv4(ip) ? 'ipv4' : 'ipv6');
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
  const parts = xff.split(',');
  let leftmost = '';
  for (let i = parts.length - 1; i >= 0; i--) {
    const ip = normalizeIp(parts[i]!);
    if (ip === '') continue;
    if (!trusted.has(ip)) return ip;
    leftmost = ip;
  }
  // Every hop is trusted (an internal client): the origin is the left-most valid entry.
  return leftmost || p;
}
