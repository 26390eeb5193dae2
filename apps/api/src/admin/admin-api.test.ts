import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdminHarness, TOKEN, type AdminHarness } from './testkit.ts';

let h: AdminHarness;
beforeAll(async () => {
  h = await startAdminHarness();
});
afterAll(async () => h?.stop());

describe('authentication', () => {
  it('refuses calls without or with a wrong token, in constant shape', async () => {
    const none = await h.call('GET', '/api/v1/mirrors', undefined, '');
    expect(none.status).toBe(401);
    expect(none.json.error).toMatch(/Bearer/);
    expect((await h.call('GET', '/api/v1/mirrors', undefined, 'wrong')).status).toBe(401);
    expect((await h.call('GET', '/api/v1/mirrors', undefined, TOKEN + 'x')).status).toBe(401);
    expect((await h.call('GET', '/api/v1/mirrors')).status).toBe(200);
  });

  it('is disabled (503) while AdminToken is empty', async () => {
    const off = await startAdminHarness({ token: '' });
    try {
      const r = await off.call('GET', '/api/v1/mirrors', undefined, '');
      expect(r.status).toBe(503);
      expect(r.json).toEqual({ error: 'admin API disabled: set AdminToken' });
    } finally {
      await off.stop();
    }
  });
});

describe('a mirror through the API', () => {
  it('adds (located by GeoIP, disabled), shows, edits, enables, logs, exports and removes', async () => {
    const add = await h.call('POST', '/api/v1/mirrors', {
      Name: 'us-mirror', HttpURL: 'http://127.0.1.5:8080/debian', RsyncURL: 'rsync://127.0.1.5/debian', AdminEmail: 'a@example.org', Score: 10,
    });
    expect(add.status).toBe(201);
    expect(add.json.warnings).toEqual([]);
    expect(add.json.location).toEqual({ Latitude: 47.25, Longitude: -122.3125, Country: 'United States', Continent: 'NA', ASN: 'CenturyLink (209)' });
    const id = add.json.mirror.ID;
    expect(add.json.mirror).toMatchObject({ Name: 'us-mirror', HttpURL: 'http://127.0.1.5:8080/debian/', CountryCodes: 'US', ContinentCode: 'NA', Asnum: 209, Enabled: false, Score: 10 });
    // §4.4: the record as Mirrorbits writes it, httpsUp 0 for an http:// mirror, MIRRORS entry.
    const rec = await h.redis.hgetall(`MIRROR_${id}`);
    expect(rec).toMatchObject({ ID: String(id), name: 'us-mirror', http: 'http://127.0.1.5:8080/debian/', rsync: 'rsync://127.0.1.5/debian/', enabled: '0', httpsUp: '0', countryCodes: 'US', asnum: '209', score: '10' });
    expect(await h.redis.hget('MIRRORS', String(id))).toBe('us-mirror');

    const list = await h.call('GET', '/api/v1/mirrors');
    expect(list.json.mirrors.map((m: { Name: string }) => m.Name)).toEqual(['us-mirror']);
    expect((await h.call('GET', '/api/v1/mirrors/us-mirror')).json.ID).toBe(id);
    expect((await h.call('GET', `/api/v1/mirrors/${id}`)).json.Name).toBe('us-mirror');
    expect((await h.call('GET', '/api/v1/mirrors/match?pattern=US-')).json.mirrors).toEqual([{ ID: id, Name: 'us-mirror' }]);

    const edit = await h.call('PATCH', `/api/v1/mirrors/${id}`, { CountryCodes: 'us,ca', Comment: 'hello' });
    expect(edit.status).toBe(200);
    expect(edit.json.diff).toBe('- CountryCodes: US\n+ CountryCodes: US CA\n');
    expect(await h.redis.hget(`MIRROR_${id}`, 'countryCodes')).toBe('US CA');
    expect(await h.redis.hget(`MIRROR_${id}`, 'comment')).toBe('hello');

    expect((await h.call('POST', `/api/v1/mirrors/${id}/enable`)).json.mirror.Enabled).toBe(true);
    expect(await h.redis.hget(`MIRROR_${id}`, 'enabled')).toBe('1');
    expect((await h.call('POST', `/api/v1/mirrors/${id}/disable`)).json.mirror.Enabled).toBe(false);

    const logs = await h.call('GET', `/api/v1/mirrors/${id}/logs?max=3`);
    expect(logs.json.lines.map((l: string) => l.replace(/^.*?: /, ''))).toEqual(['Mirror edited', 'Mirror enabled', 'Mirror disabled']);

    const mirmon = await h.call('GET', '/api/v1/export/mirmon');
    expect(mirmon.text).toBe('US\thttp://127.0.1.5:8080/debian/\ta@example.org\nUS\trsync://127.0.1.5/debian/\ta@example.org\n');
    expect((await h.call('GET', '/api/v1/export/mirmon?disabled=false')).text).toBe('');

    const geo = await h.call('POST', `/api/v1/mirrors/${id}/geoupdate`, {});
    expect(geo.json.diff).toBe(''); // US already in the list, location unchanged

    const del = await h.call('DELETE', `/api/v1/mirrors/${id}`);
    expect(del.json).toEqual({ removed: id, name: 'us-mirror' });
    expect(await h.redis.exists(`MIRROR_${id}`, `MIRRORLOGS_${id}`)).toBe(0);
    expect(await h.redis.hlen('MIRRORS')).toBe(0);
    expect((await h.call('GET', `/api/v1/mirrors/${id}`)).status).toBe(404);
  });

  it('warns when the host cannot be located, and accepts scheme-less and rsyncs URLs', async () => {
    const r = await h.call('POST', '/api/v1/mirrors', { Name: 'nowhere', HttpURL: '127.9.9.9/pub', RsyncURL: 'rsyncs://127.9.9.9/pub' });
    expect(r.status).toBe(201);
    expect(r.json.warnings).toEqual(['Warning: unable to guess the geographic location of this mirror']);
    expect(r.json.location.Country).toBe('');
    const rec = await h.redis.hgetall(`MIRROR_${r.json.mirror.ID}`);
    expect(rec.http).toBe('127.9.9.9/pub/');
    expect(rec.httpUp).toBeUndefined(); // dual-stack: neither up field forced
    await h.call('DELETE', `/api/v1/mirrors/${r.json.mirror.ID}`);
  });

  it('answers stats over a date range with the §10.4 key coverage', async () => {
    await h.redis.hset('STATS_FILE_2015_10_30', '/a.iso', '2', '/b.iso', '1');
    await h.redis.hset('STATS_FILE_2015_11', '/a.iso', '5');
    await h.redis.hset('STATS_FILE_2015_12_02', '/a.iso', '100'); // end day: not covered
    const r = await h.call('GET', '/api/v1/stats/files?pattern=%5C.iso%24&start=2015-10-30&end=2015-12-02');
    expect(r.json).toEqual({ files: { '/a.iso': 7, '/b.iso': 1 }, total: 8 });
    const m = await h.call('POST', '/api/v1/mirrors', { Name: 'stats-m', HttpURL: 'http://127.0.0.9/' });
    const id = m.json.mirror.ID;
    await h.redis.hset('STATS_MIRROR_2015', String(id), '4');
    await h.redis.hset('STATS_MIRROR_BYTES_2015', String(id), '4096');
    const s = await h.call('GET', `/api/v1/mirrors/stats-m/stats?start=2015-1-1&end=2016-01-01`);
    expect([s.json.requests, s.json.bytes]).toEqual([4, 4096]);
    expect((await h.call('GET', '/api/v1/stats/files?pattern=(')).status).toBe(400);
    expect((await h.call('GET', '/api/v1/stats/files?pattern=x&start=2015-13-01')).json.field).toBe('start');
    await h.call('DELETE', `/api/v1/mirrors/${id}`);
  });

  it('serves version, reload and its OpenAPI document', async () => {
    expect((await h.call('GET', '/api/v1/version')).json).toMatchObject({ Version: '1.2.3', Build: 'test', OS: process.platform });
    const before = h.reloads;
    expect((await h.call('POST', '/api/v1/reload')).status).toBe(200);
    expect(h.reloads).toBe(before + 1);
    const doc = await h.call('GET', '/api/v1/openapi.json');
    expect(doc.json.openapi).toBe('3.1.0');
  });

  it('answers 503 for scans and refreshes when no job queue is wired', async () => {
    const m = await h.call('POST', '/api/v1/mirrors', { Name: 'noscan', HttpURL: 'http://127.0.0.8/' });
    expect((await h.call('POST', '/api/v1/mirrors/noscan/scan', {})).status).toBe(503);
    expect((await h.call('POST', '/api/v1/refresh', {})).status).toBe(503);
    await h.call('DELETE', `/api/v1/mirrors/${m.json.mirror.ID}`);
  });
});

describe('invalidation', () => {
  it('publishes every write on _mirrorbits_mirror_update so all api pods see it', async () => {
    const sub = new Redis(h.server.url);
    const seen: string[] = [];
    await sub.subscribe('_mirrorbits_mirror_update');
    sub.on('message', (_ch, msg) => seen.push(msg));
    try {
      const id = String((await h.call('POST', '/api/v1/mirrors', { Name: 'pub', HttpURL: 'http://127.0.0.4/' })).json.mirror.ID);
      await h.call('PATCH', `/api/v1/mirrors/${id}`, { Score: 3 });
      await h.call('POST', `/api/v1/mirrors/${id}/enable`);
      await h.call('DELETE', `/api/v1/mirrors/${id}`);
      const end = Date.now() + 2000;
      while (seen.length < 5 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      // add, edit, enable, and remove (disable + final publish)
      expect(seen).toEqual([id, id, id, id, id]);
    } finally {
      sub.disconnect();
    }
  });
});
