import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from '../test-harness.ts';

const DEB = '/pool/main/h/hello/hello_2.10-3_amd64.deb';
let api: ApiHarness;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});

describe('checksums (capture 06)', () => {
  it('answers sha256sum-style lines without a trailing newline', async () => {
    const r = await api.get(DEB + '?sha256');
    expect(r.status).toBe(200);
    expect(r.body).toBe('6bd095fd5c901e75323414c4b542125cc4b494dd535680eafe50bb844af99eb7  hello_2.10-3_amd64.deb');
    expect(r.get('Content-Type')).toBe('text/plain; charset=UTF-8');
    expect(r.get('Content-Length')).toBe('88');
    expect(r.get('Cache-Control')).toBeUndefined();
    expect((await api.get(DEB + '?sha1')).body).toBe('265274d2647563097561675c1c5943e71db44e9b  hello_2.10-3_amd64.deb');
    expect((await api.get(DEB + '?md5')).body).toBe('2f1718b22e840bc40d9a8ee60c34196c  hello_2.10-3_amd64.deb');
  });
  it('md5 wins over sha1 and sha256', async () => {
    expect((await api.get(DEB + '?sha256&md5&sha1')).body).toBe('2f1718b22e840bc40d9a8ee60c34196c  hello_2.10-3_amd64.deb');
  });
  it('404 Not Found for unknown paths, 404 Hash type not supported for directories', async () => {
    const r = await api.get('/nonexistent?sha256');
    expect(r.status).toBe(404);
    expect(r.body).toBe('Not Found\n');
    const d = await api.get('/pool/?sha256');
    expect(d.status).toBe(404);
    expect(d.body).toBe('Hash type not supported\n');
  });
  it('404 Hash type not supported when the hash is not indexed', async () => {
    await api.redis.hset('FILE_/README.txt', 'md5', '');
    await api.redis.publish('_mirrorbits_file_update', '/README.txt');
    await new Promise((r) => setTimeout(r, 100));
    const r = await api.get('/README.txt?md5');
    expect(r.status).toBe(404);
    expect(r.body).toBe('Hash type not supported\n');
  });
});
