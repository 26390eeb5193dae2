/**
 * Mirrorbits' Sentinel rule (contract §11): ask each sentinel in turn for the master; if every
 * sentinel fails, connect to `RedisAddress` instead. ioredis' Sentinel connector only retries
 * the sentinels, so this subclass adds the fallback. Each reconnection asks the sentinels
 * again, which is how a fail-over is picked up.
 */
import net from 'node:net';
import tls, { type ConnectionOptions as TlsOptions } from 'node:tls';
import { SentinelConnector, type SentinelConnectionOptions } from 'ioredis';

export interface FallbackAddress {
  host: string;
  port: number;
  path?: string;
  tls?: TlsOptions;
}

/** A Sentinel connector class that falls back to `fallback` when no sentinel answers. */
export function sentinelConnectorWithFallback(fallback: FallbackAddress | null, onFallback?: (err: Error) => void) {
  return class SentinelFallbackConnector extends SentinelConnector {
    // ioredis hands connectors its whole option object, typed `unknown`.
    constructor(options: unknown) {
      super(options as SentinelConnectionOptions);
    }

    override async connect(eventEmitter: Parameters<SentinelConnector['connect']>[0]) {
      try {
        return await super.connect(eventEmitter);
      } catch (err) {
        if (!fallback || !this.connecting) throw err;
        onFallback?.(err as Error);
        const stream = fallback.path
          ? net.createConnection({ path: fallback.path })
          : fallback.tls
            ? tls.connect({ host: fallback.host, port: fallback.port, ...fallback.tls })
            : net.createConnection({ host: fallback.host, port: fallback.port });
        stream.once('error', (e: Error) => {
          this.firstError = e;
        });
        this.stream = stream;
        return stream;
      }
    }
  };
}
