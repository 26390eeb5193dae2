import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RedisServer } from '@mirrorball/testing';
import { LocalDirectorySource, SourceError } from '@mirrorball/source';
import { IndexAbortedError, IndexBusyError, runIndex } from './run.ts';
import { IndexProgress } from './progress.ts';
import { collectChannel, dumpIndex } from './testkit.ts';

let srv: RedisServer;
let redis: Redis;
let sub: Redis;
let dir: string;
const hashes = { sha1: false, sha256: true, md5: true };
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const write = (p: string, body: string, mtime = 1_700_000_000.123456) => {
  fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
  fs.writeFileSync(path.join(dir, p), body);
  fs.utimesSync(path.join(dir, p), mtime, mtime);
};
const index = (extra: Partial<Parameters<typeof runIndex>[0]> = {}) =>
  runIndex({ redis, source: new LocalDirectorySource(dir), hashes, onHashError: 'empty', progressEveryMs: 0, lockAttempts: 2, lockRetryMs: 50, rangeHashes: { count: 4, size: 4 }, ...extra });

beforeAll(async () => {
  srv = await RedisServer.start();
  redis = new Redis(srv.url);
  sub = new Redis(srv.url);
});
afterAll(async () => {
  redis?.disconnect();
  sub?.disconnect();
  await srv?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await redis.flushall();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-repo-'));
});

