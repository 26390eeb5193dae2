/**
 * Redis connections (contract §11): address, password, DB index, Sentinel, TLS. Every app gets
 * its clients here so that the connection policy (timeouts, retries, RESP2) is one decision.
 */
import type { ConnectionOptions as TlsOptions } from 'node:tls';
import { Redis, type RedisOptions } from 'ioredis';
import type { Config } from '@mirrorball/config';
import { sentinelConnectorWithFallback } from './sentinel-fallback.ts';

/** The configuration keys this module reads (a structural subset of @mirrorball/config's Config). */
export interface RedisConnectionConfig {
  RedisAddress?: string;
  RedisPassword?: string;
  RedisDB?: number;
  RedisSentinelMasterName?: string;
  RedisSentinels?: readonly { Host: string }[] | null;
  /** Password of the sentinels themselves (Mirrorball key; Mirrorbits contacts sentinels without auth). */
  RedisSentinelPassword?: string;
  /** TLS to Redis (and to sentinels); also implied by a `rediss://` address. */
  RedisTLS?: boolean;
}

// Compile-time guarantee that a loaded Config can be passed wherever a RedisConnectionConfig is wanted.
const _configFits: (c: Config) => RedisConnectionConfig = (c) => c;
void _configFits;

export type RedisPurpose = 'main' | 'subscriber' | 'bullmq';

export interface CreateRedisOptions {
  purpose: RedisPurpose;
  lazyConnect?: boolean;
  /** Extra TLS options (CA, client certificate, servername); TLS itself is enabled by the config. */
  tls?: TlsOptions;
  /** CLIENT SETNAME value; defaults to `mirrorball-<purpose>`. */
  connectionName?: string;
  /** Connect timeout in ms (default 2000). */
  connectTimeout?: number;
  /**
   * Connection errors (refused, auth, TLS…). ioredis keeps reconnecting either way and failed
   * commands reject; without a handler the errors are dropped instead of printed to stderr.
   */
  onError?: (err: Error) => void;
  /** Called when no sentinel answered and the connection falls back to `RedisAddress`. */
  onSentinelFallback?: (err: Error) => void;
}

export class RedisConfigError extends Error {
  override name = 'RedisConfigError';
}

export interface ParsedAddress {
  host: string;
  port: number;
  path?: string;
  tls: boolean;
  username?: string;
  password?: string;
  db?: number;
}

/** `host:port`, `[v6]:port`, `host`, `redis://[user:pass@]host[:port][/db]`, `rediss://…`, `unix:/path` or `/path`. */
export function parseRedisAddress(address: string): ParsedAddress {
  const a = address.trim();
  if (a === '') return { host: '127.0.0.1', port: 6379, tls: false };
  if (a.startsWith('unix:') || a.startsWith('/')) {
    return { host: '', port: 0, path: a.replace(/^unix:/, ''), tls: false };
  }
  if (/^rediss?:\/\//i.test(a)) {
    let u: URL;
    try {
      u = new URL(a);
    } catch {
      throw new RedisConfigError(`RedisAddress: invalid URL ${JSON.stringify(address)}`);
    }
    const port = u.port ? Number(u.port) : 6379;
    const dbText = u.pathname.replace(/^\//, '');
    if (dbText !== '' && !/^\d+$/.test(dbText)) {
      throw new RedisConfigError(`RedisAddress: invalid DB index ${JSON.stringify(dbText)} in ${JSON.stringify(address)}`);
    }
    return {
      host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
      port,
      tls: u.protocol.toLowerCase() === 'rediss:',
      username: u.username ? decodeURIComponent(u.username) : undefined,
      password: u.password ? decodeURIComponent(u.password) : undefined,
      db: dbText === '' ? undefined : Number(dbText),
    };
  }
  const hp = splitHostPort(a, 6379);
  if (!hp) throw new RedisConfigError(`RedisAddress: expected host:port, got ${JSON.stringify(address)}`);
  return { ...hp, tls: false };
}

/** `host:port` / `[v6]:port` / `host` → parts; null when the port is not a valid number. */
export function splitHostPort(s: string, defaultPort: number): { host: string; port: number } | null {
  let host: string, portText: string | undefined;
  const v6 = /^\[([^\]]+)\](?::(.*))?$/.exec(s);
  if (v6) {
    host = v6[1]!;
    portText = v6[2];
  } else {
    const i = s.lastIndexOf(':');
    if (i >= 0 && s.indexOf(':') === i) {
      host = s.slice(0, i);
      portText = s.slice(i + 1);
    } else {
      host = s; // bare host or bare IPv6 literal
    }
  }
  let port = defaultPort;
  if (portText !== undefined) {
    if (!/^\d+$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) return null;
    port = Number(portText);
  }
  return { host: host || '127.0.0.1', port };
}

