import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from '../test-harness.ts';

process.env.TZ = 'UTC';
const DEB = '/pool/main/h/hello/hello_2.10-3_amd64.deb';
const fixture = (n: string) => fs.readFileSync(new URL(`../../testdata/${n}`, import.meta.url), 'utf8');
const xff = (ip: string) => ({ 'X-Forwarded-For': `${ip}, 10.0.0.1` });

let api: ApiHarness;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});

describe('redirects (capture 05)', () => {
  it.each([
    ['81.2.69.142', 'm1', ['m3', 'se'], ['m2', 'us']],
    ['2.125.160.216', 'm1', ['m3', 'se'], ['m2', 'us']],
    ['216.160.83.56', 'm2', ['m3', 'se'], ['m1', 'gb']],
    ['89.160.20.112', 'm3', ['m1', 'gb'], ['m2', 'us']],
    ['175.16.199.1', 'm1', ['m3', 'se'], ['m2', 'us']],
  ])('client %s → %s with the same Link headers as Mirrorbits', async (ip, loc, l1, l2) => {
    const r = await api.get(DEB, xff(ip));
    expect(r.status).toBe(302);
    expect(r.get('Location')).toBe(`http://127.0.0.1/${loc}${DEB}`);
    expect(r.all('Link').slice(0, 2)).toEqual([
      `<http://127.0.0.1/${l1[0]}${DEB}>; rel=duplicate; pri=1; geo=${l1[1]}`,
      `<http://127.0.0.1/${l2[0]}${DEB}>; rel=duplicate; pri=2; geo=${l2[1]}`,
    ]);
    expect(r.get('Cache-Control')).toBe('private, no-cache');
    expect(r.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(r.get('Content-Length')).toBe('0');
    expect(r.get('Server')).toBe('Mirrorball/test');
    expect(r.body).toBe('');
  });

  it("sends Mirrorbits' header lines, in Mirrorbits' order, and nothing more by default", async () => {
    const r = await api.get(DEB, xff('81.2.69.142'));
    // Then Node's Connection (and Keep-Alive) lines.
    expect(r.headers.map(([k]) => k).slice(0, 8)).toEqual([
      'Cache-Control', 'Content-Type', 'Link', 'Link', 'Location', 'Server', 'Content-Length', 'Date',
    ]);
  });

  it('adds Digest, Repr-Digest and a describedby Metalink link with DigestHeaders (also to JSON)', async () => {
    api.setConfig({ DigestHeaders: true });
    try {
      const r = await api.get(DEB, xff('81.2.69.142'));
      const b64 = Buffer.from('6bd095fd5c901e75323414c4b542125cc4b494dd535680eafe50bb844af99eb7', 'hex').toString('base64');
      expect(r.get('Digest')).toBe(`SHA-256=${b64}`);
      expect(r.get('Repr-Digest')).toBe(`sha-256=:${b64}:`);
      expect(r.all('Link')[2]).toBe(`<${DEB}?meta4>; rel=describedby; type="application/metalink4+xml"`);
      expect(r.headers.map(([k]) => k).slice(0, 8)).toEqual([
        'Cache-Control', 'Content-Type', 'Digest', 'Link', 'Link', 'Link', 'Location', 'Repr-Digest',
      ]);
      const json = await api.get(DEB, { ...xff('81.2.69.142'), Accept: 'application/json' });
      expect(json.get('Digest')).toBe(`SHA-256=${b64}`);
      expect(json.get('Repr-Digest')).toBe(`sha-256=:${b64}:`);
      api.setConfig({ MetalinkEnabled: false });
      expect((await api.get(DEB, xff('81.2.69.142'))).all('Link')).toHaveLength(2);
    } finally {
      api.setConfig({ DigestHeaders: false, MetalinkEnabled: true });
    }
  });

  it('sends raw UTF-8/space paths in Location like Go', async () => {
    const r = await api.get('/dir%20with%20space/file%20name+plus.txt', xff('216.160.83.56'));
    expect(r.status).toBe(302);
    expect(r.get('Location')).toBe('http://127.0.0.1/m2/dir with space/file name+plus.txt');
  });

  it('HEAD and POST answer like GET', async () => {
    const head = await api.get(DEB, xff('89.160.20.112'), 'HEAD');
    expect(head.status).toBe(302);
    expect(head.get('Location')).toBe(`http://127.0.0.1/m3${DEB}`);
    const post = await api.get(DEB, xff('89.160.20.112'), 'POST');
    expect(post.status).toBe(302);
  });

  it('an un-geolocated client still gets a mirror (random order)', async () => {
    const r = await api.get('/README.txt');
    expect(r.status).toBe(302);
    expect(r.get('Location')).toMatch(/^http:\/\/127\.0\.0\.1\/m[123]\/README\.txt$/);
    expect(r.all('Link').filter((l) => l.includes('duplicate'))).toHaveLength(2);
  });

  it('IPv6 client with one mirror lacking the file gets one Link', async () => {
    const r = await api.get('/iso/demo-1.0-amd64.iso', xff('89.160.20.112'));
    expect(r.get('Location')).toMatch(/m[12]\/iso\/demo-1.0-amd64.iso$/);
    expect(r.all('Link').filter((l) => l.includes('duplicate'))).toHaveLength(1);
  });
});

describe('503, 404, directories, https', () => {
  it('503 for a file on no mirror, the root and directories (no fallbacks)', async () => {
    for (const p of ['/only-local.bin', '/', '/pool/', '/pool']) {
      const r = await api.get(p);
      expect(r.status, p).toBe(503);
      expect(r.body).toBe('Service Unavailable\n');
      expect(r.headers.slice(0, 3)).toEqual([['Content-Type', 'text/plain; charset=utf-8'], ['Server', 'Mirrorball/test'], ['X-Content-Type-Options', 'nosniff']]);
    }
  });

  it('404 Not Found for unknown paths', async () => {
    const r = await api.get('/nonexistent');
    expect(r.status).toBe(404);
    expect(r.body).toBe('Not Found\n');
    expect(r.get('X-Content-Type-Options')).toBe('nosniff');
  });

  it('https requests never go to http mirrors (?https=1, X-Forwarded-Proto)', async () => {
    expect((await api.get(DEB + '?https=1', xff('81.2.69.142'))).status).toBe(503);
    expect((await api.get(DEB, { ...xff('81.2.69.142'), 'X-Forwarded-Proto': 'https' })).status).toBe(503);
    expect((await api.get(DEB + '?https=0', { ...xff('81.2.69.142'), 'X-Forwarded-Proto': 'https' })).status).toBe(302);
  });
});

describe('If-Modified-Since (§2.7)', () => {
  it('304 when not modified, 302 otherwise', async () => {
    const r = await api.get(DEB, { 'If-Modified-Since': 'Mon, 15 Jan 2024 12:00:00 GMT' });
    expect(r.status).toBe(304);
    expect(r.get('Last-Modified')).toBe('Mon, 15 Jan 2024 12:00:00 GMT');
    expect(r.get('Content-Type')).toBeUndefined();
    expect(r.get('Cache-Control')).toBeUndefined();
    expect((await api.get(DEB, { 'If-Modified-Since': 'Sun, 14 Jan 2024 12:00:00 GMT' })).status).toBe(302);
    expect((await api.get(DEB, { 'If-Modified-Since': 'garbage' })).status).toBe(302);
    expect((await api.get(DEB, { 'If-Modified-Since': 'Mon, 15 Jan 2024 12:00:00 GMT' }, 'POST')).status).toBe(302);
  });
});

describe('JSON (capture 06)', () => {
  it('compact JSON for a SE client is byte-identical to Mirrorbits', async () => {
    const r = await api.get(DEB, { ...xff('89.160.20.112'), Accept: 'application/json' });
    expect(r.status).toBe(200);
    expect(r.get('Content-Type')).toBe('application/json; charset=utf-8');
    expect(r.get('Cache-Control')).toBe('private, no-cache');
    expect(r.body).toBe(fixture('06-deb-compact.json'));
  });
});

describe('createPlainServer (the same handler on a bare node:http listener)', () => {
  it('answers GET and HEAD like the production (Hono) server', async () => {
    const plain = await startApi({}, { plain: true });
    try {
      for (const method of ['GET', 'HEAD']) {
        const r = await plain.get(DEB, xff('89.160.20.112'), method);
        expect(r.status).toBe(302);
        expect(r.get('Location')).toBe(`http://127.0.0.1/m3${DEB}`);
        expect(r.all('Link')).toHaveLength(2);
      }
      expect((await plain.get('/nonexistent')).status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
