/**
 * apps/scanner: indexes the source of truth (S3 bucket or local directory) into Redis.
 *   scanner [--config f]                 long-running: BullMQ schedule + on-demand jobs, ops server
 *   scanner [--config f] --once [--rehash]   one run, then exit (Kubernetes CronJob)
 *   scanner [--config f] rsync-filter --prefix /release/ --keep 2 [--order version|name] [--output f]
 */
import '@mirrorball/runtime/prelude'; // first: see libs/runtime/README.md
import { exitOnConfigError, loadConfig, parseListenAddress, reloadConfig, type Config } from '@mirrorball/config';
import { createLogger } from '@mirrorball/logger';
import { createMetricsRegistry, startOpsServer } from '@mirrorball/metrics';
import { createRedis } from '@mirrorball/redis';
import { parseScannerArgs } from './args.ts';
import { buildSource } from './build-source.ts';
import { IndexRunner } from './index-runner.ts';
import { parseRsyncFilterArgs, writeRsyncFilter } from './rsync-filter-cmd.ts';
import { startScannerService } from './service.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const log = createLogger('scanner');

async function main(): Promise<number> {
  let args;
  try {
    args = parseScannerArgs(process.argv.slice(2));
  } catch (e) {
    log.error((e as Error).message);
    return 2;
  }
  const config: Config = exitOnConfigError(() => loadConfig({ argv: args.configArgv }));
  const redis = createRedis(config, { purpose: 'main', onError: (e) => log.warn(`redis: ${e.message}`) });
  try {
    if (args.rsyncFilter) {
      await writeRsyncFilter(redis, parseRsyncFilterArgs(args.rsyncFilter));
      return 0;
    }
    const source = buildSource(config, log);
    if (args.once) {
      const runner = new IndexRunner(redis, source, () => config, null, log);
      await runner.run(args.rehash).catch(() => {});
      return runner.lastError ? 1 : 0;
    }
    return await serve(config, args.configArgv, redis, source);
  } finally {
    redis.disconnect();
  }
}

async function serve(config: Config, configArgv: string[], redis: ReturnType<typeof createRedis>, source: ReturnType<typeof buildSource>): Promise<number> {
  const metrics = createMetricsRegistry('scanner');
  let current = config;
  const runner = new IndexRunner(redis, source, () => current, metrics, log);
  const abort = new AbortController();
  const bull = createRedis(config, { purpose: 'bullmq', onError: (e) => log.warn(`redis (queue): ${e.message}`) });
  const listen = parseListenAddress(config.ScannerListenAddress);
  if (listen.kind !== 'tcp') throw new Error('ScannerListenAddress must be host:port');
  const ops = await startOpsServer({
    host: listen.host,
    port: listen.port,
    registry: metrics.registry,
    // Ready while Redis answers: index runs are jobs, and a failed run leaves the previous index serving.
    ready: async () => (redis.status === 'ready' ? true : `redis ${redis.status}`),
  });
  const service = await startScannerService({ bullConnection: bull, runner, config, log, signal: abort.signal });
  log.info(`scanner: indexing ${source.describe()} every ${config.RepositoryScanInterval} min; ops on ${config.ScannerListenAddress}`);
  // SIGHUP (as Mirrorbits): hashes, range hashes and the interval apply from the next run; the
  // source, Redis and listen addresses need a restart. A bad file keeps the running configuration.
  process.on('SIGHUP', () => {
    try {
      const next = reloadConfig({ argv: configArgv });
      const rearm = next.RepositoryScanInterval !== current.RepositoryScanInterval;
      current = next;
      if (rearm) void service.schedule(next.RepositoryScanInterval).catch((e) => log.error(`re-arming the schedule: ${e.message}`));
      log.info('scanner: configuration reloaded');
    } catch (e) {
      log.error(`scanner: reload failed, keeping the running configuration: ${(e as Error).message}`);
    }
  });
  await new Promise<void>((resolve) => {
    const stop = (sig: string) => {
      log.info(`scanner: ${sig}, stopping (a run in progress is abandoned; the index stays as it was)`);
      abort.abort();
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  await service.close().catch((e) => log.warn(`closing the queue: ${e.message}`));
  await ops.close();
  bull.disconnect();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    log.error(`scanner: ${(e as Error).stack ?? e}`);
    process.exit(1);
  },
);