describe('local directory indexing', () => {
  it('writes FILES and FILE_<path> as Mirrorbits does, with hidden files and without symlinks', async () => {
    write('release/6.0/eos.iso', 'iso-bytes-0123456789');
    write('.hidden', 'h');
    fs.symlinkSync(path.join(dir, '.hidden'), path.join(dir, 'link'));
    const ch = await collectChannel(sub, '_mirrorbits_file_update');
    const r = await index();
    expect(r).toMatchObject({ files: 2, removed: 0, written: 2, hashed: 2 });
    expect((await redis.smembers('FILES')).sort()).toEqual(['/.hidden', '/release/6.0/eos.iso']);
    expect(await redis.hgetall('FILE_/release/6.0/eos.iso')).toEqual({
      size: '20',
      modTime: '2023-11-14 22:13:20.123456 +0000 UTC',
      sha1: '',
      sha256: sha256('iso-bytes-0123456789'),
      md5: createHash('md5').update('iso-bytes-0123456789').digest('hex'),
    });
    // Field order as Mirrorbits' HMSET.
    expect(await redis.hkeys('FILE_/.hidden')).toEqual(['size', 'modTime', 'sha1', 'sha256', 'md5']);
    const rh = await redis.hgetall('MIRRORBALL_RANGEHASH_/release/6.0/eos.iso');
    expect(rh.spec).toBe('4x4');
    expect(rh.ranges).toBe('0-3,5-8,11-14,16-19');
    expect(rh.sha256!.split(',')[0]).toBe(sha256('iso-'));
    expect(await redis.exists('FILES_TMP')).toBe(0);
    await ch.settle();
    expect(ch.messages.sort()).toEqual(['/.hidden', '/release/6.0/eos.iso']);
    await sub.unsubscribe();
  });

  it('rehashes only changed files, deletes removed ones, and -rehash forces', async () => {
    write('a', 'aaaa');
    write('b', 'bbbb');
    write('c', 'cccc');
    await index();
    write('b', 'BBBB', 1_700_000_100); // same size, new mtime
    fs.rmSync(path.join(dir, 'c'));
    write('d', 'dddd');
    const ch = await collectChannel(sub, '_mirrorbits_file_update');
    const r = await index();
    expect(r).toMatchObject({ files: 3, removed: 1, hashed: 2, written: 2 });
    expect(await redis.hget('FILE_/b', 'sha256')).toBe(sha256('BBBB'));
    expect(await redis.exists('FILE_/c', 'MIRRORBALL_RANGEHASH_/c')).toBe(0);
    await ch.settle();
    expect(ch.messages.sort()).toEqual(['/b', '/c', '/d']);
    await sub.unsubscribe();
    const none = await index();
    expect(none).toMatchObject({ files: 3, removed: 0, hashed: 0, written: 0 });
    const forced = await index({ rehash: true });
    expect(forced).toMatchObject({ hashed: 3, written: 0 });
  });

  it('hashes a file again when an enabled hash is missing from a record another writer left', async () => {
    write('a', 'aaaa');
    await index();
    // A record written by another node (no manifest entry of ours) is checked by the §7 rules.
    await redis.hset('FILE_/a', 'md5', '');
    await redis.hdel('MIRRORBALL_INDEX_MANIFEST', '/a');
    expect((await index()).hashed).toBe(1);
    expect(await redis.hget('FILE_/a', 'md5')).toBe(createHash('md5').update('aaaa').digest('hex'));
    expect((await index()).hashed).toBe(0);
    // Enabling another hash changes what the manifest vouches for.
    expect((await index({ hashes: { sha1: true, sha256: true, md5: true } })).hashed).toBe(1);
  });

  it('restores a file another writer removed from FILES, even though our manifest still lists it', async () => {
    write('a', 'aaaa');
    write('b', 'bbbb');
    await index();
    await redis.srem('FILES', '/b');
    await redis.del('FILE_/b');
    const r = await index();
    expect(r).toMatchObject({ files: 2, hashed: 1, written: 1 });
    expect(await redis.hget('FILE_/b', 'sha256')).toBe(sha256('bbbb'));
    expect(await redis.sismember('FILES', '/b')).toBe(1);
  });

  it('an abort while a file is being read is not taken for a hash failure: nothing is written', async () => {
    write('a', 'aaaa');
    await index();
    write('big', 'x'.repeat(4 << 20));
    const before = await dumpIndex(redis);
    const abort = new AbortController();
    const src = new LocalDirectorySource(dir);
    const open = src.open.bind(src);
    src.open = async (p, r) => {
      const stream = await open(p, r);
      abort.abort(); // SIGTERM arrives while the stream is being hashed
      return stream;
    };
    const progress = new IndexProgress();
    await expect(index({ source: src, signal: abort.signal, progress })).rejects.toBeInstanceOf(IndexAbortedError);
    expect(progress.hashedBytes).toBeLessThan(4 << 20); // the read was cut short, not finished
    expect(await dumpIndex(redis)).toEqual(before);
    expect(await redis.exists('SOURCE_REPO_SYNC')).toBe(0);
  });

  it('fails on a missing directory and leaves the index untouched', async () => {
    write('a', 'aaaa');
    await index();
    const before = await dumpIndex(redis);
    const err = await runIndex({ redis, source: new LocalDirectorySource(path.join(dir, 'nope')), hashes, progressEveryMs: 0 }).catch((e) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect(err.kind).toBe('missing-directory');
    expect(await dumpIndex(redis)).toEqual(before);
    expect(await redis.exists('SOURCE_REPO_SYNC')).toBe(0);
  });

  it('refuses to run while SOURCE_REPO_SYNC is held elsewhere', async () => {
    write('a', 'aaaa');
    await redis.set('SOURCE_REPO_SYNC', '1', 'EX', 10);
    await expect(index()).rejects.toBeInstanceOf(IndexBusyError);
    expect(await redis.exists('FILES')).toBe(0);
  });

  it('stores empty hashes for a file that cannot be read, as Mirrorbits does', async () => {
    {
      // Permissions do not stop root: the file vanishes between listing and hashing instead.
      write('gone', 'xxxx');
      const src = new LocalDirectorySource(dir);
      const orig = src.open.bind(src);
      src.open = async (p, r) => {
        fs.rmSync(path.join(dir, 'gone'), { force: true });
        return orig(p, r);
      };
      const r = await runIndex({ redis, source: src, hashes, onHashError: 'empty', progressEveryMs: 0 });
      expect(r.hashFailures).toBe(1);
      expect(await redis.hgetall('FILE_/gone')).toMatchObject({ size: '4', sha256: '', md5: '' });
    }
  });
});
