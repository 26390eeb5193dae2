import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestCA, HttpMirror, RedisServer, type TestCA } from '@mirrorball/testing';
import { emptyMirror, type Mirror } from '@mirrorball/model';
import { addMirror, CHANNELS, getMirror, readMirrorLogs, mirrorLogText } from '@mirrorball/redis';
import { checkMirrorHealth, type HealthCheckOptions } from './check.ts';
import { HEALTH_USER_AGENT } from './version.ts';

const FILE = '/pub/a file.iso';

describe('checkMirrorHealth (contract §9) against real HTTP(S) mirrors', () => {
  let server: RedisServer;
  let redis: Redis;
  let sub: Redis;
  let updates: string[];
  let root: string;
  let ca: TestCA;
  let plain: HttpMirror;
  let secure: HttpMirror;

  beforeAll(async () => {
    server = await RedisServer.start();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-health-'));
    fs.mkdirSync(path.join(root, 'pub'));
    fs.writeFileSync(path.join(root, 'pub/a file.iso'), Buffer.alloc(1000, 7));
    fs.writeFileSync(path.join(root, 'pub/b.iso'), Buffer.alloc(1000, 7));
    ca = createTestCA();
    plain = await HttpMirror.start({ root });
    secure = await HttpMirror.start({ root, tls: ca.issue('127.0.0.1') });
  });
  afterAll(async () => {
    await plain?.stop();
    await secure?.stop();
    ca?.dispose();
    await server?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  beforeEach(async () => {
    redis = new Redis(server.port, '127.0.0.1');
    await redis.flushall();
    await redis.hset(`FILE_${FILE}`, 'size', '1000');
    sub = new Redis(server.port, '127.0.0.1');
    updates = [];
    await sub.subscribe(CHANNELS.mirrorUpdate);
    sub.on('message', (_c: string, m: string) => updates.push(m));
    plain.clearFaults();
    secure.clearFaults();
    plain.requests.length = 0;
    secure.requests.length = 0;
  });
  afterEach(async () => {
    sub.disconnect();
    redis.disconnect();
  });

  const opts = (o: Partial<HealthCheckOptions> = {}): HealthCheckOptions => ({
    disallowRedirects: false, disableOnMissingFile: false, ca: ca.caCert, timeoutMs: 1500, connectTimeoutMs: 1000, ...o,
  });

  async function mirror(httpURL: string, extra: Partial<Mirror> = {}, scanned = true): Promise<Mirror> {
    const id = await addMirror(redis, { ...emptyMirror(), name: `m${Math.random().toString(36).slice(2, 8)}`, httpURL, enabled: true, ...extra });
    if (scanned) await redis.sadd(`HANDLEDFILES_${id}`, FILE);
    return (await getMirror(redis, id))!;
  }
  /** Pub/sub delivery is asynchronous: poll for it (generous deadline) instead of sleeping. */
  const until = async (cond: () => boolean, what: string, timeoutMs = 10_000) => {
    const end = Date.now() + timeoutMs;
    while (!cond()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const logs = async (id: number) => (await readMirrorLogs(redis, id)).map(mirrorLogText);

  it('marks an http:// mirror up with stateSince and one log on the transition only; publishes every time', async () => {
    const m = await mirror(plain.url);
    const r1 = await checkMirrorHealth(redis, m, opts());
    expect(r1.results).toMatchObject([{ protocol: 'http', up: true, reason: '', outcome: 'up', changed: true }]);
    let h = await redis.hgetall(`MIRROR_${m.id}`);
    expect(h.httpUp).toBe('1');
    expect(h.httpDownReason).toBe('');
    expect(Number(h.stateSince)).toBeGreaterThan(1_700_000_000);
    // The request: HEAD of the URL-encoded file, contract headers, no keep-alive.
    const req = plain.requests.at(-1)!;
    expect(req).toMatchObject({ method: 'HEAD', path: FILE });
    expect(req.headers['user-agent']).toBe(HEALTH_USER_AGENT);
    expect(req.headers.connection).toBe('close');

    await redis.hset(`MIRROR_${m.id}`, 'stateSince', '12345');
    const before = updates.length;
    const r2 = await checkMirrorHealth(redis, m, opts());
    await until(() => updates.length > before, 'the mirror update message');
    expect(r2.results[0]!.changed).toBe(false);
    h = await redis.hgetall(`MIRROR_${m.id}`);
    expect(h.stateSince).toBe('12345');
    expect(updates.length).toBeGreaterThan(before);
    expect(updates.at(-1)).toBe(String(m.id));
    expect((await logs(m.id)).filter((t) => t.startsWith('HTTP mirror'))).toEqual(['HTTP mirror is up']);
  });

  it('records 404 with the exact reason, and DisableOnMissingFile disables the mirror', async () => {
    plain.setFault(FILE, { kind: 'status', status: 404 });
    const m = await mirror(plain.url);
    await redis.hset(`MIRROR_${m.id}`, 'httpUp', '1');
    const r = await checkMirrorHealth(redis, m, opts({ disableOnMissingFile: true }));
    expect(r.disabled).toBe(true);
    const h = await redis.hgetall(`MIRROR_${m.id}`);
    expect(h).toMatchObject({ httpUp: '0', httpDownReason: `File not found ${FILE} (error 404)`, enabled: '0' });
    expect(await logs(m.id)).toEqual(expect.arrayContaining([`HTTP mirror is down: File not found ${FILE} (error 404)`, 'Mirror disabled']));

    const m2 = await mirror(plain.url);
    await checkMirrorHealth(redis, m2, opts());
    expect(await redis.hget(`MIRROR_${m2.id}`, 'enabled')).toBe('1');
  });

  it('a never-checked mirror found down gets no stateSince and no state log (missing = down)', async () => {
    plain.setFault(FILE, { kind: 'status', status: 500 });
    const m = await mirror(plain.url);
    const r = await checkMirrorHealth(redis, m, opts());
    expect(r.results[0]).toMatchObject({ up: false, reason: 'Got status code 500', outcome: 'bad_status', changed: false });
    const h = await redis.hgetall(`MIRROR_${m.id}`);
    expect(h.httpDownReason).toBe('Got status code 500');
    expect(h.stateSince).toBeUndefined();
    expect((await logs(m.id)).some((t) => t.startsWith('HTTP mirror'))).toBe(false);
  });

  it('timeouts and resets are Unreachable', async () => {
    const m = await mirror(plain.url, {}, true);
    await redis.hset(`MIRROR_${m.id}`, 'httpUp', '1');
    plain.setFault(FILE, { kind: 'timeout' });
    const t0 = Date.now();
    const r = await checkMirrorHealth(redis, m, opts({ timeoutMs: 500 }));
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(r.results[0]).toMatchObject({ up: false, reason: 'Unreachable', outcome: 'unreachable', changed: true });
    expect(await redis.hget(`MIRROR_${m.id}`, 'httpDownReason')).toBe('Unreachable');
    expect(await logs(m.id)).toContain('HTTP mirror is down: Unreachable');
    plain.setFault(FILE, { kind: 'reset' });
    expect((await checkMirrorHealth(redis, m, opts())).results[0]!.reason).toBe('Unreachable');
  });

  it('follows or refuses redirects per allowredirects and DisallowRedirects', async () => {
    plain.setFault(FILE, { kind: 'redirect', location: '/pub/b.iso' });
    const m = await mirror(plain.url);
    expect((await checkMirrorHealth(redis, m, opts())).results[0]).toMatchObject({ up: true });
    expect(plain.requests.map((r) => r.path).slice(-2)).toEqual([FILE, '/pub/b.iso']);

    const refused = await checkMirrorHealth(redis, m, opts({ disallowRedirects: true }));
    expect(refused.results[0]).toMatchObject({ up: false, reason: 'Unauthorized redirect', outcome: 'redirect_refused' });
    expect(await redis.hget(`MIRROR_${m.id}`, 'httpDownReason')).toBe('Unauthorized redirect');

    const allowed = await mirror(plain.url, { allowRedirects: 1 });
    expect((await checkMirrorHealth(redis, allowed, opts({ disallowRedirects: true }))).results[0]!.up).toBe(true);
    const forbidden = await mirror(plain.url, { allowRedirects: 2 });
    expect((await checkMirrorHealth(redis, forbidden, opts())).results[0]!.reason).toBe('Unauthorized redirect');
  });

  it('a redirect loop is Unreachable after 10 requests, like Go', async () => {
    plain.setFault('/loop/*', { kind: 'redirect', location: '/loop/x' });
    plain.setFault(FILE, { kind: 'redirect', location: '/loop/x' });
    const m = await mirror(plain.url);
    const r = await checkMirrorHealth(redis, m, opts());
    expect(r.results[0]).toMatchObject({ up: false, reason: 'Unreachable' });
    expect(plain.requests.length).toBe(10);
  });

  it('a size mismatch is a warning, the mirror stays up', async () => {
    plain.setFault(FILE, { kind: 'wrongLength', size: 999 });
    const m = await mirror(plain.url);
    const r = await checkMirrorHealth(redis, m, opts());
    expect(r.results[0]).toMatchObject({ up: true, outcome: 'size_mismatch' });
    expect(await redis.hget(`MIRROR_${m.id}`, 'httpUp')).toBe('1');
  });

  it('checks an https:// mirror once (custom CA) and a scheme-less mirror twice, each protocol on its own', async () => {
    const s = await mirror(secure.url);
    const r = await checkMirrorHealth(redis, s, opts());
    expect(r.results).toMatchObject([{ protocol: 'https', up: true }]);
    expect(await redis.hget(`MIRROR_${s.id}`, 'httpsUp')).toBe('1');

    // Scheme-less on the TLS port: https answers, plain http to a TLS port fails.
    const both = await mirror(secure.schemelessUrl);
    const r2 = await checkMirrorHealth(redis, both, opts());
    expect(r2.results.map((x) => [x.protocol, x.up, x.reason])).toEqual([['http', false, 'Unreachable'], ['https', true, '']]);
    const h = await redis.hgetall(`MIRROR_${both.id}`);
    expect(h).toMatchObject({ httpUp: '0', httpDownReason: 'Unreachable', httpsUp: '1', httpsDownReason: '' });

    // Without the test CA the certificate is not trusted: Unreachable, never "insecure".
    const r3 = await checkMirrorHealth(redis, s, opts({ ca: undefined }));
    expect(r3.results[0]).toMatchObject({ up: false, reason: 'Unreachable' });
  });

  it('skips a mirror that was never scanned and writes nothing', async () => {
    const m = await mirror(plain.url, {}, false);
    const before = await redis.hgetall(`MIRROR_${m.id}`);
    const r = await checkMirrorHealth(redis, m, opts());
    expect(r).toMatchObject({ skipped: 'not yet scanned', results: [] });
    expect(await redis.hgetall(`MIRROR_${m.id}`)).toEqual(before);
    expect(plain.requests.length).toBe(0);
  });
});
