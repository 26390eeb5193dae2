import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpMirror, RedisServer } from '@mirrorball/testing';
import { emptyMirror, type Mirror } from '@mirrorball/model';
import { addMirror, CHANNELS, getMirror, mirrorLogText, readMirrorLogs } from '@mirrorball/redis';
import { runIndex } from '@mirrorball/indexer';
import { LocalDirectorySource } from '@mirrorball/source';
import { scanMirror } from '@mirrorball/mirror-scan';
import { contentCheckMirror } from './check.ts';

describe('contentCheckMirror against a real indexer, HTTP mirror and redis-server', () => {
  let server: RedisServer;
  let redis: Redis;
  let src: string;
  let mirrorDir: string;
  let http: HttpMirror;
  let m: Mirror;

  beforeAll(async () => {
    server = await RedisServer.start();
    redis = new Redis(server.port, '127.0.0.1');
    src = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-cc-src-'));
    fs.mkdirSync(path.join(src, 'iso'));
    fs.writeFileSync(path.join(src, 'iso/big image.iso'), randomBytes(300_000));
    fs.writeFileSync(path.join(src, 'small.txt'), 'hello world\n');
    fs.writeFileSync(path.join(src, 'resized.bin'), randomBytes(5000));
    mirrorDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-cc-mirror-'));
    fs.cpSync(src, mirrorDir, { recursive: true, preserveTimestamps: true });
    fs.writeFileSync(path.join(mirrorDir, 'resized.bin'), randomBytes(4000));
    http = await HttpMirror.start({ root: mirrorDir });
    await runIndex({
      redis, source: new LocalDirectorySource(src), hashes: { sha1: false, sha256: true, md5: false }, progressEveryMs: 0,
      rangeHashes: { count: 4, size: 1024 },
    });
    const id = await addMirror(redis, { ...emptyMirror(), name: 'cc', httpURL: http.url, enabled: true });
    await scanMirror(redis, (await getMirror(redis, id))!);
    await redis.hset(`MIRROR_${id}`, 'httpUp', '1');
    m = (await getMirror(redis, id))!;
  });
  afterAll(async () => {
    redis?.disconnect();
    await http?.stop();
    await server?.stop();
    fs.rmSync(src, { recursive: true, force: true });
    fs.rmSync(mirrorDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    http.clearFaults();
    http.requests.length = 0;
  });

  it('verifies recorded ranges with Range requests; files whose size differs are not sampled', async () => {
    expect(await redis.exists('MIRRORBALL_RANGEHASH_/iso/big image.iso')).toBe(1);
    const r = await contentCheckMirror(redis, m, { filesPerCheck: 10 });
    expect(r.protocol).toBe('http');
    expect(r.files.map((f) => [f.path, f.outcome]).sort()).toEqual([['/iso/big image.iso', 'match'], ['/small.txt', 'match']]);
    const ranged = http.requests.filter((q) => q.path === '/iso/big image.iso');
    expect(ranged.length).toBe(4);
    expect(ranged.every((q) => /^bytes=\d+-\d+$/.test(String(q.headers.range)))).toBe(true);
    expect(await redis.hget(`MIRRORBALL_CONTENT_${m.id}_/iso/big image.iso`, 'result')).toBe('ok');
    expect(await redis.scard(`MIRRORBALL_CONTENTBAD_${m.id}`)).toBe(0);
  });

  it('catches right size, wrong bytes: CONTENTBAD, invalidation, log; a later match clears it', async () => {
    const sub = new Redis(server.port, '127.0.0.1');
    const msgs: string[] = [];
    await sub.subscribe(CHANNELS.mirrorFileUpdate);
    sub.on('message', (_c: string, x: string) => msgs.push(x));
    http.setFault('/iso/big image.iso', { kind: 'wrongBytes' });
    const r = await contentCheckMirror(redis, m, { filesPerCheck: 10, paths: ['/iso/big image.iso'] });
    expect(r.files[0]).toMatchObject({ outcome: 'mismatch', changed: true });
    expect(r.files[0]!.detail).toMatch(/^bytes 0-1023: sha256 [0-9a-f]{64}, expected [0-9a-f]{64}$/);
    expect(await redis.smembers(`MIRRORBALL_CONTENTBAD_${m.id}`)).toEqual(['/iso/big image.iso']);
    expect(await redis.hget(`MIRRORBALL_CONTENT_${m.id}_/iso/big image.iso`, 'result')).toBe('mismatch');
    expect((await readMirrorLogs(redis, m.id)).map(mirrorLogText).at(-1)).toMatch(/^Error: Content mismatch on \/iso\/big image\.iso \(bytes 0-1023/);

    http.clearFaults();
    const r2 = await contentCheckMirror(redis, m, { filesPerCheck: 10, paths: ['/iso/big image.iso'] });
    expect(r2.files[0]).toMatchObject({ outcome: 'match', changed: true });
    expect(await redis.scard(`MIRRORBALL_CONTENTBAD_${m.id}`)).toBe(0);
    // Pub/sub delivery is asynchronous: wait for both messages (generous deadline), not a fixed time.
    for (const end = Date.now() + 10_000; msgs.length < 2 && Date.now() < end;) await new Promise((res) => setTimeout(res, 20));
    expect(msgs).toEqual([`${m.id} /iso/big image.iso`, `${m.id} /iso/big image.iso`]);
    sub.disconnect();
  });

  it('a mirror that ignores Range is still verified from the stream; errors change nothing', async () => {
    http.setFault('/iso/big image.iso', { kind: 'ignoreRange' });
    const r = await contentCheckMirror(redis, m, { filesPerCheck: 10, paths: ['/iso/big image.iso'] });
    expect(r.files[0]!.outcome).toBe('match');

    await redis.sadd(`MIRRORBALL_CONTENTBAD_${m.id}`, '/small.txt');
    http.setFault('/small.txt', { kind: 'status', status: 503 });
    const r2 = await contentCheckMirror(redis, m, { filesPerCheck: 10, paths: ['/small.txt'] });
    expect(r2.files[0]).toMatchObject({ outcome: 'error', detail: 'bytes 0-11: Got status code 503', changed: false });
    expect(await redis.sismember(`MIRRORBALL_CONTENTBAD_${m.id}`, '/small.txt')).toBe(1);
    await redis.srem(`MIRRORBALL_CONTENTBAD_${m.id}`, '/small.txt');
  });

  it('skips mirrors that are down', async () => {
    const r = await contentCheckMirror(redis, { ...m, httpUp: false }, { filesPerCheck: 10 });
    expect(r).toEqual({ skipped: 'mirror is down', files: [] });
    expect(http.requests.length).toBe(0);
  });
});
