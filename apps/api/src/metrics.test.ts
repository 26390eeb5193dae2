/**
 * Each api metric the dashboard and alerts use moves after its event, seen on the admin
 * listener's /metrics of a real api (real redis-server, MaxMind test databases).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGeoDatabases } from '@mirrorball/testing';
import { startApi, type ApiHarness } from './test-harness.ts';

const DEB = '/pool/main/h/hello/hello_2.10-3_amd64.deb';
const SE = { 'X-Forwarded-For': '89.160.20.112' };
/** Not in the MaxMind test databases: an un-geolocated client. */
const NOWHERE = { 'X-Forwarded-For': '203.0.113.9' };
let api: ApiHarness;

beforeAll(async () => {
  api = await startApi({}, { metrics: true });
});
afterAll(async () => {
  await api?.close();
});

/** The value of one exposed series (0 when absent). */
function value(text: string, series: string): number {
  for (const line of text.split('\n')) if (line.startsWith(series + ' ')) return Number(line.slice(series.length + 1));
  return 0;
}

describe('api metrics', () => {
  it('mirrorball_http_request_duration_seconds{type} counts and times every answer', async () => {
    const before = await api.scrape();
    for (let i = 0; i < 3; i++) expect((await api.get(DEB, SE)).status).toBe(302);
    expect((await api.get('/README.txt?sha256')).status).toBe(200);
    const after = await api.scrape();
    const count = (t: string, type: string) => value(t, `mirrorball_http_request_duration_seconds_count{type="${type}"}`);
    expect(count(after, 'redirect') - count(before, 'redirect')).toBe(3);
    expect(count(after, 'checksum') - count(before, 'checksum')).toBe(1);
    // Every observation falls in some bucket ≤ 1 s, and the sum is a positive duration.
    expect(value(after, 'mirrorball_http_request_duration_seconds_bucket{le="1",type="redirect"}')).toBe(count(after, 'redirect'));
    expect(value(after, 'mirrorball_http_request_duration_seconds_sum{type="redirect"}')).toBeGreaterThan(0);
  });

  it('mirrorball_redirects_total{country,mirror}: ISO code or unknown, mirror name or fallbackN', async () => {
    const before = await api.scrape();
    await api.get(DEB, SE);
    await api.get(DEB, SE);
    const nowhere = await api.get(DEB, NOWHERE);
    expect(nowhere.status).toBe(302);
    // JSON answers are not redirects.
    await api.get(DEB, { ...SE, Accept: 'application/json' });
    api.setConfig({ Fallbacks: [{ URL: 'https://fb.example.org/', CountryCode: 'SE', ContinentCode: 'EU' }] });
    expect((await api.get('/only-local.bin', SE)).get('Location')).toBe('https://fb.example.org/only-local.bin');
    api.setConfig({ Fallbacks: [] });
    const after = await api.scrape();
    const d = (s: string) => value(after, s) - value(before, s);
    expect(d('mirrorball_redirects_total{country="SE",mirror="se-mirror"}')).toBe(2);
    const nowhereMirror = /\/m(\d)\//.exec(nowhere.get('Location')!)![1];
    const name = { 1: 'gb-mirror', 2: 'us-mirror', 3: 'se-mirror' }[nowhereMirror as '1' | '2' | '3'];
    expect(d(`mirrorball_redirects_total{country="unknown",mirror="${name}"}`)).toBe(1);
    expect(d('mirrorball_redirects_total{country="SE",mirror="fallback0"}')).toBe(1);
  });

  it('mirrorball_pubsub_invalidations_total{channel} counts received messages', async () => {
    const series = 'mirrorball_pubsub_invalidations_total{channel="_mirrorbits_file_update"}';
    const before = value(await api.scrape(), series);
    await api.redis.publish('_mirrorbits_file_update', '/README.txt');
    await api.redis.publish('_mirrorbits_file_update', '/nothing');
    await api.redis.publish('_mirrorbits_mirror_update', '2');
    const after = await api.scrape();
    expect(value(after, series) - before).toBe(2);
    expect(value(after, 'mirrorball_pubsub_invalidations_total{channel="_mirrorbits_mirror_update"}')).toBeGreaterThanOrEqual(1);
  });

  it('mirrorball_geoip_database_info{type,build_epoch}: set at start, replaced on reload', async () => {
    const info = api.geo.info();
    const start = await api.scrape();
    expect(value(start, `mirrorball_geoip_database_info{type="city",build_epoch="${info.cityBuildEpoch}"}`)).toBe(1);
    expect(value(start, `mirrorball_geoip_database_info{type="asn",build_epoch="${info.asnBuildEpoch}"}`)).toBe(1);
    // New databases with another build time in the same directory, then a reload.
    const dir = path.dirname(info.cityFile!);
    await buildGeoDatabases(dir, [{ network: '198.51.100.0/24', country: 'FR', continent: 'EU', lat: 48.8, lon: 2.3, asn: 64500 }], { buildEpoch: 1_700_000_000 });
    expect((await api.geo.reload()).changed).toBe(true);
    const after = await api.scrape();
    expect(value(after, 'mirrorball_geoip_database_info{type="city",build_epoch="1700000000"}')).toBe(1);
    expect(value(after, 'mirrorball_geoip_database_info{type="asn",build_epoch="1700000000"}')).toBe(1);
    expect(after).not.toContain(`build_epoch="${info.cityBuildEpoch}"`);
  });

  // Last: it stops Redis.
  it('mirrorball_redis_errors_total{op}: catalog, stats_read and stats_flush each count their failure', async () => {
    const series = 'mirrorball_redis_errors_total{op="catalog"}';
    const before = value(await api.scrape(), series);
    const flushes = value(await api.scrape(), 'mirrorball_redis_errors_total{op="stats_flush"}');
    const reads = value(await api.scrape(), 'mirrorball_redis_errors_total{op="stats_read"}');
    await api.srv.kill();
    expect((await api.get('/dists/stable/Release', SE)).status).toBe(503);
    expect(value(await api.scrape(), series) - before).toBe(1);
    // ?stats and ?mirrorstats cannot read: stats_read.
    expect((await api.get(DEB + '?stats', SE)).status).toBe(500);
    expect((await api.get('/?mirrorstats', SE)).status).toBe(500);
    expect(value(await api.scrape(), 'mirrorball_redis_errors_total{op="stats_read"}') - reads).toBe(2);
    // A download counted now cannot be flushed (every 100 ms here): stats_flush.
    api.ctx.counter.record(DEB, 1, 1000);
    await new Promise((r) => setTimeout(r, 300));
    expect(value(await api.scrape(), 'mirrorball_redis_errors_total{op="stats_flush"}') - flushes).toBeGreaterThanOrEqual(1);
  });
});
