/**
 * Mirrorbits CLI compatibility: the gRPC `CLI` service on RPCListenAddress. Served only when
 * RPCListenAddress and RPCPassword are both set: Mirrorbits' default of an empty password would
 * give every local user full control of the cluster (documented in apps/cli/README.md).
 */
import type { Admin } from '@mirrorball/admin';
import type { Logger } from '@mirrorball/logger';
import { createRpcServer, listenRpc } from '@mirrorball/rpc';

export interface RpcConfig {
  RPCListenAddress: string;
  RPCPassword: string;
}

export async function startRpcServer(config: RpcConfig, admin: Admin, log: Pick<Logger, 'info' | 'warn' | 'error'>): Promise<{ close(): Promise<void>; port: number } | null> {
  if (!config.RPCListenAddress) return null;
  if (!config.RPCPassword) {
    log.info('gRPC CLI service off: set RPCPassword to serve the mirrorbits CLI on RPCListenAddress');
    return null;
  }
  const server = createRpcServer({ admin, password: config.RPCPassword, onError: (e) => log.error('rpc call failed', { error: String((e as Error)?.stack ?? e) }) });
  let port: number;
  try {
    port = await listenRpc(server, config.RPCListenAddress.startsWith(':') ? `0.0.0.0${config.RPCListenAddress}` : config.RPCListenAddress);
  } catch (err) {
    // The redirector matters more than the CLI port: keep serving, say why.
    log.error('gRPC CLI service not started', { address: config.RPCListenAddress, error: String((err as Error).message) });
    return null;
  }
  log.info('gRPC CLI service listening', { address: config.RPCListenAddress });
  return { port, close: () => new Promise<void>((r) => server.tryShutdown(() => r())) };
}
