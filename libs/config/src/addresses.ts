/** Parsing of the address-valued keys (listen addresses, Redis address, proxy CIDRs). */
import { isIP } from 'node:net';

export type ListenAddress = { kind: 'tcp'; host: string | undefined; port: number } | { kind: 'unix'; path: string };

function parsePort(s: string): number | undefined {
  if (!/^[0-9]{1,5}$/.test(s)) return undefined;
  const n = Number(s);
  return n <= 65535 ? n : undefined;
}

/** Splits `host:port`, `[v6]:port`, `:port`. Returns undefined when malformed. */
export function splitHostPort(addr: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):([0-9]+)$/.exec(addr);
  if (!m) return undefined;
  const port = parsePort(m[3]!);
  if (port === undefined) return undefined;
  const host = m[1] ?? m[2] ?? '';
  if (m[1] !== undefined && isIP(host) !== 6) return undefined;
  return { host, port };
}

/**
 * Go's `host:port` (empty host = every interface, as in Mirrorbits' default `:8080`) or
 * `unix:/path`. Throws a plain Error with the reason.
 */
export function parseListenAddress(addr: string): ListenAddress {
  if (addr.startsWith('unix:')) {
    const path = addr.slice(5);
    if (!path) throw new Error(`must be host:port or unix:/path (got ${JSON.stringify(addr)})`);
    return { kind: 'unix', path };
  }
  const hp = splitHostPort(addr);
  if (!hp) throw new Error(`must be host:port or unix:/path (got ${JSON.stringify(addr)})`);
  return { kind: 'tcp', host: hp.host === '' ? undefined : hp.host, port: hp.port };
}

export interface RedisEndpoint {
  host: string;
  port: number;
  tls: boolean;
  /** From a URL's userinfo, if any (RedisPassword still applies otherwise). */
  username?: string;
  password?: string;
  /** From a URL path `/N`, if any. */
  db?: number;
}

/** `host:port` (Mirrorbits) or `redis://[user:pass@]host[:port][/db]` / `rediss://…`. */
export function parseRedisAddress(addr: string): RedisEndpoint {
  if (/^rediss?:\/\//i.test(addr)) {
    let u: URL;
    try {
      u = new URL(addr);
    } catch {
      throw new Error(`must be host:port or a redis:// or rediss:// URL (got ${JSON.stringify(addr)})`);
    }
    const tls = u.protocol.toLowerCase() === 'rediss:';
    const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
    if (!host) throw new Error(`URL has no host (got ${JSON.stringify(addr)})`);
    const port = u.port ? Number(u.port) : 6379;
    const out: RedisEndpoint = { host, port, tls };
    if (u.username) out.username = decodeURIComponent(u.username);
    if (u.password) out.password = decodeURIComponent(u.password);
    const path = u.pathname.replace(/^\//, '');
    if (path) {
      const db = /^[0-9]+$/.test(path) ? Number(path) : NaN;
      if (!Number.isSafeInteger(db)) throw new Error(`URL path must be a database number (got ${JSON.stringify(addr)})`);
      out.db = db;
    }
    return out;
  }
  const hp = splitHostPort(addr);
  if (!hp || hp.host === '') throw new Error(`must be host:port or a redis:// or rediss:// URL (got ${JSON.stringify(addr)})`);
  return { host: hp.host, port: hp.port, tls: false };
}

/** A bare IP or `ip/prefix` with a prefix length that fits the family. */
export function isValidCidr(s: string): boolean {
  const [ip, prefix, ...rest] = s.split('/');
  if (rest.length > 0 || !ip) return false;
  const fam = isIP(ip);
  if (fam === 0) return false;
  if (prefix === undefined) return true;
  if (!/^[0-9]{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (fam === 4 ? 32 : 128);
}
