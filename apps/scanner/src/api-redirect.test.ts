import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIndex } from '@mirrorball/indexer';
import { encodeMirrorFileInfo, keys } from '@mirrorball/redis';
import { parseGoTimeString } from '@mirrorball/gofmt';
import { S3Source } from '@mirrorball/source';
import { S3Server } from '@mirrorball/testing';
// The api's own test wiring: a real api over a real Redis holding a Mirrorbits database.
import { startApi, type ApiHarness } from '../../api/src/test-harness.ts';

const DEB = '/pool/main/h/hello/hello_2.10-3_amd64.deb';
const CLIENT = { 'X-Forwarded-For': '89.160.20.112' };
let api: ApiHarness;
let s3: S3Server;

beforeAll(async () => {
  api = await startApi();
  s3 = await S3Server.start();
  Object.assign(process.env, s3.sdkEnv());
  await s3.createBucket('downloads.example.org');
  await s3.putObject('downloads.example.org', 'site' + DEB, Buffer.alloc(262144, 1));
  await s3.putObject('downloads.example.org', 'site/iso/only-in-the-bucket.iso', 'new');
}, 60_000);
afterAll(async () => {
  await api?.close();
  await s3?.stop();
});

describe('api over an index built from an S3 bucket', () => {
  it('redirects a file indexed from the bucket and 404s a file the bucket no longer has', async () => {
    const before = await api.get('/README.txt', CLIENT);
    expect(before.status).toBe(302);
    const source = new S3Source({ endpoint: s3.endpoint, bucket: 'downloads.example.org', prefix: 'site/' });
    const r = await runIndex({ redis: api.redis, source, hashes: { sha1: false, sha256: true, md5: false }, progressEveryMs: 0 });
    expect(r.files).toBe(2);
    // The mirrors' scans find the bucket's copy (same size and mtime) — what the worker would record.
    const modTime = parseGoTimeString(await api.redis.hget(keys.file(DEB), 'modTime'));
    for (const id of await api.redis.smembers(keys.fileMirrors(DEB))) await api.redis.hset(keys.fileInfo(id, DEB), ...encodeMirrorFileInfo({ size: 262144, modTime }));
    for (const id of await api.redis.smembers(keys.fileMirrors(DEB))) await api.redis.publish('_mirrorbits_mirror_file_update', `${id} ${DEB}`);
    await new Promise((res) => setTimeout(res, 200)); // pub/sub invalidation reaches the api's caches

    const res = await api.get(DEB, CLIENT);
    expect(res.status).toBe(302);
    expect(res.get('location')).toMatch(new RegExp(`^https?://[^/]+/.*${DEB.replace(/\./g, '\\.')}$`));
    const sum = await api.get(DEB + '?sha256', CLIENT);
    expect(sum.body).toContain(await api.redis.hget(keys.file(DEB), 'sha256'));
    expect((await api.get('/README.txt', CLIENT)).status).toBe(404);
  });
});
