/**
 * Test wiring (not a test itself): a real redis-server holding the captures' Mirrorbits database,
 * MaxMind's test GeoIP databases, and the api on a free port. Raw HTTP client so that header
 * lines (several `Link`s) and non-canonical paths reach the server untouched.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Redis } from 'ioredis';
import { defaultConfig, type Config } from '@mirrorball/config';
import { attachInvalidation, Catalog, DirectoryIndex } from '@mirrorball/catalog';
import { RangeDedup, DownloadLog } from '@mirrorball/downloads';
import { apiDownloadCounter } from './count.ts';
import { newTally } from './tally.ts';
import { GeoIP } from '@mirrorball/geo';
import { loadRedisDump, parseRedisDump, RedisServer } from '@mirrorball/testing';
import { createMetricsRegistry } from '@mirrorball/metrics';
import { apiContext, type ApiContext } from './deps.ts';
import { syncMetrics } from './metrics.ts';
import { createAdminApp } from './ops.ts';
import { createPlainServer, createPublicServer } from './server.ts';

const here = path.dirname(new URL(import.meta.url).pathname);
export const DUMP = parseRedisDump(fs.readFileSync(path.join(here, '../testdata/10-redis-dump.txt'), 'utf8'));

/** GeoLite2 test databases under the names GeoIP expects. */
export function geoDir(): string {
  const src = path.join(here, '../../../libs/geo/testdata/maxmind');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-api-geo-'));
  fs.copyFileSync(path.join(src, 'GeoLite2-City-Test.mmdb'), path.join(dir, 'GeoLite2-City.mmdb'));
  fs.copyFileSync(path.join(src, 'GeoLite2-ASN-Test.mmdb'), path.join(dir, 'GeoLite2-ASN.mmdb'));
  return dir;
}

export interface RawResponse {
  status: number;
  headers: [string, string][];
  body: string;
  get(name: string): string | undefined;
  all(name: string): string[];
}

export function rawRequest(port: number, target: string, opts: { method?: string; headers?: Record<string, string> } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: target, method: opts.method ?? 'GET', headers: opts.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const headers: [string, string][] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) headers.push([res.rawHeaders[i]!, res.rawHeaders[i + 1]!]);
        const all = (n: string) => headers.filter(([k]) => k.toLowerCase() === n.toLowerCase()).map(([, v]) => v);
        resolve({ status: res.statusCode!, headers, body: Buffer.concat(chunks).toString('utf8'), all, get: (n) => all(n)[0] });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

export interface ApiHarness {
  srv: RedisServer;
  redis: Redis;
  ctx: ApiContext;
  port: number;
  geo: GeoIP;
  /** With `metrics: true`: the admin listener (/metrics, synced every 50 ms). */
  adminPort?: number;
  /** The /metrics text of the admin listener, after the next sync. */
  scrape(): Promise<string>;
  get(target: string, headers?: Record<string, string>, method?: string): Promise<RawResponse>;
  setConfig(patch: Partial<Config>): void;
  close(): Promise<void>;
}

export async function startApi(patch: Partial<Config> = {}, opts: { logDir?: string; plain?: boolean; metrics?: boolean } = {}): Promise<ApiHarness> {
  const srv = await RedisServer.start();
  const redisOpts = { maxRetriesPerRequest: 1, retryStrategy: () => 100, enableOfflineQueue: true };
  const redis = new Redis(srv.port, '127.0.0.1', redisOpts);
  const sub = new Redis(srv.port, '127.0.0.1', { retryStrategy: () => 100 });
  redis.on('error', () => undefined);
  sub.on('error', () => undefined);
  await loadRedisDump((a) => redis.call(a[0]!, ...a.slice(1)), DUMP);
  const config: Config = { ...defaultConfig(), MaxLinkHeaders: 10, ...patch };
  const catalog = new Catalog(redis);
  const dirs = new DirectoryIndex(redis, 100);
  await dirs.load();
  const inv = attachInvalidation(sub, catalog, dirs);
  await inv.ready;
  const geoPath = geoDir();
  const geo = await GeoIP.open({ path: geoPath, embedded: false });
  const tally = newTally();
  const counter = apiDownloadCounter(redis, tally, { flushIntervalMs: 100 });
  counter.start();
  const dedup = new RangeDedup(redis, { intervalSec: config.SameDownloadInterval });
  const log = opts.logDir ? new DownloadLog(opts.logDir) : null;
  const ctx = apiContext({ config, redis, catalog, dirs, geo, counter, dedup, log, tally, version: 'test', hostname: 'testhost' });
  // Production's server (Hono on node-server) by default; the plain node:http listener on request.
  const server = (opts.plain ? createPlainServer(ctx) : createPublicServer(ctx)).listen(0, '127.0.0.1');
  await new Promise<void>((r) => (server.listening ? r() : server.once('listening', () => r())));
  const port = (server.address() as AddressInfo).port;
  let admin: ReturnType<typeof serve> | undefined;
  let stopMetrics = () => {};
  if (opts.metrics) {
    const m = createMetricsRegistry('api', { defaultMetrics: false });
    stopMetrics = syncMetrics(ctx, m, { invalidation: inv, geoInfo: () => geo.info() }, 50);
    const app = createAdminApp({ registry: m.registry, ready: () => true });
    admin = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((r) => (admin!.listening ? r() : admin!.once('listening', () => r())));
  }
  const adminPort = admin ? (admin.address() as AddressInfo).port : undefined;
  return {
    srv, redis, ctx, port, geo, adminPort,
    async scrape() {
      if (adminPort === undefined) throw new Error('startApi({}, {metrics: true}) serves /metrics');
      await new Promise((r) => setTimeout(r, 120));
      return (await rawRequest(adminPort, '/metrics')).body;
    },
    get: (target, headers, method) => rawRequest(port, target, { headers, method }),
    setConfig(p) {
      Object.assign(ctx, apiContext({ ...ctx, config: { ...ctx.config, ...p } }));
    },
    async close() {
      stopMetrics();
      if (admin) await new Promise((r) => admin!.close(r));
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      await new Promise((r) => server.close(r));
      await counter.stop(1000);
      await inv.stop();
      await log?.close();
      dirs.stop();
      redis.disconnect();
      sub.disconnect();
      await srv.stop();
      fs.rmSync(geoPath, { recursive: true, force: true });
    },
  };
}
