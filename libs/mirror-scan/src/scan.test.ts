import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestCA, RedisServer, RsyncDaemon, HttpMirror } from '@mirrorball/testing';
import { emptyMirror, type Mirror } from '@mirrorball/model';
import { encodeMirror, decodeMirror } from '@mirrorball/redis';
import { scanMirror } from './scan.ts';
import { ScanAbortedError, ScanError, ScanLockedError } from './errors.ts';

const T = new Date('2024-01-15T12:00:00Z');
const GO_T = '2024-01-15 12:00:00 +0000 UTC';

function put(root: string, rel: string, size: number, when = T): void {
  const full = path.join(root, rel);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, Buffer.alloc(size, 3));
  fs.utimesSync(full, when, when);
}

async function addMirror(redis: Redis, m: Partial<Mirror> & { id: number; name: string }): Promise<Mirror> {
  const mirror = { ...emptyMirror(m.id), ...m };
  await redis.hset(`MIRROR_${m.id}`, ...encodeMirror(mirror));
  await redis.hset('MIRRORS', String(m.id), m.name);
  return mirror;
}

describe('scanMirror (contract §8.2) against real redis-server, rsync daemon and HTTP mirror', () => {
  let redisServer: RedisServer;
  let redis: Redis;
  let sub: Redis;
  let messages: string[];
  let root: string;
  let daemon: RsyncDaemon;

  beforeAll(async () => {
    redisServer = await RedisServer.start();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-scan-test-'));
    daemon = await RsyncDaemon.start({ modules: { m: root } });
  });
  afterAll(async () => {
    await daemon?.stop();
    await redisServer?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  beforeEach(async () => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.mkdirSync(root, { recursive: true });
    put(root, 'README.txt', 87);
    put(root, 'trace', 11);
    put(root, 'dir with space/file name+plus.txt', 20);
    put(root, 'pool/main/h/hello/hello_2.10-3_amd64.deb', 262144);
    put(root, 'extra/unknown-to-source.bin', 5);
    redis = new Redis(redisServer.port, '127.0.0.1');
    await redis.flushall();
    await redis.sadd('FILES', '/README.txt', '/trace', '/dir with space/file name+plus.txt', '/pool/main/h/hello/hello_2.10-3_amd64.deb', '/only-local.bin');
    sub = new Redis(redisServer.port, '127.0.0.1');
    messages = [];
    await sub.subscribe('_mirrorbits_mirror_update', '_mirrorbits_mirror_file_update');
    sub.on('message', (ch: string, msg: string) => messages.push(`${ch} ${msg}`));
  });
  afterEach(async () => {
    redis.disconnect();
    sub.disconnect();
  });

  const settle = () => new Promise((r) => setTimeout(r, 50));

  it('records an rsync scan exactly as Mirrorbits does', async () => {
    const mirror = await addMirror(redis, { id: 3, name: 'se-mirror', rsyncURL: daemon.url('m'), httpURL: 'http://127.0.0.1:1/m3/' });
    const before = Math.floor(Date.now() / 1000);
    const r = await scanMirror(redis, mirror);
    expect(r).toMatchObject({ filesIndexed: 5, knownIndexed: 4, removed: 0, tzOffsetMs: 0, protocol: 0, changed: 5 });

    expect(await redis.hgetall('FILEINFO_3_/dir with space/file name+plus.txt')).toEqual({ size: '20', modTime: GO_T });
    expect(await redis.hgetall('FILEINFO_3_/pool/main/h/hello/hello_2.10-3_amd64.deb')).toEqual({ size: '262144', modTime: GO_T });
    expect(await redis.smembers('FILEMIRRORS_/extra/unknown-to-source.bin')).toEqual(['3']);
    expect((await redis.smembers('MIRRORFILES_3')).sort()).toEqual([
      '/README.txt', '/dir with space/file name+plus.txt', '/extra/unknown-to-source.bin',
      '/pool/main/h/hello/hello_2.10-3_amd64.deb', '/trace',
    ]);
    expect((await redis.smembers('HANDLEDFILES_3')).length).toBe(4);
    expect(await redis.exists('MIRRORFILESTMP_3', 'MIRRORBALL_SCANTMP_3', 'SCANNING_3')).toBe(0);

    const m = decodeMirror(3, await redis.hgetall('MIRROR_3'))!;
    expect(m.lastSync).toBeGreaterThanOrEqual(before);
    expect(m.lastSuccessfulSync).toBe(m.lastSync);
    const h = await redis.hgetall('MIRROR_3');
    expect([h.lastSuccessfulSyncProtocol, h.lastSuccessfulSyncPrecision, h.tzoffset]).toEqual(['0', '1000000000', '0']);

    const logs = (await redis.lrange('MIRRORLOGS_3', 0, -1)).map((l) => JSON.parse(l));
    expect(logs.map((l) => l.Type)).toEqual([7, 8]);
    expect(logs[0]).toMatchObject({ MirrorID: 3, Typ: 0 });
    expect(logs[1]).toMatchObject({ FilesIndexed: 5, KnownIndexed: 4, Removed: 0, TZOffset: 0 });
    expect(Object.keys(logs[1])).toEqual(['Type', 'MirrorID', 'Timestamp', 'FilesIndexed', 'KnownIndexed', 'Removed', 'TZOffset']);

    await settle();
    expect(messages.filter((x) => x.startsWith('_mirrorbits_mirror_file_update')).sort()).toEqual([
      '_mirrorbits_mirror_file_update 3 /README.txt',
      '_mirrorbits_mirror_file_update 3 /dir with space/file name+plus.txt',
      '_mirrorbits_mirror_file_update 3 /extra/unknown-to-source.bin',
      '_mirrorbits_mirror_file_update 3 /pool/main/h/hello/hello_2.10-3_amd64.deb',
      '_mirrorbits_mirror_file_update 3 /trace',
    ]);
    expect(messages.filter((x) => x === '_mirrorbits_mirror_update 3').length).toBeGreaterThanOrEqual(3);
  });

  it('rescans: writes and publishes only changes, removes vanished files', async () => {
    const mirror = await addMirror(redis, { id: 4, name: 'm4', rsyncURL: daemon.url('m') });
    await scanMirror(redis, mirror);
    put(root, 'README.txt', 90);
    fs.rmSync(path.join(root, 'trace'));
    put(root, 'new.iso', 1);
    await settle();
    messages.length = 0;
    const r = await scanMirror(redis, mirror);
    expect(r).toMatchObject({ filesIndexed: 5, removed: 1, changed: 2, knownIndexed: 3 });
    expect(await redis.hget('FILEINFO_4_/README.txt', 'size')).toBe('90');
    expect(await redis.exists('FILEINFO_4_/trace')).toBe(0);
    expect(await redis.sismember('FILEMIRRORS_/trace', '4')).toBe(0);
    expect(await redis.sismember('MIRRORFILES_4', '/trace')).toBe(0);
    expect(await redis.sismember('HANDLEDFILES_4', '/trace')).toBe(0);
    await settle();
    expect(messages.filter((x) => x.startsWith('_mirrorbits_mirror_file_update')).sort()).toEqual([
      '_mirrorbits_mirror_file_update 4 /README.txt',
      '_mirrorbits_mirror_file_update 4 /new.iso',
      '_mirrorbits_mirror_file_update 4 /trace',
    ]);
  });

  async function snapshot(id: number) {
    const files = (await redis.smembers(`MIRRORFILES_${id}`)).sort();
    const infos = await Promise.all(files.map((f) => redis.hgetall(`FILEINFO_${id}_${f}`)));
    const h = await redis.hgetall(`MIRROR_${id}`);
    return { files, infos, lastSuccessfulSync: h.lastSuccessfulSync, handled: (await redis.smembers(`HANDLEDFILES_${id}`)).sort() };
  }

  it('an aborted scan (mid-listing) leaves the previous set fully in place', async () => {
    const mirror = await addMirror(redis, { id: 5, name: 'm5', rsyncURL: daemon.url('m') });
    await scanMirror(redis, mirror);
    const prev = await snapshot(5);
    for (let i = 0; i < 3000; i++) put(root, `bulk/${i}.bin`, 1);
    fs.rmSync(path.join(root, 'README.txt'));
    const ac = new AbortController();
    let staged = 0;
    const watcher = new Redis(redisServer.port, '127.0.0.1');
    const poll = setInterval(() => {
      void watcher.scard('MIRRORFILESTMP_5').then((n) => {
        staged = Math.max(staged, n);
        if (staged > 0) ac.abort(); // abort once part of the new listing sits in Redis
      }, () => {});
    }, 2);
    const t0 = Date.now();
    await expect(scanMirror(redis, mirror, { signal: ac.signal, batchSize: 50 })).rejects.toBeInstanceOf(ScanAbortedError);
    expect(Date.now() - t0).toBeLessThan(3000); // rsync (and its forked half) killed at once
    clearInterval(poll);
    watcher.disconnect();
    expect(staged).toBeGreaterThan(0);
    expect(await snapshot(5)).toEqual(prev);
    expect(await redis.exists('MIRRORFILESTMP_5', 'MIRRORBALL_SCANTMP_5', 'SCANNING_5')).toBe(0);
    expect(await redis.keys('FILEINFO_5_/bulk/*')).toEqual([]); // early records of new files discarded
    const last = JSON.parse((await redis.lrange('MIRRORLOGS_5', -1, -1))[0]!);
    expect(last).toMatchObject({ Type: 1, Err: 'scan aborted' });
  });

  it('a failing rsync (daemon gone) leaves the previous set, logs the contract error', async () => {
    const mirror = await addMirror(redis, { id: 6, name: 'm6', rsyncURL: daemon.url('m') });
    await scanMirror(redis, mirror);
    const prev = await snapshot(6);
    const broken = { ...mirror, rsyncURL: 'rsync://127.0.0.1:1/m/' };
    await expect(scanMirror(redis, broken)).rejects.toThrow('rsync: Error in socket I/O');
    expect(await snapshot(6)).toEqual(prev);
    const last = JSON.parse((await redis.lrange('MIRRORLOGS_6', -1, -1))[0]!);
    expect(last).toMatchObject({ Type: 1, Err: 'rsync: Error in socket I/O' });
  });

  it('refuses when SCANNING_<id> is held by someone else, without writing anything', async () => {
    const mirror = await addMirror(redis, { id: 7, name: 'm7', rsyncURL: daemon.url('m') });
    await redis.set('SCANNING_7', '1', 'EX', 10);
    const before = await redis.hgetall('MIRROR_7');
    const err = await scanMirror(redis, mirror).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScanLockedError);
    expect((err as Error).message).toBe('scan already in progress');
    expect(await redis.hgetall('MIRROR_7')).toEqual(before);
    expect(await redis.exists('MIRRORLOGS_7', 'MIRRORFILES_7', 'MIRRORFILESTMP_7')).toBe(0);
    expect(await redis.get('SCANNING_7')).toBe('1'); // not released by us
  });

  it('refuses an empty listing from a mirror that had files (previous set kept)', async () => {
    const mirror = await addMirror(redis, { id: 8, name: 'm8', rsyncURL: daemon.url('m') });
    await scanMirror(redis, mirror);
    const prev = await snapshot(8);
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-empty-'));
    const d2 = await RsyncDaemon.start({ modules: { m: empty } });
    try {
      await expect(scanMirror(redis, { ...mirror, rsyncURL: d2.url('m') })).rejects.toBeInstanceOf(ScanError);
      expect(await snapshot(8)).toEqual(prev);
    } finally {
      await d2.stop();
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it('cleans staging keys a killed scan left behind', async () => {
    const mirror = await addMirror(redis, { id: 9, name: 'm9', rsyncURL: daemon.url('m') });
    await redis.sadd('MIRRORFILESTMP_9', '/ghost');
    await redis.hset('MIRRORBALL_SCANTMP_9', '/ghost2', '');
    await redis.hset('FILEINFO_9_/ghost', 'size', '1', 'modTime', '2020-01-01 00:00:00 +0000 UTC');
    await scanMirror(redis, mirror);
    expect(await redis.sismember('MIRRORFILES_9', '/ghost')).toBe(0);
    expect(await redis.exists('FILEINFO_9_/ghost', 'FILEMIRRORS_/ghost')).toBe(0);
  });

  it('falls back to HTTP when rsync fails, fetches the trace file, records protocol 2', async () => {
    fs.writeFileSync(path.join(root, 'trace'), '1705320000 extra\n');
    const http = await HttpMirror.start({ root, listing: 'nginx' });
    try {
      const mirror = await addMirror(redis, { id: 10, name: 'm10', rsyncURL: 'rsync://127.0.0.1:1/x/', httpURL: http.url });
      const r = await scanMirror(redis, mirror, {
        config: { TraceFileLocation: '/trace', HttpScan: { Concurrency: 2, RequestsPerSecond: 0 } },
      });
      expect(r).toMatchObject({ protocol: 2, filesIndexed: 5 });
      const h = await redis.hgetall('MIRROR_10');
      expect([h.lastSuccessfulSyncProtocol, h.lastSuccessfulSyncPrecision, h.lastModTime]).toEqual(['2', '1000000000', '1705320000']);
      expect(http.requests.some((q) => q.path === '/trace' && q.headers['user-agent'] === 'Mirrorball/0.1.0 TRACE')).toBe(true);
      const logs = (await redis.lrange('MIRRORLOGS_10', 0, -1)).map((l) => JSON.parse(l));
      expect(logs.map((l) => [l.Type, l.Typ ?? l.Err ?? l.FilesIndexed])).toEqual([
        [7, 0], [1, 'rsync: Error in socket I/O'], [7, 2], [8, 5],
      ]);
    } finally {
      await http.stop();
    }
  });

  it('scans a scheme-less HTTPS mirror with a private CA, trace file over https', async () => {
    fs.writeFileSync(path.join(root, 'trace'), '1705320001\n');
    const ca = createTestCA();
    const https = await HttpMirror.start({ root, listing: 'apache', tls: ca.issue('127.0.0.1') });
    try {
      const mirror = await addMirror(redis, { id: 13, name: 'm13', httpURL: https.schemelessUrl, httpsUp: true });
      const r = await scanMirror(redis, mirror, { ca: ca.caCert, config: { TraceFileLocation: 'trace', HttpScan: { Concurrency: 4, RequestsPerSecond: 0 } } });
      expect(r).toMatchObject({ protocol: 2, filesIndexed: 5, knownIndexed: 4 });
      expect(await redis.hget('MIRROR_13', 'lastModTime')).toBe('1705320001');
      expect(await redis.hgetall('FILEINFO_13_/dir with space/file name+plus.txt')).toEqual({ size: '20', modTime: GO_T });
      // Without the CA the scan fails cleanly and records the error.
      await expect(scanMirror(redis, mirror)).rejects.toThrow(ScanError);
      const last = JSON.parse((await redis.lrange('MIRRORLOGS_13', -1, -1))[0]!);
      expect(last.Type).toBe(1);
      expect(await redis.scard('MIRRORFILES_13')).toBe(5);
    } finally {
      await https.stop();
      ca.dispose();
    }
  });

  it('detects a timezone offset (§8.6)', async () => {
    const paths: string[] = [];
    for (let i = 0; i < 12; i++) {
      put(root, `tz/${i}.bin`, 10 + i);
      paths.push(`/tz/${i}.bin`);
      // The source says one hour later than the mirror shows.
      await redis.hset(`FILE_/tz/${i}.bin`, 'size', String(10 + i), 'modTime', '2024-01-15 13:00:00 +0000 UTC');
    }
    await redis.sadd('FILES', ...paths);
    const mirror = await addMirror(redis, { id: 11, name: 'm11', rsyncURL: daemon.url('m') });
    const r = await scanMirror(redis, mirror, { config: { FixTimezoneOffsets: true } });
    expect(r.tzOffsetMs).toBe(3_600_000);
    expect(await redis.hget('MIRROR_11', 'tzoffset')).toBe('3600000');
  });

  it('fails cleanly when Redis goes away during a scan', async () => {
    const own = await RedisServer.start();
    const r2 = new Redis(own.port, '127.0.0.1', { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });
    r2.on('error', () => {});
    await r2.connect();
    try {
      for (let i = 0; i < 3000; i++) put(root, `bulk/${i}.bin`, 1);
      const mirror = await addMirror(r2, { id: 12, name: 'm12', rsyncURL: daemon.url('m') });
      const run = scanMirror(r2, mirror, { batchSize: 20 });
      setTimeout(() => void own.kill(), 30);
      await expect(run).rejects.toThrow();
    } finally {
      r2.disconnect();
      await own.stop();
    }
  });
});
