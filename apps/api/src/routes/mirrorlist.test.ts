import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from '../test-harness.ts';

let api: ApiHarness;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});

describe('?mirrorlist', () => {
  it('renders the page for a geolocated client (fromip honoured)', async () => {
    const r = await api.get('/README.txt?mirrorlist&fromip=216.160.83.56');
    expect(r.status).toBe(200);
    expect(r.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(r.get('Cache-Control')).toBe('private, no-cache');
    expect(r.body).toContain('216.160.83.56');
    expect(r.body).toContain('Milton');
    for (const n of ['http://127.0.0.1/m1/', 'http://127.0.0.1/m2/', 'http://127.0.0.1/m3/']) expect(r.body).toContain(n);
  });
  it('shows excluded mirrors with their reason', async () => {
    await api.redis.hset('MIRROR_2', 'enabled', '0');
    await api.redis.publish('_mirrorbits_mirror_update', '2');
    await new Promise((r) => setTimeout(r, 100));
    const r = await api.get('/README.txt?mirrorlist&fromip=216.160.83.56');
    expect(r.body).toContain('Disabled');
    await api.redis.hset('MIRROR_2', 'enabled', '1');
    await api.redis.publish('_mirrorbits_mirror_update', '2');
  });
  it('404 for unknown paths, 503 for a directory without fallbacks, 304 honoured', async () => {
    expect((await api.get('/nope?mirrorlist')).status).toBe(404);
    expect((await api.get('/pool/?mirrorlist')).status).toBe(503);
    expect((await api.get('/README.txt?mirrorlist', { 'If-Modified-Since': 'Mon, 15 Jan 2024 12:00:00 GMT' })).status).toBe(304);
  });
});
