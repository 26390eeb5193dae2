import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisServer, RsyncDaemon } from '@mirrorball/testing';
import { emptyMirror } from '@mirrorball/model';
import { encodeMirror } from '@mirrorball/redis';
import { scanMirror } from './scan.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('a scanning process killed mid-scan', () => {
  let redisServer: RedisServer;
  let daemon: RsyncDaemon;
  let root: string;
  beforeAll(async () => {
    redisServer = await RedisServer.start();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-scan-kill-'));
    daemon = await RsyncDaemon.start({ modules: { m: root } });
  });
  afterAll(async () => {
    await daemon?.stop();
    await redisServer?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('leaves the previous set intact; the lock expires and a later scan completes', async () => {
    const redis = new Redis(redisServer.port, '127.0.0.1');
    try {
      for (let i = 0; i < 10; i++) fs.writeFileSync(path.join(root, `old-${i}.bin`), 'x');
      const mirror = { ...emptyMirror(1), name: 'm1', rsyncURL: daemon.url('m') };
      await redis.hset('MIRROR_1', ...encodeMirror(mirror));
      await redis.hset('MIRRORS', '1', 'm1');
      await scanMirror(redis, mirror);
      const before = (await redis.smembers('MIRRORFILES_1')).sort();
      expect(before).toHaveLength(10);

      fs.mkdirSync(path.join(root, 'bulk'));
      for (let i = 0; i < 20_000; i++) fs.writeFileSync(path.join(root, 'bulk', `${i}.bin`), 'x');
      fs.rmSync(path.join(root, 'old-0.bin'));

      const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'scan-child.fixture.ts'), String(redisServer.port), '1', '2'], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const exited = new Promise((r) => child.once('exit', r));
      // Kill it once part of the new listing is staged in Redis.
      const deadline = Date.now() + 20_000;
      let staged = 0;
      while (Date.now() < deadline && child.exitCode === null) {
        staged = await redis.scard('MIRRORFILESTMP_1');
        if (staged > 0) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      child.kill('SIGKILL');
      await exited;
      expect(staged).toBeGreaterThan(0);

      // Readers still see exactly the previous set.
      expect((await redis.smembers('MIRRORFILES_1')).sort()).toEqual(before);
      expect(await redis.exists('FILEMIRRORS_/bulk/1.bin')).toBe(0);
      expect(await redis.sismember('FILEMIRRORS_/old-0.bin', '1')).toBe(1);

      // The dead scan's lock is not refreshed any more and expires (TTL 2 s in this test).
      expect(await redis.exists('SCANNING_1')).toBe(1);
      for (let i = 0; i < 60 && (await redis.exists('SCANNING_1')); i++) await new Promise((r) => setTimeout(r, 100));
      expect(await redis.exists('SCANNING_1')).toBe(0);

      const r = await scanMirror(redis, mirror);
      expect(r).toMatchObject({ filesIndexed: 20_009, removed: 1 });
      expect(await redis.exists('MIRRORBALL_SCANTMP_1', 'MIRRORFILESTMP_1')).toBe(0);
      expect(await redis.hgetall('FILEINFO_1_/bulk/1.bin')).toMatchObject({ size: '1' });
      expect(await redis.sismember('FILEMIRRORS_/old-0.bin', '1')).toBe(0);
    } finally {
      redis.disconnect();
    }
  }, 60_000);
});