/** Reconnect back-off: 100 ms, 200 ms, … capped at 2 s (Mirrorbits retries every second). */
export function reconnectDelay(attempt: number): number {
  return Math.min(100 * attempt, 2000);
}

/** ioredis options for a purpose, without connecting. Exposed for tests and for BullMQ, which wants options or a client. */
export function redisOptions(config: RedisConnectionConfig, opts: CreateRedisOptions): RedisOptions {
  const addr = parseRedisAddress(config.RedisAddress ?? '127.0.0.1:6379');
  const useTls = addr.tls || config.RedisTLS === true;
  const db = config.RedisDB ?? addr.db ?? 0;
  if (!Number.isInteger(db) || db < 0) throw new RedisConfigError(`RedisDB: must be a non-negative integer, got ${db}`);
  const password = config.RedisPassword || addr.password || undefined;

  const base: RedisOptions = {
    // RESP2 everywhere: identical replies on every Redis version Mirrorbits supports (≥ 3.2).
    protocol: 2,
    db,
    password,
    username: addr.username,
    connectionName: opts.connectionName ?? `mirrorball-${opts.purpose}`,
    connectTimeout: opts.connectTimeout ?? 2000,
    lazyConnect: opts.lazyConnect ?? false,
    retryStrategy: reconnectDelay,
    // Waits through LOADING (INFO persistence) before the client is "ready".
    enableReadyCheck: true,
  };
  switch (opts.purpose) {
    case 'main':
      // Fail fast: a request on a dead Redis errors after one reconnect attempt instead of
      // queueing forever, so the api answers with a fallback rather than hanging.
      base.maxRetriesPerRequest = 1;
      break;
    case 'subscriber':
      base.maxRetriesPerRequest = null;
      base.autoResubscribe = true;
      break;
    case 'bullmq':
      // Required by BullMQ workers (blocking commands must survive reconnects).
      base.maxRetriesPerRequest = null;
      break;
  }
  if (useTls) base.tls = { ...(opts.tls ?? {}) };

  const sentinels = (config.RedisSentinels ?? []).filter((s) => s && s.Host);
  if (sentinels.length > 0) {
    if (!config.RedisSentinelMasterName) {
      throw new RedisConfigError('RedisSentinelMasterName: required when RedisSentinels is set');
    }
    base.name = config.RedisSentinelMasterName;
    base.sentinels = sentinels.map((s) => {
      const hp = splitHostPort(s.Host, 26379);
      if (!hp) throw new RedisConfigError(`RedisSentinels: invalid Host ${JSON.stringify(s.Host)}`);
      return hp;
    });
    base.sentinelPassword = config.RedisSentinelPassword || undefined;
    // One round over the sentinels, then RedisAddress (Mirrorbits); the client's retryStrategy
    // starts the next round, so the sentinels stay authoritative whenever one answers.
    base.sentinelRetryStrategy = () => null;
    // Follow fail-overs promptly: listen for +switch-master, and reconnect (re-asking the
    // sentinels) when a write hits a demoted master.
    base.failoverDetector = true;
    base.reconnectOnError = (err) => (/^READONLY/.test(err.message) ? 2 : false);
    if (useTls) {
      base.enableTLSForSentinelMode = true;
      base.sentinelTLS = { ...(opts.tls ?? {}) };
    }
    base.Connector = sentinelConnectorWithFallback(
      { host: addr.host, port: addr.port, path: addr.path, tls: useTls ? { ...(opts.tls ?? {}) } : undefined },
      opts.onSentinelFallback,
    );
    return base;
  }
  if (addr.path) base.path = addr.path;
  else {
    base.host = addr.host;
    base.port = addr.port;
  }
  return base;
}

