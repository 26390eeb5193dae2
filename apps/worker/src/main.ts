/**
 * apps/worker: mirror scans, health checks and content checks as BullMQ workers.
 *   worker [--config f]
 * Environment knobs (not config keys): see tuning.ts. HTTPS mirrors signed by a private CA:
 * NODE_EXTRA_CA_CERTS.
 */
import '@mirrorball/runtime/prelude'; // first: see libs/runtime/README.md
import { exitOnConfigError, loadConfig, parseListenAddress, type Config } from '@mirrorball/config';
import { JobClient } from '@mirrorball/jobs';
import { startWorkerPool, WorkerReadiness } from '@mirrorball/jobs/worker';
import { createLogger } from '@mirrorball/logger';
import { createMetricsRegistry, startOpsServer } from '@mirrorball/metrics';
import { createRedis, ensureSchema, redisOptions, RedisSubscriber } from '@mirrorball/redis';
import type { ConnectionOptions } from 'bullmq';
import { readTuning } from './tuning.ts';
import { waitForSchema } from './schema-wait.ts';

const log = createLogger('worker');

async function main(): Promise<number> {
  const config: Config = exitOnConfigError(() => loadConfig({ argv: process.argv.slice(2) }));
  let tuning;
  try {
    tuning = readTuning(process.env);
  } catch (e) {
    log.error((e as Error).message);
    return 2;
  }
  const listen = parseListenAddress(config.WorkerListenAddress);
  if (listen.kind !== 'tcp') throw new Error('WorkerListenAddress must be host:port');

  const metrics = createMetricsRegistry('worker');
  const redis = createRedis(config, { purpose: 'main', connectionName: 'mirrorball-worker', onError: (e) => log.warn(`redis: ${e.message}`) });
  // Options, not a client: BullMQ opens (and owns) the blocking connections it needs.
  const connection = redisOptions(config, { purpose: 'bullmq', connectionName: 'mirrorball-worker-queue' }) as ConnectionOptions;
  // Redis PING per probe; the schema version re-read every WORKER_SCHEMA_RECHECK_MS (30 s).
  const readiness = new WorkerReadiness(redis, { recheckMs: tuning.schemaRecheckMs, log });
  const ops = await startOpsServer({
    host: listen.host, port: listen.port, registry: metrics.registry,
    ready: () => readiness.check(),
  });
  log.info(`worker: ops server on ${config.WorkerListenAddress}`);

  const abort = new AbortController();
  const stopped = new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  void stopped.then(() => abort.abort());
  // Never scan into a database of another schema version: wait (not ready) until it is ours.
  if (!(await waitForSchema(() => ensureSchema(redis, { log }), log, abort.signal))) {
    await ops.close();
    redis.disconnect();
    return 0;
  }
  readiness.schemaChecked();

  const subscriber = RedisSubscriber.create(config);
  const jobs = new JobClient({ connection });
  const pool = startWorkerPool({ redis, config, metrics, log, jobs }, {
    connection, subscriber,
    lockDurationMs: tuning.lockDurationMs, stalledIntervalMs: tuning.stalledIntervalMs,
    reconcileIntervalMs: tuning.reconcileIntervalMs, queueMetricsIntervalMs: tuning.queueMetricsIntervalMs,
  });
  log.info(`worker: scans ×${config.ConcurrentSync}, checks every ${config.CheckInterval} min, scans every ${config.ScanInterval} min`);

  const sig = await stopped;
  log.info(`worker: ${sig}, finishing running jobs (up to ${tuning.shutdownDeadlineMs} ms)`);
  await pool.close(tuning.shutdownDeadlineMs).catch((e: unknown) => log.warn(`closing workers: ${(e as Error).message}`));
  await jobs.close().catch(() => {});
  await subscriber.close().catch(() => {});
  await ops.close();
  redis.disconnect();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    log.error(`worker: ${(e as Error).stack ?? e}`);
    process.exit(1);
  },
);
