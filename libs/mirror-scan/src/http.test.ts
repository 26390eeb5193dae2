import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatGoTimeString } from '@mirrorball/gofmt';
import { createTestCA, HttpMirror, NginxMirror, type TestCA } from '@mirrorball/testing';
import { listHttp } from './http.ts';
import { parseListing } from './http-listing.ts';
import { ScanAbortedError, ScanError } from './errors.ts';
import type { ListedFile, MirrorListing } from './types.ts';

const T = new Date('2025-06-01T06:00:07Z');

function tree(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-http-test-'));
  fs.chmodSync(root, 0o755);
  const put = (rel: string, size: number) => {
    const full = path.join(root, rel);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, Buffer.alloc(size, 7));
    fs.utimesSync(full, T, T);
  };
  put('README.txt', 87);
  put('dir with space/file name+plus.txt', 20);
  put('pool/main/h/hello/hello_2.10-3_amd64.deb', 262_144);
  put('caf\u00e9/\u00fcber & <x>.txt', 5);
  put('a-very-long-file-name-that-nginx-truncates-in-its-listing-page.iso', 3000);
  return root;
}

async function collect(l: MirrorListing): Promise<Map<string, ListedFile>> {
  const out = new Map<string, ListedFile>();
  for await (const f of l.files()) out.set(f.path, f);
  return out;
}

const EXPECTED = [
  '/README.txt',
  '/a-very-long-file-name-that-nginx-truncates-in-its-listing-page.iso',
  '/caf\u00e9/\u00fcber & <x>.txt',
  '/dir with space/file name+plus.txt',
  '/pool/main/h/hello/hello_2.10-3_amd64.deb',
];

