/**
 * apps/api: the public redirector (ListenAddress) and the admin listener (AdminListenAddress).
 * Wiring only: config → Redis → schema check → GeoIP → catalog + invalidation → servers → signals.
 */
import '@mirrorball/runtime/prelude'; // first: see libs/runtime/README.md
import os from 'node:os';
import { serve } from '@hono/node-server';
import { exitOnConfigError, loadConfig, parseListenAddress, reloadConfig } from '@mirrorball/config';
import { attachInvalidation, Catalog, DirectoryIndex } from '@mirrorball/catalog';
import { DownloadLog, RangeDedup } from '@mirrorball/downloads';
import { apiDownloadCounter } from './count.ts';
import { GeoIP } from '@mirrorball/geo';
import { createLogger } from '@mirrorball/logger';
import { createMetricsRegistry } from '@mirrorball/metrics';
import { createRedis, ensureSchema, redisOptions } from '@mirrorball/redis';
import { Admin, QueueJobs, versionInfo } from '@mirrorball/admin';
import type { ConnectionOptions } from 'bullmq';
import { startRpcServer } from './admin/rpc.ts';
import { apiContext } from './deps.ts';
import { syncMetrics } from './metrics.ts';
import { createAdminApp } from './ops.ts';
import { createPublicServer } from './server.ts';
import { reloadInto } from './reload.ts';
import { newTally } from './tally.ts';
import { VERSION } from './version.ts';

const log = createLogger('api');
const config = exitOnConfigError(() => loadConfig({ argv: process.argv.slice(2), env: process.env }));

const redis = createRedis(config, { purpose: 'main' });
const sub = createRedis(config, { purpose: 'subscriber' });
for (const [name, c] of [['main', redis], ['subscriber', sub]] as const) {
  let down = false;
  c.on('error', (e) => {
    if (!down) log.warn(`redis ${name} connection error`, { error: String(e) });
    down = true;
  });
  c.on('ready', () => {
    if (down) log.info(`redis ${name} connection back`);
    down = false;
  });
}

const geo = await GeoIP.open({ path: config.GeoipDatabasePath, onEvent: (level, message) => log[level](message) });
const catalog = new Catalog(redis);
const dirs = new DirectoryIndex(redis);
const invalidation = attachInvalidation(sub, catalog, dirs);
const metrics = createMetricsRegistry('api');
const tally = newTally();
const counter = apiDownloadCounter(redis, tally, {
  retention: config.StatsRetention,
  onError: (e) => log.warn('download stats kept in memory: Redis unavailable', { error: String(e) }),
  onRecover: () => log.info('download stats flushed again'),
  onFlush: (ok) => metrics.statsFlush.inc({ result: ok ? 'ok' : 'error' }),
});
counter.start();
const dedup = new RangeDedup(redis, { intervalSec: config.SameDownloadInterval });
const dedupTimer = setInterval(() => void dedup.flush(), 1000);
dedupTimer.unref();
const downloadLog = config.LogDir ? new DownloadLog(config.LogDir) : null;

const ctx = apiContext({
  config, redis, catalog, dirs, geo, counter, dedup, log: downloadLog, version: VERSION, hostname: os.hostname(), tally,
  onError: (err) => log.error('request failed', { error: String((err as Error)?.stack ?? err) }),
});
const stopMetrics = syncMetrics(ctx, metrics, { invalidation, geoInfo: () => geo.info() });

// Not ready until Redis answers, the schema is version 2 and the directory index is loaded.
let notReady = 'waiting for Redis';
void (async () => {
  for (;;) {
    try {
      await ensureSchema(redis, { log: { info: (m) => log.info(m), warn: (m) => log.warn(m) } });
      await dirs.load();
      await invalidation.ready;
      notReady = '';
      log.info('ready', { files: dirs.fileCount, directories: dirs.size });
      return;
    } catch (err) {
      notReady = `not ready: ${String((err as Error)?.message ?? err)}`;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
})();

const listen = (addr: string) => {
  const a = parseListenAddress(addr);
  return a.kind === 'unix' ? { path: a.path } : { port: a.port, hostname: a.host };
};
const publicAddr = listen(config.ListenAddress);
const publicServer = createPublicServer(ctx);
if ('path' in publicAddr) publicServer.listen(publicAddr.path);
else publicServer.listen(publicAddr.port, publicAddr.hostname);
// Admin operations: scans and refreshes go to the worker/scanner queues; reload = our own SIGHUP.
const jobs = new QueueJobs(redisOptions(config, { purpose: 'bullmq', connectionName: 'mirrorball-api-admin' }) as ConnectionOptions);
const admin = new Admin({ redis, geo, jobs, version: versionInfo(VERSION), reload: async () => {
  await geo.reload();
  process.kill(process.pid, 'SIGHUP');
} });
const rpc = await startRpcServer(config, admin, log);
const adminAddr = listen(config.AdminListenAddress);
const adminServer = serve({
  fetch: createAdminApp({ adminApi: { admin, token: config.AdminToken, onError: (e) => log.error('admin request failed', { error: String((e as Error)?.stack ?? e) }) }, registry: metrics.registry, ready: () => (notReady === '' && redis.status === 'ready') || (notReady || `redis is ${redis.status}`) }).fetch,
  ...('path' in adminAddr ? {} : adminAddr),
} as Parameters<typeof serve>[0]);
if ('path' in adminAddr) adminServer.listen(adminAddr.path);
log.info('listening', { public: config.ListenAddress, admin: config.AdminListenAddress, version: VERSION });

// logrotate sends USR1 (contract §12.2); HUP also re-reads the configuration (live keys apply at
// once; a broken file keeps the running one) and the GeoIP databases (swapped only when their
// build epoch changed).
process.on('SIGUSR1', () => downloadLog?.reopen());
process.on('SIGHUP', () => {
  downloadLog?.reopen();
  const r = reloadInto(ctx, () => reloadConfig(), dedup);
  if (!r.ok) log.error('configuration reload failed, keeping the running configuration', { error: r.error });
  else log.info('configuration reloaded', r.needRestart.length ? { restartNeededFor: r.needRestart.join(',') } : {});
  void geo.reload();
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info('shutting down', { signal });
  // Stop accepting, let in-flight requests finish (10 s at most), then flush the counters.
  const closed = Promise.all([
    new Promise((r) => publicServer.close(r)),
    new Promise((r) => adminServer.close(r)),
  ]);
  const force = setTimeout(() => publicServer.closeAllConnections(), 10_000);
  publicServer.closeIdleConnections();
  await closed;
  clearTimeout(force);
  await rpc?.close();
  await jobs.close().catch(() => {});
  stopMetrics();
  clearInterval(dedupTimer);
  await dedup.flush();
  const flushed = await counter.stop(5000);
  if (!flushed) log.error('download stats lost: Redis unavailable at shutdown', { pending: counter.pending });
  await downloadLog?.close();
  dirs.stop();
  await invalidation.stop();
  redis.disconnect();
  sub.disconnect();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
