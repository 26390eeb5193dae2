import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatGoTimeString } from '@mirrorball/gofmt';
import { emptyMirror } from '@mirrorball/model';
import { encodeMirror } from '@mirrorball/redis';
import { FtpServer, RedisServer } from '@mirrorball/testing';
import { listFtp, parseFtpUrl } from './ftp.ts';
import { parseListLine, parseMdtm, parseMlsdLine } from './ftp-listing.ts';
import { scanMirror } from './scan.ts';
import { ScanError } from './errors.ts';
import type { ListedFile, MirrorListing, ScanLog } from './types.ts';

const T = new Date('2025-06-01T06:00:07Z');
// Options passed explicitly as in production code paths (undefined = the contract's 5 s / 30 s).
const SLOW = { connectTimeoutMs: undefined, opTimeoutMs: undefined };

async function collect(l: MirrorListing): Promise<Map<string, ListedFile>> {
  const out = new Map<string, ListedFile>();
  for await (const f of l.files()) out.set(f.path, f);
  return out;
}

describe('FTP listing parsers', () => {
  it('parses MLSD facts; a fractional modify drops the entry (Mirrorbits)', () => {
    expect(parseMlsdLine('type=file;size=87;modify=20250601060007;UNIX.mode=0644; READ ME.txt')).toEqual({
      name: 'READ ME.txt', type: 'file', size: 87, modify: Date.parse('2025-06-01T06:00:07Z') / 1000,
    });
    expect(parseMlsdLine('type=dir;modify=20250601060007; sub')?.type).toBe('dir');
    expect(parseMlsdLine('type=cdir; .')?.type).toBe('skip');
    expect(parseMlsdLine('type=OS.unix=symlink;size=3; l')?.type).toBe('link');
    expect(parseMlsdLine('type=file;size=1;modify=20250601060007.123; f')?.badModify).toBe(true);
  });
  it('parses Unix and DOS LIST lines', () => {
    expect(parseListLine('-rw-r--r--    1 0          0                   6 Nov 25 22:18 a b.txt')).toEqual({ name: 'a b.txt', type: 'file', size: 6 });
    expect(parseListLine('drwxr-xr-x    2 ftp ftp 4096 Jan  1  2024 sub')?.type).toBe('dir');
    expect(parseListLine('lrwxrwxrwx    1 0 0 3 Jan  1  2024 l -> a')).toEqual({ name: 'l', type: 'link', size: 3 });
    expect(parseListLine('01-15-24  12:00PM                  87 READ ME.txt')).toEqual({ name: 'READ ME.txt', type: 'file', size: 87 });
    expect(parseListLine('01-15-24  12:00PM       <DIR>          sub')?.type).toBe('dir');
    expect(parseListLine('garbage')).toBeNull();
  });
  it('parses MDTM replies with and without milliseconds', () => {
    expect(parseMdtm('20250601060007')).toEqual({ sec: Date.parse('2025-06-01T06:00:07Z') / 1000, nsec: 0 });
    expect(parseMdtm('20250601060007.25')).toEqual({ sec: Date.parse('2025-06-01T06:00:07Z') / 1000, nsec: 250_000_000 });
    expect(parseMdtm('nope')).toBeNull();
  });
  it('parses URLs with the anonymous default', () => {
    expect(parseFtpUrl('ftp://host/pub/')).toEqual({ host: 'host', port: 21, user: 'anonymous', password: 'anonymous', path: '/pub/' });
    expect(parseFtpUrl('ftp://u:p%40x@host:2121/a%20b/')).toEqual({ host: 'host', port: 2121, user: 'u', password: 'p@x', path: '/a b/' });
    expect(() => parseFtpUrl('http://x/')).toThrow(ScanError);
  });
});

