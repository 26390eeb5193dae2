import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from './test-harness.ts';

/** Every selection exclusion reason, made visible in the JSON answer by editing Redis like Go nodes do. */
const P = '/README.txt';
const SE = { 'X-Forwarded-For': '89.160.20.112', Accept: 'application/json' };
let api: ApiHarness;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Case {
  name: string;
  mirror?: [id: number, fields: Record<string, string>];
  fileInfo?: [id: number, fields: Record<string, string>];
  contentBad?: number;
  expect: [mirrorName: string, reason: string | RegExp];
}

const cases: Case[] = [
  { name: 'disabled', mirror: [1, { enabled: '0' }], expect: ['gb-mirror', 'Disabled'] },
  { name: 'down', mirror: [1, { httpUp: '0', httpDownReason: 'Got status code 500' }], expect: ['gb-mirror', /Got status code 500/] },
  { name: 'size', fileInfo: [1, { size: '1' }], expect: ['gb-mirror', 'File size mismatch'] },
  { name: 'mtime', fileInfo: [1, { modTime: '2020-01-01 00:00:00 +0000 UTC' }], expect: ['gb-mirror', /^Mod time mismatch/] },
  { name: 'missing FILEINFO', fileInfo: [1, {}], expect: ['gb-mirror', 'File size mismatch'] },
  { name: 'content check', contentBad: 1, expect: ['gb-mirror', 'Content mismatch'] },
  { name: 'continent only', mirror: [2, { continentOnly: '1' }], expect: ['us-mirror', 'Continent only'] },
  { name: 'country only', mirror: [1, { countryOnly: '1' }], expect: ['gb-mirror', 'Country only'] },
  { name: 'AS only', mirror: [1, { asOnly: '1' }], expect: ['gb-mirror', 'AS only'] },
  { name: 'excluded country', mirror: [1, { excludedCountryCodes: 'SE' }], expect: ['gb-mirror', "User's country restriction"] },
];

describe('exclusion reasons in JSON', () => {
  it.each(cases)('$name', async (c) => {
    const restore: (() => Promise<unknown>)[] = [];
    if (c.mirror) {
      const [id, fields] = c.mirror;
      const old = await api.redis.hgetall(`MIRROR_${id}`);
      await api.redis.hset(`MIRROR_${id}`, fields);
      restore.push(() => api.redis.hset(`MIRROR_${id}`, old), () => api.redis.publish('_mirrorbits_mirror_update', String(id)));
      await api.redis.publish('_mirrorbits_mirror_update', String(id));
    }
    if (c.fileInfo) {
      const [id, fields] = c.fileInfo;
      const key = `FILEINFO_${id}_${P}`;
      const old = await api.redis.hgetall(key);
      if (Object.keys(fields).length) await api.redis.hset(key, fields);
      else await api.redis.del(key);
      restore.push(() => api.redis.hset(key, old), () => api.redis.publish('_mirrorbits_mirror_file_update', `${id} ${P}`));
      await api.redis.publish('_mirrorbits_mirror_file_update', `${id} ${P}`);
    }
    if (c.contentBad !== undefined) {
      const id = c.contentBad;
      await api.redis.sadd(`MIRRORBALL_CONTENTBAD_${id}`, P);
      restore.push(() => api.redis.srem(`MIRRORBALL_CONTENTBAD_${id}`, P), () => api.redis.publish('_mirrorbits_mirror_file_update', `${id} ${P}`));
      await api.redis.publish('_mirrorbits_mirror_file_update', `${id} ${P}`);
    }
    await sleep(80);
    try {
      const r = await api.get(P, SE);
      expect(r.status).toBe(200);
      const j = JSON.parse(r.body) as { MirrorList: { Name: string }[]; ExcludedList?: { Name: string; ExcludeReason: string }[] };
      const ex = j.ExcludedList?.find((m) => m.Name === c.expect[0]);
      expect(ex, JSON.stringify(j.ExcludedList)).toBeDefined();
      if (typeof c.expect[1] === 'string') expect(ex!.ExcludeReason).toBe(c.expect[1]);
      else expect(ex!.ExcludeReason).toMatch(c.expect[1]);
      expect(j.MirrorList.map((m) => m.Name)).not.toContain(c.expect[0]);
    } finally {
      for (const f of restore) await f();
      await sleep(80);
    }
  });

  it('https=1 excludes plain-HTTP mirrors with "Not HTTPS" while an HTTPS-capable one serves', async () => {
    await api.redis.hset('MIRROR_3', { http: '127.0.0.1/m3/', httpsUp: '1', httpUp: '1' });
    await api.redis.publish('_mirrorbits_mirror_update', '3');
    await sleep(80);
    try {
      const r = await api.get(P + '?https=1', SE);
      const j = JSON.parse(r.body) as { MirrorList: { Name: string; AbsoluteURL: string }[]; ExcludedList: { Name: string; ExcludeReason: string }[] };
      expect(j.MirrorList.map((m) => [m.Name, m.AbsoluteURL])).toEqual([['se-mirror', 'https://127.0.0.1/m3/']]);
      expect(j.ExcludedList.map((m) => m.ExcludeReason)).toEqual(['Not HTTPS', 'Not HTTPS']);
      const redirect = await api.get(P + '?https=1', { 'X-Forwarded-For': '89.160.20.112' });
      expect(redirect.get('Location')).toBe('https://127.0.0.1/m3/README.txt');
    } finally {
      await api.redis.hset('MIRROR_3', { http: 'http://127.0.0.1/m3/', httpsUp: '0' });
      await api.redis.publish('_mirrorbits_mirror_update', '3');
    }
  });
});
