import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utcDaySuffix } from '@mirrorball/downloads';
import { startApi, type ApiHarness } from '../test-harness.ts';

let api: ApiHarness;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});

describe('?mirrorstats', () => {
  it('renders every mirror with today\'s counters', async () => {
    await api.redis.hset(`STATS_MIRROR_${utcDaySuffix(Date.now())}`, '3', '12345');
    const r = await api.get('/anything?mirrorstats');
    expect(r.status).toBe(200);
    expect(r.get('Content-Type')).toBe('text/html; charset=utf-8');
    for (const n of ['gb-mirror', 'us-mirror', 'se-mirror']) expect(r.body).toContain(n);
    expect(r.body).toMatch(/12[ ,.]?345/);
  });
  it('500 when Redis cannot answer', async () => {
    await api.srv.kill();
    await new Promise((r) => setTimeout(r, 50));
    const r = await api.get('/?mirrorstats');
    expect(r.status).toBe(500);
    expect(r.body).toBe('Cannot fetch the list of mirrors\n');
    await api.srv.restart();
  });
});
