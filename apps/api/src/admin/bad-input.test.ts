/** Every write endpoint refuses bad input with a clear 4xx and leaves the database byte-for-byte unchanged. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdminHarness, type AdminHarness } from './testkit.ts';

let h: AdminHarness;
let id: number;
beforeAll(async () => {
  h = await startAdminHarness();
  id = (await h.call('POST', '/api/v1/mirrors', { Name: 'keep', HttpURL: 'http://127.0.0.1/m1/', CountryCodes: 'GB' })).json.mirror.ID;
  await h.call('POST', '/api/v1/mirrors', { Name: 'other', HttpURL: 'http://127.0.0.2/m2/' });
});
afterAll(async () => h?.stop());

const cases: [string, string, string, unknown, number, string?][] = [
  ['add: malformed JSON', 'POST', '/api/v1/mirrors', '{"Name": "x",', 400],
  ['add: body not an object', 'POST', '/api/v1/mirrors', '[1]', 400],
  ['add: empty body', 'POST', '/api/v1/mirrors', '', 400],
  ['add: missing HttpURL', 'POST', '/api/v1/mirrors', { Name: 'x' }, 400, 'HttpURL'],
  ['add: missing Name', 'POST', '/api/v1/mirrors', { HttpURL: 'http://127.0.0.3/' }, 400, 'Name'],
  ['add: name with a space', 'POST', '/api/v1/mirrors', { Name: 'a b', HttpURL: 'http://127.0.0.3/' }, 400, 'Name'],
  ['add: name taken', 'POST', '/api/v1/mirrors', { Name: 'keep', HttpURL: 'http://127.0.0.3/' }, 409, 'Name'],
  ['add: ftp:// as HTTP URL', 'POST', '/api/v1/mirrors', { Name: 'x', HttpURL: 'ftp://127.0.0.3/' }, 400, 'HttpURL'],
  ['add: rsync URL with http scheme', 'POST', '/api/v1/mirrors', { Name: 'x', HttpURL: 'http://127.0.0.3/', RsyncURL: 'http://127.0.0.3/' }, 400, 'RsyncURL'],
  ['add: FTP URL with rsync scheme', 'POST', '/api/v1/mirrors', { Name: 'x', HttpURL: 'http://127.0.0.3/', FtpURL: 'rsync://h/m/' }, 400, 'FtpURL'],
  ['add: unresolvable host', 'POST', '/api/v1/mirrors', { Name: 'x', HttpURL: 'http://no-such-host.invalid/' }, 400, 'HttpURL'],
  ['add: bad country code', 'POST', '/api/v1/mirrors', { Name: 'x', HttpURL: 'http://127.0.0.3/', CountryCodes: 'GB USA' }, 400, 'CountryCodes'],
  ['add: bad continent', 'POST', '/api/v1/mirrors', { Name: 'x', HttpURL: 'http://127.0.0.3/', ContinentCode: 'XX' }, 400, 'ContinentCode'],
  ['add: score out of range', 'POST', '/api/v1/mirrors', { Name: 'x', HttpURL: 'http://127.0.0.3/', Score: 5000 }, 400, 'Score'],
  ['add: score not an integer', 'POST', '/api/v1/mirrors', { Name: 'x', HttpURL: 'http://127.0.0.3/', Score: '10' }, 400, 'Score'],
  ['add: unknown field', 'POST', '/api/v1/mirrors', { Name: 'x', HttpURL: 'http://127.0.0.3/', Sponsor: 'y' }, 400, 'Sponsor'],
  ['add: read-only field', 'POST', '/api/v1/mirrors', { Name: 'x', HttpURL: 'http://127.0.0.3/', ID: 7 }, 400, 'ID'],
  ['update: malformed JSON', 'PATCH', '/api/v1/mirrors/keep', '{', 400],
  ['update: unknown mirror', 'PATCH', '/api/v1/mirrors/nope', { Score: 1 }, 404],
  ['update: rename onto a taken name', 'PATCH', '/api/v1/mirrors/keep', { Name: 'other' }, 409, 'Name'],
  ['update: latitude out of range', 'PATCH', '/api/v1/mirrors/keep', { Latitude: 91 }, 400, 'Latitude'],
  ['update: AllowRedirects 3', 'PATCH', '/api/v1/mirrors/keep', { AllowRedirects: 3 }, 400, 'AllowRedirects'],
  ['update: empty HttpURL', 'PATCH', '/api/v1/mirrors/keep', { HttpURL: '' }, 400, 'HttpURL'],
  ['update: excluded country code', 'PATCH', '/api/v1/mirrors/keep', { ExcludedCountryCodes: '1' }, 400, 'ExcludedCountryCodes'],
  ['remove: unknown mirror', 'DELETE', '/api/v1/mirrors/999', undefined, 404],
  ['enable: unknown mirror', 'POST', '/api/v1/mirrors/nope/enable', undefined, 404],
  ['disable: unknown mirror', 'POST', '/api/v1/mirrors/0/disable', undefined, 404],
  ['geoupdate: bad body', 'POST', '/api/v1/mirrors/keep/geoupdate', { save: 'yes' }, 400, 'save'],
  ['geoupdate: unknown mirror', 'POST', '/api/v1/mirrors/nope/geoupdate', {}, 404],
  ['scan: bad protocol', 'POST', '/api/v1/mirrors/keep/scan', { protocol: 'http2' }, 400, 'protocol'],
  ['scan: negative timeout', 'POST', '/api/v1/mirrors/keep/scan', { timeout: -1 }, 400, 'timeout'],
  ['scan: malformed JSON', 'POST', '/api/v1/mirrors/keep/scan', '{"a"', 400],
  ['refresh: unknown field', 'POST', '/api/v1/refresh', { rehash: true, force: 1 }, 400, 'force'],
  ['refresh: rehash not a bool', 'POST', '/api/v1/refresh', { rehash: 'yes' }, 400, 'rehash'],
];

describe('bad input on write endpoints', () => {
  it.each(cases)('%s', async (_name, method, p, body, status, field) => {
    const before = await h.snapshot();
    const r = await h.call(method, p, body);
    expect(r.status).toBe(status);
    expect(typeof r.json?.error).toBe('string');
    expect(r.json.error.length).toBeGreaterThan(5);
    if (field) expect(r.json.field).toBe(field);
    expect(await h.snapshot()).toEqual(before);
  });

  it('left the mirror intact', async () => {
    expect(await h.redis.hget(`MIRROR_${id}`, 'name')).toBe('keep');
  });
});
