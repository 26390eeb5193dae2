import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utcDaySuffix } from '@mirrorball/downloads';
import { startApi, type ApiHarness } from './test-harness.ts';

const DEB = '/pool/main/h/hello/hello_2.10-3_amd64.deb';
const SE = { 'X-Forwarded-For': '89.160.20.112' };
let api: ApiHarness;
let logDir: string;
beforeAll(async () => {
  logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-api-log-'));
  api = await startApi({}, { logDir });
});
afterAll(async () => {
  await api.close();
  fs.rmSync(logDir, { recursive: true, force: true });
});

/** Send bytes as-is (http.request would normalise or refuse hostile targets). */
function rawSocket(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(text));
    let out = '';
    const done = () => {
      s.destroy();
      resolve(out);
    };
    s.on('data', (d) => {
      out += d.toString('latin1');
      setTimeout(done, 50);
    });
    s.on('close', done);
    s.on('error', done);
    setTimeout(done, 3000);
  });
}
const flush = () => new Promise((r) => setTimeout(r, 250));

describe('canonicalisation and hostile input (§2.1)', () => {
  it('301 to the cleaned path, query kept, no Server header', async () => {
    const r = await api.get('/../etc/passwd');
    expect(r.status).toBe(301);
    expect(r.get('Location')).toBe('/etc/passwd');
    expect(r.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(r.get('Server')).toBeUndefined();
    expect(r.body).toBe('<a href="/etc/passwd">Moved Permanently</a>.\n\n');
    expect((await api.get('/pool//main/./x?mirrorlist')).get('Location')).toBe('/pool/main/x?mirrorlist');
    expect((await api.get('/a/%2e%2e/README.txt')).get('Location')).toBe('/README.txt');
  });
  it('4xx for malformed escapes, NUL, huge URLs and headers — never a crash', async () => {
    expect((await api.get('/a%zz')).status).toBe(400);
    expect((await api.get('/a%00b')).status).toBe(400);
    expect((await api.get('/' + 'a'.repeat(9000))).status).toBe(414);
    expect(await rawSocket(api.port, 'GET /x HTTP/1.1\r\nHost: a\r\nX-Big: ' + 'b'.repeat(40000) + '\r\n\r\n')).toMatch(/^HTTP\/1.1 431/);
    expect(await rawSocket(api.port, 'GET /a\\..\\b HTTP/1.1\r\nHost: a\r\n\r\n')).toMatch(/^HTTP\/1.1 4\d\d/);
    expect(await rawSocket(api.port, 'GET /\x01 HTTP/1.1\r\nHost: a\r\n\r\n')).toMatch(/^HTTP\/1.1 400/);
    // Still serving.
    expect((await api.get(DEB, SE)).status).toBe(302);
  });
  it('Host header: none on HTTP/1.0 still redirects; a malformed one is refused (Go: 400)', async () => {
    const http10 = await rawSocket(api.port, `GET ${DEB} HTTP/1.0\r\nX-Forwarded-For: 89.160.20.112\r\n\r\n`);
    expect(http10).toMatch(/^HTTP\/1.1 302/);
    expect(http10).toContain(`Location: http://127.0.0.1/m3${DEB}`);
    expect(await rawSocket(api.port, `GET ${DEB} HTTP/1.1\r\n\r\n`)).toMatch(/^HTTP\/1.1 400/); // Node: HTTP/1.1 needs Host
    expect(await rawSocket(api.port, `GET ${DEB} HTTP/1.1\r\nHost: a b\r\n\r\n`)).toMatch(/^HTTP\/1.1 400/);
    expect(await rawSocket(api.port, `GET ${DEB} HTTP/1.1\r\nHost: [::1\r\n\r\n`)).toMatch(/^HTTP\/1.1 400/);
    expect((await api.get(DEB, SE)).status).toBe(302);
  });
  it('a trailing slash on a file serves the file (Go cleans it)', async () => {
    expect((await api.get(DEB + '/', SE)).status).toBe(302);
  });
});

describe('client address', () => {
  it('ignores X-Forwarded-For from an untrusted peer', async () => {
    api.setConfig({ TrustedProxies: ['10.0.0.0/8'] });
    const r = await api.get(DEB, { ...SE, Accept: 'application/json' });
    expect(JSON.parse(r.body).IP).toBe('127.0.0.1');
    api.setConfig({ TrustedProxies: ['127.0.0.0/8', '::1/128', '10.0.0.0/8'] });
    const t = await api.get(DEB, { 'X-Forwarded-For': '6.6.6.6, 89.160.20.112, 10.0.0.1', Accept: 'application/json' });
    expect(JSON.parse(t.body).IP).toBe('89.160.20.112');
    const g = await api.get(DEB, { 'X-Forwarded-For': '<script>, 10.9.9.9', Accept: 'application/json' });
    expect(JSON.parse(g.body).IP).toBe('10.9.9.9');
  });
});

describe('Link headers and MaxLinkHeaders', () => {
  const dupLinks = async () => (await api.get(DEB, SE)).all('Link').filter((l) => l.includes('rel=duplicate'));
  it('0 and negative disable them, 1 keeps one', async () => {
    api.setConfig({ MaxLinkHeaders: 0 });
    expect(await dupLinks()).toHaveLength(0);
    api.setConfig({ MaxLinkHeaders: -3 });
    expect(await dupLinks()).toHaveLength(0);
    api.setConfig({ MaxLinkHeaders: 1 });
    expect(await dupLinks()).toEqual([`<http://127.0.0.1/m1${DEB}>; rel=duplicate; pri=1; geo=gb`]);
    api.setConfig({ MaxLinkHeaders: 10 });
    expect(await dupLinks()).toHaveLength(2);
  });
});

describe('exclusion reasons in JSON', () => {
  const update = async () => {
    for (const id of ['1', '2']) await api.redis.publish('_mirrorbits_mirror_update', id);
    await api.redis.publish('_mirrorbits_mirror_file_update', '1 /README.txt');
    await flush();
  };
  const reasons = async () => {
    const r = await api.get('/README.txt?pretty', { ...SE, Accept: 'application/json' });
    expect(r.status).toBe(200);
    const j = JSON.parse(r.body);
    expect(j.MirrorList[0].Name).toBe('se-mirror');
    return Object.fromEntries(j.ExcludedList.map((m: { Name: string; ExcludeReason: string }) => [m.Name, m.ExcludeReason]));
  };
  it('shows disabled, size-mismatch and down mirrors', async () => {
    try {
      await api.redis.hset('MIRROR_2', 'enabled', '0');
      await api.redis.hset('FILEINFO_1_/README.txt', 'size', '98');
      await update();
      expect(await reasons()).toEqual({ 'us-mirror': 'Disabled', 'gb-mirror': 'File size mismatch' });
      await api.redis.hset('FILEINFO_1_/README.txt', 'size', '87');
      await api.redis.hset('MIRROR_1', 'httpUp', '0', 'httpDownReason', 'Got status code 500');
      await update();
      expect((await reasons())['gb-mirror']).toContain('Got status code 500');
    } finally {
      await api.redis.hset('MIRROR_2', 'enabled', '1');
      await api.redis.hset('MIRROR_1', 'httpUp', '1', 'httpDownReason', '');
      await api.redis.hset('FILEINFO_1_/README.txt', 'size', '87');
      await update();
    }
  });
});

describe('fallbacks (§2.10)', () => {
  it('redirects to fallbacks for unmirrored files and directories, ranked, counted under 0/-1', async () => {
    api.setConfig({
      Fallbacks: [
        { URL: 'https://fb-us.example.org/pub/', CountryCode: 'us', ContinentCode: 'na' },
        { URL: 'fb-se.example.org/pub/', CountryCode: 'se', ContinentCode: 'eu' },
      ],
    });
    const r = await api.get('/only-local.bin', SE);
    expect(r.status).toBe(302);
    expect(r.get('Location')).toBe('https://fb-se.example.org/pub/only-local.bin');
    expect(r.all('Link')[0]).toBe('<https://fb-us.example.org/pub/only-local.bin>; rel=duplicate; pri=1; geo=us');
    const d = await api.get('/pool/', { 'X-Forwarded-For': '216.160.83.56' });
    expect(d.get('Location')).toBe('https://fb-us.example.org/pub/pool');
    const http = await api.get('/only-local.bin?https=0', SE);
    expect(http.get('Location')).toBe('http://fb-se.example.org/pub/only-local.bin');
    const j = JSON.parse((await api.get('/only-local.bin', { ...SE, Accept: 'application/json' })).body);
    expect(j.Fallback).toBe(true);
    expect(j.MirrorList.map((m: { ID: number; Name: string }) => [m.ID, m.Name])).toEqual([[-1, 'fallback1'], [0, 'fallback0']]);
    await flush();
    const day = utcDaySuffix(Date.now());
    expect(Number(await api.redis.hget(`STATS_MIRROR_${day}`, '-1'))).toBeGreaterThanOrEqual(2);
    expect(Number(await api.redis.hget(`STATS_MIRROR_${day}`, '0'))).toBeGreaterThanOrEqual(1);
    api.setConfig({ Fallbacks: [] });
  });
});

describe('download counting (§2.14)', () => {
  it('counts GET and HEAD redirects, not JSON, not POST; ranged requests once', async () => {
    const day = utcDaySuffix(Date.now());
    const P = '/dists/stable/Release';
    const count = async () => Number((await api.redis.hget(`STATS_FILE_${day}`, P)) ?? 0);
    await api.get(P, SE);
    await api.get(P, SE, 'HEAD');
    await api.get(P, { ...SE, Accept: 'application/json' });
    await api.get(P, SE, 'POST');
    await flush();
    expect(await count()).toBe(2);
    api.setConfig({ CountHeadRequests: false });
    await api.get(P, SE, 'HEAD');
    await flush();
    expect(await count()).toBe(2);
    api.setConfig({ CountHeadRequests: true });
    for (let i = 0; i < 3; i++) await api.get(P, { ...SE, Range: `bytes=${i}-`, 'User-Agent': 'aria2' });
    await flush();
    expect(await count()).toBe(3);
    expect(Number(await api.redis.hget(`STATS_MIRROR_BYTES_${day}`, '3'))).toBeGreaterThanOrEqual(3 * 63);
    expect(await api.redis.keys('DOWNLOADED_*')).toHaveLength(1);
  });
  it('writes the download log', async () => {
    await api.get('/README.txt', { 'X-Forwarded-For': '216.160.83.56' });
    await api.get('/nonexistent');
    await flush();
    const log = fs.readFileSync(path.join(logDir, 'downloads.log'), 'utf8');
    expect(log).toMatch(/REDIRECT 302 GET "\/README.txt" ip:216.160.83.56 mirror:us-mirror sameasn:209 distance:0.00km countries:US,CA\n/);
    expect(log).not.toContain('nonexistent');
  });
});

describe('If-Modified-Since, tested values of the contract (§2.7)', () => {
  it('nanosecond mtime: 304 with a truncated Last-Modified; an older date redirects', async () => {
    await api.redis.hset('FILE_/README.txt', 'modTime', '2025-06-01 06:00:00.123456789 +0000 UTC');
    await api.redis.publish('_mirrorbits_file_update', '/README.txt');
    await flush();
    const r = await api.get('/README.txt', { 'If-Modified-Since': 'Wed, 04 Jun 2025 02:12:35 GMT' });
    expect(r.status).toBe(304);
    expect(r.get('Last-Modified')).toBe('Sun, 01 Jun 2025 06:00:00 GMT');
    expect(r.get('Server')).toBe('Mirrorball/test');
    expect(r.body).toBe('');
    const head = await api.get('/README.txt', { 'If-Modified-Since': 'Wed, 04 Jun 2025 02:12:35 GMT' }, 'HEAD');
    expect(head.status).toBe(304);
    // Not a 304: the normal path runs (and excludes every mirror, whose copies are from 2024).
    expect((await api.get('/README.txt', { 'If-Modified-Since': 'Tue, 01 Jun 1999 00:00:00 GMT' })).status).toBe(503);
    await api.redis.hset('FILE_/README.txt', 'modTime', '2024-01-15 12:00:00 +0000 UTC');
    await api.redis.publish('_mirrorbits_file_update', '/README.txt');
    await flush();
  });
});

describe('OutputMode', () => {
  it('json and redirect override the Accept rule; auto follows it', async () => {
    api.setConfig({ OutputMode: 'json' });
    expect((await api.get(DEB, SE)).get('Content-Type')).toBe('application/json; charset=utf-8');
    api.setConfig({ OutputMode: 'redirect' });
    expect((await api.get(DEB, { ...SE, Accept: 'application/json' })).status).toBe(302);
    api.setConfig({ OutputMode: 'auto' });
    expect((await api.get(DEB, { ...SE, Accept: 'text/html, application/json;q=0.9' })).status).toBe(200);
  });
});

describe('gzip (§2.15)', () => {
  it('compresses bodies when enabled and accepted', async () => {
    api.setConfig({ Gzip: true });
    const r = await api.get('/nonexistent', { 'Accept-Encoding': 'gzip' });
    expect(r.get('Content-Encoding')).toBe('gzip');
    api.setConfig({ Gzip: false });
    const plain = await api.get('/nonexistent', { 'Accept-Encoding': 'gzip' });
    expect(plain.get('Content-Encoding')).toBeUndefined();
  });
});
