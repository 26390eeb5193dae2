import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utcDaySuffix } from '@mirrorball/downloads';
import { startApi, type ApiHarness } from '../test-harness.ts';
import { periodSuffix } from './stats.ts';

const DEB = '/pool/main/h/hello/hello_2.10-3_amd64.deb';
let api: ApiHarness;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});

describe('?stats', () => {
  it('zeros for an unknown path, indented like capture 06 (65 bytes)', async () => {
    const r = await api.get('/iso/?stats');
    expect(r.status).toBe(200);
    expect(r.body).toBe('{\n    "Today": 0,\n    "Month": 0,\n    "Year": 0,\n    "Total": 0\n}');
    expect(r.get('Content-Length')).toBe('65');
    expect(r.get('Content-Type')).toBe('text/plain; charset=utf-8');
  });
  it('reads the four levels for today (UTC)', async () => {
    const d = utcDaySuffix(Date.now());
    await api.redis.hset(`STATS_FILE_${d}`, DEB, '3');
    await api.redis.hset(`STATS_FILE_${d.slice(0, 7)}`, DEB, '5');
    await api.redis.hset(`STATS_FILE_${d.slice(0, 4)}`, DEB, '7');
    const r = await api.get(DEB + '?stats');
    expect(r.body).toBe('{\n    "Today": 3,\n    "Month": 5,\n    "Year": 7,\n    "Total": 10\n}');
  });
  it('?stats=<period> reads one key, 400 Invalid period otherwise', async () => {
    await api.redis.hset('STATS_FILE_2026_1', DEB, '42');
    const r = await api.get(DEB + '?stats=2026-1');
    expect(r.body).toBe('{\n    "Period": "2026-1",\n    "Downloads": 42\n}');
    const bad = await api.get(DEB + '?stats=2026-x');
    expect(bad.status).toBe(400);
    expect(bad.body).toBe('Invalid period\n');
  });
  it('periodSuffix', () => {
    expect(periodSuffix('2024-01-02')).toBe('2024_01_02');
    expect(periodSuffix('2024')).toBe('2024');
    expect(periodSuffix('2024-01-02-03')).toBeNull();
    expect(periodSuffix('a')).toBeNull();
  });
});
