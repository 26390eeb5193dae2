/**
 * Test wiring (not a test): a real redis-server, GeoIP databases placing 127.0.0.0/8 in GB and
 * 127.0.1.0/24 in the US, and the admin API on a free port.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { Redis } from 'ioredis';
import { Admin, versionInfo, type AdminJobs } from '@mirrorball/admin';
import { GeoIP } from '@mirrorball/geo';
import { buildGeoDatabases, RedisServer } from '@mirrorball/testing';
import { createAdminApi } from './index.ts';

export const TOKEN = 'test-token-0123456789';

export interface AdminHarness {
  redis: Redis;
  server: RedisServer;
  url: string;
  admin: Admin;
  reloads: number;
  call(method: string, p: string, body?: unknown, token?: string): Promise<{ status: number; json: any; text: string }>;
  snapshot(): Promise<Map<string, string>>;
  stop(): Promise<void>;
}

export async function geoForTests(): Promise<GeoIP> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-admin-geo-'));
  await buildGeoDatabases(dir, [
    { network: '127.0.1.0/24', country: 'US', continent: 'NA', lat: 47.25, lon: -122.3125, asn: 209, asOrg: 'CenturyLink' },
    { network: '127.0.0.0/24', country: 'GB', continent: 'EU', lat: 51.5, lon: -0.125, asn: 5089, asOrg: 'Virgin Media' },
  ]);
  return GeoIP.open({ path: dir, embedded: false });
}

/** No DNS traffic leaves the machine in tests: `*.mirror.test` names map to 127.0.x.y, others fail. */
export async function testResolver(host: string): Promise<string[]> {
  if (host === 'us.mirror.test') return ['127.0.1.7'];
  if (host === 'two.mirror.test') return ['127.0.0.7', '127.0.1.7'];
  throw new Error(`getaddrinfo ENOTFOUND ${host}`);
}

export async function startAdminHarness(o: { jobs?: AdminJobs; token?: string } = {}): Promise<AdminHarness> {
  const server = await RedisServer.start();
  const redis = new Redis(server.url);
  const geo = await geoForTests();
  const h = { reloads: 0 } as AdminHarness;
  const admin = new Admin({ redis, geo, resolve: testResolver, version: versionInfo('1.2.3', 'test'), jobs: o.jobs, reload: () => void h.reloads++ });
  const app = new Hono().route('/api', createAdminApi({ admin, token: o.token ?? TOKEN }));
  const http = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => http.once('listening', r));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return Object.assign(h, {
    redis, server, url, admin,
    async call(method: string, p: string, body?: unknown, token = TOKEN) {
      const headers: Record<string, string> = {};
      if (token) headers.authorization = `Bearer ${token}`;
      let payload: string | undefined;
      if (body !== undefined) {
        payload = typeof body === 'string' ? body : JSON.stringify(body);
        headers['content-type'] = 'application/json';
      }
      const res = await fetch(url + p, { method, headers, body: payload });
      const text = await res.text();
      let json: unknown = null;
      try {
        json = JSON.parse(text);
      } catch { /* text answer */ }
      return { status: res.status, json, text };
    },
    /** Every key's DUMP: compares the whole database before/after a refused write. */
    async snapshot() {
      const out = new Map<string, string>();
      for (const k of (await redis.keys('*')).sort()) out.set(k, ((await redis.dumpBuffer(k)) ?? Buffer.alloc(0)).toString('hex'));
      return out;
    },
    async stop() {
      await new Promise((r) => http.close(r));
      redis.disconnect();
      geo.close();
      await server.stop();
    },
  });
}
