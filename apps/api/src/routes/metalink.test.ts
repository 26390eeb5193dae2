import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from '../test-harness.ts';

const ISO = '/iso/demo-1.0-amd64.iso';
let api: ApiHarness;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});

describe('Metalink v4', () => {
  it('?meta4 lists the selected mirrors with the hashes', async () => {
    const r = await api.get(ISO + '?meta4', { 'X-Forwarded-For': '81.2.69.142' });
    expect(r.status).toBe(200);
    expect(r.get('Content-Type')).toBe('application/metalink4+xml');
    expect(r.body).toContain('<metalink xmlns="urn:ietf:params:xml:ns:metalink">');
    expect(r.body).toContain('4f211a34ac027d5aa32e38b633fd6d72f9160ea472b7c4dd972930646200089f');
    expect(r.body).toContain('http://127.0.0.1/m1/iso/demo-1.0-amd64.iso');
    expect(r.body).toContain('http://127.0.0.1/m2/iso/demo-1.0-amd64.iso');
    expect(r.body).not.toContain('/m3/');
  });
  it('<file>.meta4 and <file>.metalink work when the base file is indexed', async () => {
    expect((await api.get(ISO + '.meta4')).status).toBe(200);
    expect((await api.get(ISO + '.metalink')).status).toBe(200);
    expect((await api.get('/nope.iso.meta4')).status).toBe(404);
  });
  it('not for directories; not counted', async () => {
    expect((await api.get('/iso/?meta4')).status).toBe(404);
  });
});