describe('FTP lister against a real pure-ftpd', () => {
  let root: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-ftp-test-'));
    const put = (rel: string, size: number) => {
      const full = path.join(root, rel);
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, Buffer.alloc(size, 1));
      fs.utimesSync(full, T, T);
    };
    put('pub/README.txt', 87);
    put('pub/dir with space/file name+plus.txt', 20);
    put('pub/pool/h/hello.deb', 262_144);
    put('outside.txt', 1);
    fs.symlinkSync('README.txt', path.join(root, 'pub', 'link.txt'));
    execChmod(root);
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  const EXPECTED = ['/README.txt', '/dir with space/file name+plus.txt', '/pool/h/hello.deb'];

  it('walks with MLSD and dates files with MDTM (GMT, 1 s precision)', async () => {
    const ftp = await FtpServer.start({ root });
    try {
      const l = listFtp(ftp.url('/pub/'), SLOW);
      const files = await collect(l);
      expect([...files.keys()].sort()).toEqual(EXPECTED);
      const deb = files.get('/pool/h/hello.deb')!;
      expect(deb.size).toBe(262_144);
      expect(formatGoTimeString(deb.modTime, 0, deb.zone)).toBe('2025-06-01 06:00:07 +0000 GMT');
      expect(l.precisionNs).toBe(1_000_000_000);
    } finally {
      await ftp.stop();
    }
  });

  it('falls back to LIST when MLST is not advertised, and warns', async () => {
    const ftp = await FtpServer.start({ root, features: { mlst: false } });
    try {
      const warnings: string[] = [];
      const log: ScanLog = { info() {}, warn: (m) => warnings.push(m) };
      const files = await collect(listFtp(ftp.url('/pub/'), { ...SLOW, log }));
      expect([...files.keys()].sort()).toEqual(EXPECTED);
      expect(files.get('/README.txt')?.modTime.sec).toBe(T.getTime() / 1000);
      expect(warnings.some((w) => w.includes('MLST') && w.includes('consider using rsync'))).toBe(true);
    } finally {
      await ftp.stop();
    }
  });

  it('records no time at all without MDTM and MLST (size-only checks)', async () => {
    const ftp = await FtpServer.start({ root, features: { mlst: false, mdtm: false } });
    try {
      const l = listFtp(ftp.url('/pub/'), SLOW);
      const files = await collect(l);
      expect(files.get('/README.txt')?.modTime.sec).toBe(-62135596800);
      expect(l.precisionNs).toBe(0);
    } finally {
      await ftp.stop();
    }
  });

  it('uses the MLSD modify fact when MDTM is missing', async () => {
    const ftp = await FtpServer.start({ root, features: { mdtm: false } });
    try {
      const l = listFtp(ftp.url('/pub/'), SLOW);
      const files = await collect(l);
      expect(formatGoTimeString(files.get('/README.txt')!.modTime)).toBe('2025-06-01 06:00:07 +0000 UTC');
      expect(files.get('/README.txt')!.zone).toBeUndefined();
    } finally {
      await ftp.stop();
    }
  });

  it('fails with a clear error on bad credentials and on a refused connection', async () => {
    const ftp = await FtpServer.start({ root });
    try {
      await expect(collect(listFtp(`ftp://mirror:wrong@127.0.0.1:${ftp.port}/pub/`, SLOW))).rejects.toThrow(/^ftp: PASS: 530/);
    } finally {
      await ftp.stop();
    }
    await expect(collect(listFtp('ftp://127.0.0.1:1/', SLOW))).rejects.toThrow(/ECONNREFUSED/);
  });

  it('scanMirror over FTP records protocol 1, GMT times, precision 1 s', async () => {
    const ftp = await FtpServer.start({ root });
    const rs = await RedisServer.start();
    const redis = new Redis(rs.port, '127.0.0.1');
    try {
      const mirror = { ...emptyMirror(2), name: 'ftp-mirror', ftpURL: ftp.url('/pub/') };
      await redis.hset('MIRROR_2', ...encodeMirror(mirror));
      await redis.hset('MIRRORS', '2', 'ftp-mirror');
      const r = await scanMirror(redis, mirror, { ftp: SLOW });
      expect(r).toMatchObject({ protocol: 1, filesIndexed: 3 });
      expect(await redis.hgetall('FILEINFO_2_/pool/h/hello.deb')).toEqual({ size: '262144', modTime: '2025-06-01 06:00:07 +0000 GMT' });
      const h = await redis.hgetall('MIRROR_2');
      expect([h.lastSuccessfulSyncProtocol, h.lastSuccessfulSyncPrecision]).toEqual(['1', '1000000000']);
    } finally {
      redis.disconnect();
      await rs.stop();
      await ftp.stop();
    }
  });
});

function execChmod(dir: string): void {
  // The FTP virtual user runs as nobody: make the tree world-readable.
  fs.chmodSync(dir, 0o755);
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isSymbolicLink()) continue;
    if (e.isDirectory()) execChmod(p);
    else fs.chmodSync(p, 0o644);
  }
}
