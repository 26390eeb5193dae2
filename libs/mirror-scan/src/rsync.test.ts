import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RsyncDaemon } from '@mirrorball/testing';
import { formatGoTimeString } from '@mirrorball/gofmt';
import { listRsync, rsyncCommand } from './rsync.ts';
import { ScanAbortedError, ScanError } from './errors.ts';
import type { ListedFile, ScanLog } from './types.ts';

const T = new Date('2025-06-01T06:00:00Z');

function put(root: string, rel: string | Buffer, size: number): void {
  const full = Buffer.isBuffer(rel) ? Buffer.concat([Buffer.from(root + '/'), rel]) : path.join(root, rel);
  fs.mkdirSync(path.dirname(full.toString('latin1')), { recursive: true });
  fs.writeFileSync(full, Buffer.alloc(size, 1));
  fs.utimesSync(full, T, T);
}

function memLog() {
  const lines: string[] = [];
  const log: ScanLog = { info: (m) => lines.push(`I ${m}`), warn: (m) => lines.push(`W ${m}`) };
  return { lines, log };
}

async function collect(it: AsyncIterable<ListedFile>): Promise<Map<string, ListedFile>> {
  const out = new Map<string, ListedFile>();
  for await (const f of it) out.set(f.path, f);
  return out;
}

describe('rsync lister against a real rsync daemon', () => {
  let root: string;
  let daemon: RsyncDaemon;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-rsync-test-'));
    fs.chmodSync(root, 0o755); // readable by the `nobody` module
    const a = path.join(root, 'a');
    put(a, 'README.txt', 87);
    put(a, 'dir with space/file name+plus.txt', 20);
    put(a, 'iso/big.iso', 1_234_567);
    put(a, 'caf\u00e9/\u00fcber.txt', 5);
    put(a, Buffer.from([0x62, 0x61, 0x64, 0xff, 0x2e, 0x62, 0x69, 0x6e]), 3); // "bad\xff.bin": not UTF-8
    fs.symlinkSync('README.txt', path.join(a, 'link.txt'));
    const b = path.join(root, 'b');
    put(b, 'ok/one.bin', 1);
    put(b, 'secret/hidden.bin', 2);
    fs.chmodSync(path.join(b, 'secret'), 0o000);
    for (const d of [a, b, path.join(b, 'ok')]) fs.chmodSync(d, 0o755);
    daemon = await RsyncDaemon.start({
      modules: {
        a,
        b: { path: b, uid: 'nobody', gid: 'nogroup' },
        auth: { path: a, auth: { user: 'alice', password: 's3cret' } },
      },
    });
  });

  afterAll(async () => {
    await daemon?.stop();
    fs.chmodSync(path.join(root, 'b', 'secret'), 0o755);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('builds the contract command: credentials only through the environment, TZ=UTC', () => {
    expect(rsyncCommand('rsync://bob:p%40ss@host/mod/sub/')).toEqual({
      program: 'rsync',
      args: ['-r', '--no-motd', '--exclude=.~tmp~/', '--timeout=30', '--contimeout=30', 'rsync://host/mod/sub/'],
      env: { USER: 'bob', RSYNC_PASSWORD: 'p@ss', TZ: 'UTC' },
    });
    expect(rsyncCommand('rsyncs://host/mod/')).toEqual({
      program: 'rsync-ssl',
      args: ['-r', '--no-motd', '--exclude=.~tmp~/', '--timeout=60', 'rsync://host/mod/'],
      env: { TZ: 'UTC' },
    });
    expect(() => rsyncCommand('http://host/')).toThrow(ScanError);
  });

  it('lists files with spaces and non-ASCII names, skips symlinks, directories and non-UTF-8 names', async () => {
    const { lines, log } = memLog();
    const listing = listRsync(daemon.url('a'), { log });
    const files = await collect(listing.files());
    expect([...files.keys()].sort()).toEqual([
      '/README.txt', '/caf\u00e9/\u00fcber.txt', '/dir with space/file name+plus.txt', '/iso/big.iso',
    ]);
    const big = files.get('/iso/big.iso')!;
    expect(big.size).toBe(1_234_567);
    expect(formatGoTimeString(big.modTime)).toBe('2025-06-01 06:00:00 +0000 UTC');
    expect(listing.precisionNs).toBe(1_000_000_000);
    expect(listing.skipped).toBe(1);
    expect(lines.some((l) => l.includes('not valid UTF-8'))).toBe(true);
    expect(lines[0]).toBe('I Requesting file list via rsync...');
  });

  it('treats exit 23 (unreadable directory) as success and logs the opendir lines', async () => {
    const { lines, log } = memLog();
    const files = await collect(listRsync(daemon.url('b'), { log }).files());
    expect([...files.keys()]).toEqual(['/ok/one.bin']);
    expect(lines.some((l) => l.startsWith('W ') && /opendir "secret" .*Permission denied/.test(l))).toBe(true);
    expect(lines.some((l) => l.includes('exit 23'))).toBe(true);
  });

  it('passes credentials through the environment', async () => {
    const ok = await collect(listRsync(daemon.url('auth', { user: 'alice', password: 's3cret' })).files());
    expect(ok.has('/README.txt')).toBe(true);
    const bad = listRsync(daemon.url('auth', { user: 'alice', password: 'wrong' }));
    await expect(collect(bad.files())).rejects.toThrow('rsync: Error starting client-server protocol');
  });

  it('maps a refused connection to the contract message', async () => {
    const listing = listRsync(`rsync://127.0.0.1:1/a/`);
    await expect(collect(listing.files())).rejects.toThrow('rsync: Error in socket I/O');
  });

  it('kills rsync and throws "scan aborted" when the signal fires', async () => {
    const ac = new AbortController();
    const listing = listRsync(daemon.url('a'), { signal: ac.signal });
    const run = (async () => {
      for await (const _ of listing.files()) ac.abort();
    })();
    await expect(run).rejects.toBeInstanceOf(ScanAbortedError);
  });
});
