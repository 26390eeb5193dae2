import fs from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { RedisServer } from '@mirrorball/testing';
import { createRedis } from './connection.ts';
import {
  disableSetGet, downloadClientHash, flushDownloadStats, markDownloaded, readFileStats, readMirrorDayStats,
  statsKeysForPeriod, statsSuffixes, timeKeyCoverage,
} from './stats.ts';
import { parseMonitorLine, recordCommands, type CommandRecorder } from './testkit/monitor.ts';

const capture = fs.readFileSync(new URL('../testdata/11-redis-monitor-requests.txt', import.meta.url), 'utf8').split('\n');
const utc = (s: string) => new Date(s + 'Z');

describe('period helpers', () => {
  it('formats UTC suffixes zero-padded', () => {
    expect(statsSuffixes(new Date(Date.UTC(2026, 10, 5, 23, 59)))).toEqual(['2026_11_05', '2026_11', '2026']);
    expect(statsSuffixes(new Date('2026-01-01T00:30:00+01:00'))).toEqual(['2025_12_31', '2025_12', '2025']);
  });

  it('reproduces the four tested TimeKeyCoverage examples', () => {
    expect(timeKeyCoverage(utc('2015-10-30T12:42:11'), utc('2015-12-02T13:42:11'))).toEqual(['2015_10_30', '2015_10_31', '2015_11', '2015_12_01']);
    expect(timeKeyCoverage(utc('2015-12-02T12:42:00'), utc('2015-12-02T13:42:00'))).toEqual(['2015_12_02']);
    expect(timeKeyCoverage(utc('2015-01-01T12:42:00'), utc('2017-01-01T13:42:00'))).toEqual(['2015', '2016']);
    expect(timeKeyCoverage(utc('2015-12-31T12:42:00'), utc('2016-01-02T13:42:00'))).toEqual(['2015_12_31', '2016_01_01']);
    expect(statsKeysForPeriod('mirrorBytes', utc('2015-12-31T12:42:00'), utc('2016-01-02T13:42:00'))).toEqual(['STATS_MIRROR_BYTES_2015_12_31', 'STATS_MIRROR_BYTES_2016_01_01']);
  });
});

describe('stats in Redis', () => {
  let srv: RedisServer;
  let redis: Redis;
  let rec: CommandRecorder;
  beforeAll(async () => {
    srv = await RedisServer.start();
    redis = createRedis({ RedisAddress: srv.address }, { purpose: 'main' });
    rec = await recordCommands(srv.url);
  });
  afterAll(async () => {
    await rec.stop();
    redis.disconnect();
    await srv.stop();
  });
  beforeEach(async () => {
    await redis.flushdb();
    await rec.flush(redis);
  });

  it('flushes one download exactly as capture 11 shows', async () => {
    const start = capture.indexOf('"MULTI"');
    const expected = capture.slice(start, capture.indexOf('"EXEC"', start) + 1).map(parseMonitorLine);
    await flushDownloadStats(redis, {
      date: utc('2026-11-25T20:30:00'),
      files: new Map([['/pool/main/h/hello/hello_2.10-3_amd64.deb', 1]]),
      mirrors: new Map([[3, { count: 1, bytes: 262144 }]]),
    });
    expect(await rec.flush(redis)).toEqual(expected);
    expect(await readFileStats(redis, '/pool/main/h/hello/hello_2.10-3_amd64.deb', utc('2026-11-25T21:00:00'))).toEqual({ today: 1, month: 1, year: 1, total: 1 });
    // The ?stats read is the MULTI after the `?mirrorlist` marker in capture 11.
    const statsAt = capture.findIndex((l) => l.includes('after ?mirrorlist'));
    const statsStart = capture.indexOf('"MULTI"', statsAt);
    expect(await rec.flush(redis)).toEqual(capture.slice(statsStart, capture.indexOf('"EXEC"', statsStart) + 1).map(parseMonitorLine));
    const day = await readMirrorDayStats(redis, [3, 1, 2], utc('2026-11-25T22:00:00'));
    const msAt = capture.indexOf('"MULTI"', capture.findIndex((l) => l.includes('after ?sha256')));
    expect(await rec.flush(redis)).toEqual(capture.slice(msAt, capture.indexOf('"EXEC"', msAt) + 1).map(parseMonitorLine));
    expect(day.get(3)).toEqual({ count: 1, bytes: 262144 });
    expect(day.get(1)).toEqual({ count: 0, bytes: 0 });
    expect(await redis.get('STATS_TOTAL')).toBe('1');
    expect(await redis.ttl('STATS_FILE_2026_11_25')).toBe(-1);
  });

  it('sets TTLs on daily and monthly keys only when a retention is configured', async () => {
    const date = utc('2026-11-25T20:30:00');
    await flushDownloadStats(redis, { date, files: new Map([['/a', 2]]), mirrors: new Map([[1, { count: 2, bytes: 10 }]]) }, { DailyDays: 10, MonthlyMonths: 2 });
    expect(await redis.expiretime('STATS_FILE_2026_11_25')).toBe(Date.UTC(2026, 11, 6) / 1000);
    expect(await redis.expiretime('STATS_MIRROR_BYTES_2026_11_25')).toBe(Date.UTC(2026, 11, 6) / 1000);
    expect(await redis.expiretime('STATS_MIRROR_2026_11')).toBe(Date.UTC(2027, 1, 1) / 1000);
    expect(await redis.ttl('STATS_FILE_2026')).toBe(-1);
    expect(await redis.ttl('STATS_FILE')).toBe(-1);
    expect(await redis.hget('STATS_MIRROR_BYTES', '1')).toBe('10');
    await rec.flush(redis);
    await flushDownloadStats(redis, { date, files: new Map(), mirrors: new Map() });
    expect(await rec.flush(redis)).toEqual([]);
  });

  it('de-duplicates ranged downloads with SET … GET EX (and the GET + SET fallback)', async () => {
    const hash = downloadClientHash('81.2.69.142', 'curl/8');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await markDownloaded(redis, hash, '/a b.iso', 600)).toBe(true);
    expect(await markDownloaded(redis, hash, '/a b.iso', 600)).toBe(false);
    expect(await rec.flush(redis)).toContainEqual(['SET', `DOWNLOADED_${hash}_/a b.iso`, '1', 'GET', 'EX', '600']);
    expect(await redis.ttl(`DOWNLOADED_${hash}_/a b.iso`)).toBeGreaterThan(590);
    const old = createRedis({ RedisAddress: srv.address }, { purpose: 'main' });
    try {
      disableSetGet(old);
      expect(await markDownloaded(old, hash, '/other', 5)).toBe(true);
      expect(await markDownloaded(old, hash, '/other', 5)).toBe(false);
      expect(await redis.ttl(`DOWNLOADED_${hash}_/other`)).toBeGreaterThan(0);
    } finally {
      old.disconnect();
    }
  });
});