describe('HTTP lister', () => {
  let root: string;
  let ca: TestCA;
  beforeAll(() => {
    root = tree();
    ca = createTestCA();
  });
  afterAll(() => {
    fs.rmSync(root, { recursive: true, force: true });
    ca?.dispose();
  });

  it('crawls a real nginx autoindex and HEADs minute-dated files (1 s precision)', async () => {
    const nginx = await NginxMirror.start({ root });
    try {
      const listing = listHttp(nginx.url, { requestsPerSecond: 0 });
      const files = await collect(listing);
      expect([...files.keys()].sort()).toEqual(EXPECTED);
      const deb = files.get('/pool/main/h/hello/hello_2.10-3_amd64.deb')!;
      expect(deb.size).toBe(262_144);
      expect(formatGoTimeString(deb.modTime)).toBe('2025-06-01 06:00:07 +0000 UTC');
      expect(listing.precisionNs).toBe(1_000_000_000);
    } finally {
      await nginx.stop();
    }
  });

  it('without HEAD keeps exact nginx sizes and minute dates (60 s precision)', async () => {
    const nginx = await NginxMirror.start({ root });
    try {
      const listing = listHttp(nginx.url, { head: false, requestsPerSecond: 0 });
      const files = await collect(listing);
      expect(files.get('/README.txt')).toEqual({ path: '/README.txt', size: 87, modTime: { sec: Date.parse('2025-06-01T06:00:00Z') / 1000, nsec: 0 } });
      expect(listing.precisionNs).toBe(60_000_000_000);
    } finally {
      await nginx.stop();
    }
  });

  it('crawls a real nginx with human sizes (autoindex_exact_size off) through HEAD', async () => {
    const nginx = await NginxMirror.start({ root, exactSize: false });
    try {
      const files = await collect(listHttp(nginx.url, { requestsPerSecond: 0 }));
      expect(files.get('/pool/main/h/hello/hello_2.10-3_amd64.deb')?.size).toBe(262_144);
    } finally {
      await nginx.stop();
    }
  });

  for (const style of ['apache', 'apache-pre', 'nginx'] as const) {
    it(`crawls ${style}-style listings under a base path, ignoring sort and parent links`, async () => {
      const m = await HttpMirror.start({ root, listing: style, basePath: '/mirror/' });
      try {
        const files = await collect(listHttp(m.url, { requestsPerSecond: 0 }));
        expect([...files.keys()].sort()).toEqual(EXPECTED);
        expect(files.get('/README.txt')?.size).toBe(87);
        expect(m.requests.every((r) => r.path.startsWith('/mirror/'))).toBe(true);
        expect(m.requests.some((r) => r.method === 'HEAD' && r.headers['user-agent'] === 'Mirrorball/0.1.0 SCAN')).toBe(true);
      } finally {
        await m.stop();
      }
    });
  }

  it('crawls HTTPS with the test CA; a scheme-less URL prefers https', async () => {
    const m = await HttpMirror.start({ root, listing: 'nginx', tls: ca.issue('127.0.0.1') });
    try {
      const files = await collect(listHttp(m.schemelessUrl, { ca: ca.caCert, requestsPerSecond: 0 }));
      expect(files.size).toBe(EXPECTED.length);
      // Without the CA the certificate is refused: a clear error, not a crash.
      await expect(collect(listHttp(m.url, { requestsPerSecond: 0 }))).rejects.toThrow(ScanError);
    } finally {
      await m.stop();
    }
  });

  it('falls back to http for a scheme-less mirror without https', async () => {
    const m = await HttpMirror.start({ root, listing: 'apache' });
    try {
      const files = await collect(listHttp(m.schemelessUrl, { requestsPerSecond: 0 }));
      expect(files.size).toBe(EXPECTED.length);
    } finally {
      await m.stop();
    }
  });

  it('fails the listing on a 500 directory and on a server without listings', async () => {
    const m = await HttpMirror.start({ root, listing: 'nginx', faults: { '/pool/main/*': { kind: 'status', status: 500 } } });
    try {
      await expect(collect(listHttp(m.url, { requestsPerSecond: 0 }))).rejects.toThrow('got status code 500');
    } finally {
      await m.stop();
    }
    const none = await HttpMirror.start({ root, listing: 'none' });
    try {
      await expect(collect(listHttp(none.url, { requestsPerSecond: 0 }))).rejects.toThrow('got status code 403');
    } finally {
      await none.stop();
    }
  });

  it('follows a redirected root, and HEAD redirects of files', async () => {
    const m = await HttpMirror.start({ root, listing: 'nginx', basePath: '/pub/' });
    try {
      m.setFault('/', { kind: 'redirect', location: '/pub/', status: 301 });
      m.setFault('/pub/README.txt', { kind: 'redirect', location: '/pub/dir%20with%20space/file%20name%2Bplus.txt' });
      const files = await collect(listHttp(m.origin + '/', { requestsPerSecond: 0 }));
      expect([...files.keys()].sort()).toEqual(EXPECTED);
      expect(files.get('/README.txt')?.size).toBe(20); // what the redirect target answers
    } finally {
      await m.stop();
    }
  });

  it('skips a listed file that HEAD says is gone, and counts it', async () => {
    const m = await HttpMirror.start({ root, listing: 'nginx', faults: { '/README.txt': { kind: 'status', status: 404 } } });
    try {
      const l = listHttp(m.url, { requestsPerSecond: 0 });
      const files = await collect(l);
      expect(files.has('/README.txt')).toBe(false);
      expect(l.skipped).toBe(1);
    } finally {
      await m.stop();
    }
  });

  it('times out a mirror that never answers, and aborts on signal', async () => {
    const m = await HttpMirror.start({ root, listing: 'nginx', faults: { '/pool/*': { kind: 'timeout' } } });
    try {
      await expect(collect(listHttp(m.url, { requestsPerSecond: 0, timeoutMs: 300 }))).rejects.toThrow(/timeout/);
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 100);
      await expect(collect(listHttp(m.url, { requestsPerSecond: 0, signal: ac.signal }))).rejects.toBeInstanceOf(ScanAbortedError);
    } finally {
      await m.stop();
    }
  });

  it('respects the request rate limit', async () => {
    const m = await HttpMirror.start({ root, listing: 'apache' });
    try {
      const t0 = Date.now();
      await collect(listHttp(m.url, { requestsPerSecond: 20, concurrency: 8 }));
      const n = m.requests.length;
      expect(n).toBeGreaterThan(10);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(((n - 1) * 1000) / 20 - 20);
    } finally {
      await m.stop();
    }
  });
});

describe('parseListing', () => {
  it('reads lighttpd-style rows with seconds', () => {
    const html = '<tr><td class="n"><a href="x.iso">x.iso</a></td><td class="m">2025-Jan-02 03:04:05</td><td class="s">1.2M</td></tr>';
    expect(parseListing(html)).toEqual([{ href: 'x.iso', date: Date.parse('2025-01-02T03:04:05Z') / 1000, datePrecisionNs: 1e9 }]);
  });
});