/** A new ioredis client for `purpose`. Connects immediately unless `lazyConnect`. */
export function createRedis(config: RedisConnectionConfig, opts: CreateRedisOptions): Redis {
  const options = redisOptions(config, opts);
  const redis = new Redis(options);
  // ioredis only wires its own Sentinel connector to the client (fail-over events); do the same for ours.
  if (options.sentinels) (redis as unknown as { connector: { emitter: unknown } }).connector.emitter = redis;
  redis.on('error', opts.onError ?? (() => {}));
  return redis;
}

/** Resolve when the client is ready (connected, authenticated, DB selected, not loading). */
export function waitReady(redis: Redis, timeoutMs = 10_000): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    let lastError: unknown;
    const onError = (e: unknown) => (lastError = e);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const onEnd = () => {
      cleanup();
      reject(new Error(`redis connection closed${lastError ? `: ${String(lastError)}` : ''}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`redis not ready after ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ''}`));
    }, timeoutMs);
    function cleanup() {
      clearTimeout(timer);
      redis.off('ready', onReady);
      redis.off('error', onError);
      redis.off('end', onEnd);
    }
    redis.on('ready', onReady);
    redis.on('error', onError);
    redis.on('end', onEnd);
    if (redis.status === 'wait') redis.connect().catch(onError);
  });
}

export class RedisServerError extends Error {
  override name = 'RedisServerError';
}

export interface ServerInfo {
  version: string;
  role: string;
}

const MIN_VERSION = [3, 2, 0];

/** Compare dotted versions numerically. */
export function versionAtLeast(version: string, min: readonly number[]): boolean {
  const parts = version.split('.').map((p) => parseInt(p, 10) || 0);
  for (let i = 0; i < min.length; i++) {
    const a = parts[i] ?? 0;
    if (a !== min[i]) return a > min[i]!;
  }
  return true;
}

/**
 * What Mirrorbits checks on every new connection: `ROLE` must be master (replicas refused) and
 * the server at least 3.2.0. Throws RedisServerError with a clear message otherwise.
 */
export async function checkServer(redis: Redis): Promise<ServerInfo> {
  const role = (await redis.call('ROLE')) as unknown[];
  const roleName = String(Array.isArray(role) ? role[0] : role);
  const info = String(await redis.info('server'));
  const version = /^redis_version:(.+)$/m.exec(info)?.[1]?.trim() ?? '';
  if (!version) throw new RedisServerError('cannot read redis_version from INFO server');
  if (!versionAtLeast(version, MIN_VERSION)) {
    throw new RedisServerError(`unsupported Redis version ${version}: Redis 3.2.0 or later is required`);
  }
  if (roleName !== 'master') {
    throw new RedisServerError(`Redis server is a ${roleName === 'slave' ? 'replica' : roleName}, not a master: connect to the master (or use Sentinel)`);
  }
  return { version, role: roleName };
}

/** Whether SET … GET is available (Redis ≥ 6.2), used by the ranged-download de-duplication. */
export function supportsSetGet(version: string): boolean {
  return versionAtLeast(version, [6, 2, 0]);
}

/**
 * Start-up helper: connect, wait until ready, then run Mirrorbits' server checks (master role,
 * Redis ≥ 3.2). On failure the client is closed and the error says why.
 */
export async function connectChecked(
  config: RedisConnectionConfig, opts: CreateRedisOptions, timeoutMs = 10_000,
): Promise<{ redis: Redis; server: ServerInfo }> {
  const redis = createRedis(config, opts);
  try {
    await waitReady(redis, timeoutMs);
    return { redis, server: await checkServer(redis) };
  } catch (err) {
    redis.disconnect();
    throw err;
  }
}
