import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utcDaySuffix } from '@mirrorball/downloads';
import { loadRedisDump } from '@mirrorball/testing';
import { DUMP, startApi, type ApiHarness } from './test-harness.ts';

const DEB = '/pool/main/h/hello/hello_2.10-3_amd64.deb';
const SE = { 'X-Forwarded-For': '89.160.20.112' };
let api: ApiHarness;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('pub/sub invalidation', () => {
  it('a mirror edited in Redis + published is reflected by the next request', async () => {
    expect((await api.get(DEB, SE)).get('Location')).toBe(`http://127.0.0.1/m3${DEB}`);
    await api.redis.hset('MIRROR_3', 'http', 'http://127.0.0.1/moved/');
    // Without a publish, the cache keeps answering (no TTL, no Redis round trip).
    expect((await api.get(DEB, SE)).get('Location')).toBe(`http://127.0.0.1/m3${DEB}`);
    await api.redis.publish('_mirrorbits_mirror_update', '3');
    await sleep(100);
    expect((await api.get(DEB, SE)).get('Location')).toBe(`http://127.0.0.1/moved${DEB}`);
    await api.redis.hset('MIRROR_3', 'http', 'http://127.0.0.1/m3/');
    await api.redis.publish('_mirrorbits_mirror_update', '3');
    await sleep(100);
  });
  it('a removed file disappears after _mirrorbits_file_update', async () => {
    await api.redis.del('FILE_/trace');
    await api.redis.publish('_mirrorbits_file_update', '/trace');
    await sleep(100);
    expect((await api.get('/trace')).status).toBe(404);
  });
});

describe('Redis failure', () => {
  it('cached files keep redirecting, uncached paths fail fast, recovery after restart', async () => {
    expect((await api.get(DEB, SE)).status).toBe(302);
    await sleep(300); // flushed (into a Redis about to lose everything: no persistence)
    await api.srv.kill();
    await sleep(50);
    const warm = await api.get(DEB, SE);
    expect(warm.status).toBe(302);
    expect(warm.get('Location')).toBe(`http://127.0.0.1/m3${DEB}`);
    const t0 = Date.now();
    const cold = await api.get('/dists/stable/Release', SE);
    expect(cold.status).toBe(503);
    expect(Date.now() - t0).toBeLessThan(1000);
    api.setConfig({ Fallbacks: [{ URL: 'https://fallback.example.org/', CountryCode: 'FR', ContinentCode: 'EU' }] });
    const fb = await api.get('/dists/stable/Release', SE);
    expect(fb.status).toBe(302);
    expect(fb.get('Location')).toBe('https://fallback.example.org/dists/stable/Release');
    api.setConfig({ Fallbacks: [] });
    // Counted downloads wait in memory.
    expect(api.ctx.counter.pending).toBeGreaterThan(0);

    await api.srv.restart();
    for (let i = 0; ; i++) {
      try {
        // The index only: counters flushed meanwhile must not be overwritten.
        await loadRedisDump((a) => api.redis.call(a[0]!, ...a.slice(1)), DUMP.filter((k) => !k.key.startsWith('STATS_')));
        break;
      } catch (e) {
        if (i > 50) throw e;
        await sleep(100);
      }
    }
    await sleep(300);
    const back = await api.get('/dists/stable/Release', SE);
    expect(back.status).toBe(302);
    expect(back.get('Location')).toBe('http://127.0.0.1/m3/dists/stable/Release');
    // The aggregate kept during the outage reaches Redis.
    for (let i = 0; i < 30 && api.ctx.counter.pending > 0; i++) await sleep(100);
    const day = utcDaySuffix(Date.now());
    expect(await api.redis.hget(`STATS_FILE_${day}`, '/dists/stable/Release')).toBe('2');
    expect(await api.redis.hget(`STATS_FILE_${day}`, DEB)).toBe('1');
    expect(await api.redis.get('STATS_TOTAL')).toBe('3');
  });
});
