import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CompleteMultipartUploadCommand, CreateMultipartUploadCommand, S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import { FaultProxy, S3Server, createTestCA } from '@mirrorball/testing';
import { SourceError } from './errors.ts';
import { S3Source, choosePathStyle, type S3SourceOptions } from './s3.ts';
import type { SourceObject } from './source.ts';

let s3: S3Server;
let proxy: FaultProxy;
const fast = { attempts: 4, baseDelayMs: 5, maxDelayMs: 20 };

async function listAll(src: S3Source): Promise<SourceObject[]> {
  const out: SourceObject[] = [];
  for await (const o of src.list()) out.push(o);
  return out;
}

function source(opts: Partial<S3SourceOptions> & { bucket: string }): S3Source {
  return new S3Source({ endpoint: proxy.endpoint, forcePathStyle: true, retry: fast, ...opts });
}

const ODD_KEYS = ['a b/with space.iso', 'plus+sign.txt', 'per%cent.txt', 'ünïcødé/файл.iso', 'deep/er/nested/file'];

beforeAll(async () => {
  s3 = await S3Server.start();
  Object.assign(process.env, s3.sdkEnv());
  proxy = await FaultProxy.start({ host: s3.host, port: s3.port });
  await s3.createBucket('plain');
  for (const k of ODD_KEYS) await s3.putObject('plain', k, `body of ${k}`);
  await s3.putObject('plain', 'dir/', '');
  await s3.putObject('plain', 'empty-dir_$folder$', '');
  await s3.createBucket('big');
  const puts: Promise<void>[] = [];
  for (let i = 0; i < 1203; i++) puts.push(s3.putObject('big', `d${i % 7}/f${String(i).padStart(5, '0')}`, String(i)));
  await Promise.all(puts);
  await s3.createBucket('dl.example.org');
  await s3.putObject('dl.example.org', 'pub/release/6.0/eos.iso', 'iso');
  await s3.putObject('dl.example.org', 'pub/', '');
  await s3.putObject('dl.example.org', 'other/x', 'x');
});
afterAll(async () => {
  await proxy?.stop();
  await s3?.stop();
});
beforeEach(() => proxy.reset());

describe('S3Source listing', () => {
  it('maps keys byte-exactly, skips directory placeholders, strips ETag quotes', async () => {
    const objs = await listAll(source({ bucket: 'plain' }));
    expect(objs.map((o) => o.path).sort()).toEqual(ODD_KEYS.map((k) => '/' + k).sort());
    const o = objs.find((x) => x.path === '/plus+sign.txt')!;
    expect(o.size).toBe('body of plus+sign.txt'.length);
    expect(o.etag).toMatch(/^[0-9a-f]{32}$/);
    expect(o.modTime.sec).toBeGreaterThan(1_700_000_000);
  });

  it('follows every page of a listing over 1000 objects, sequentially and split over prefixes', async () => {
    const seq = await listAll(source({ bucket: 'big' }));
    expect(seq).toHaveLength(1203);
    expect(new Set(seq.map((o) => o.path)).size).toBe(1203);
    expect(proxy.count('ListObjectsV2')).toBe(2);
    proxy.reset();
    const par = await listAll(source({ bucket: 'big', listConcurrency: 3 }));
    expect(par.map((o) => o.path).sort()).toEqual(seq.map((o) => o.path).sort());
    expect(proxy.count('ListObjectsV2')).toBe(1 + 7);
  });

  it('maps a prefix to / and works with a dotted bucket name', async () => {
    expect(choosePathStyle('dl.example.org', undefined)).toBe(true);
    expect(choosePathStyle('plain', undefined)).toBe(false);
    expect(choosePathStyle('dl.example.org', 'https://s3.example.net')).toBe(true);
    expect(choosePathStyle('plain', 'https://s3.example.net')).toBe(false);
    expect(choosePathStyle('dl.example.org', 'https://s3.example.net', false)).toBe(false);
    const objs = await listAll(new S3Source({ endpoint: proxy.endpoint, bucket: 'dl.example.org', prefix: '/pub', retry: fast }));
    expect(objs.map((o) => o.path)).toEqual(['/release/6.0/eos.iso']);
    const stream = await source({ bucket: 'dl.example.org', prefix: 'pub/' }).open('/release/6.0/eos.iso', { start: 1, end: 2 });
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('so');
  });

  it('lists a dotted bucket over TLS without any path-style flag', async () => {
    const ca = createTestCA();
    const tlsProxy = await FaultProxy.start({ host: s3.host, port: s3.port }, ca.issue('localhost'));
    try {
      // Virtual-hosted style would ask for dl.example.org.localhost, which no certificate covers.
      const src = new S3Source({ endpoint: tlsProxy.endpoint, bucket: 'dl.example.org', prefix: 'pub/', tlsCa: ca.caCert, retry: fast });
      expect((await listAll(src)).map((o) => o.path)).toEqual(['/release/6.0/eos.iso']);
      expect(tlsProxy.requests[0]!.url).toMatch(/^\/dl\.example\.org\/?\?list-type=2/);
      src.destroy();
    } finally {
      await tlsProxy.stop();
      ca.dispose();
    }
  });

  it('reports a multipart ETag with -N', async () => {
    const c = new S3Client({ endpoint: s3.endpoint, forcePathStyle: true, region: s3.region });
    const { UploadId } = await c.send(new CreateMultipartUploadCommand({ Bucket: 'plain', Key: 'multi.bin' }));
    const p1 = await c.send(new UploadPartCommand({ Bucket: 'plain', Key: 'multi.bin', UploadId, PartNumber: 1, Body: Buffer.alloc(5 * 1024 * 1024, 1) }));
    const p2 = await c.send(new UploadPartCommand({ Bucket: 'plain', Key: 'multi.bin', UploadId, PartNumber: 2, Body: Buffer.alloc(10, 2) }));
    await c.send(new CompleteMultipartUploadCommand({ Bucket: 'plain', Key: 'multi.bin', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }] } }));
    c.destroy();
    const o = (await listAll(source({ bucket: 'plain' }))).find((x) => x.path === '/multi.bin')!;
    expect(o.etag).toMatch(/-2$/);
    expect(o.size).toBe(5 * 1024 * 1024 + 10);
    await s3.deleteObject('plain', 'multi.bin');
  });
});

describe('S3Source errors', () => {
  it('retries 503 SlowDown, 500 and a connection reset mid-listing', async () => {
    const faults = new Map<number, 'slow' | 'reset' | '500'>([[0, 'slow'], [2, 'reset'], [3, '500']]);
    proxy.rule = (_r, i) => {
      const f = faults.get(i);
      if (f === 'slow') return { kind: 'status', status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' };
      if (f === '500') return { kind: 'status', status: 500, code: 'InternalError' };
      if (f === 'reset') return { kind: 'reset' };
      return undefined;
    };
    const objs = await listAll(source({ bucket: 'big' }));
    expect(objs).toHaveLength(1203);
    expect(proxy.count('ListObjectsV2')).toBe(5);
  });

  it('fails a parallel listing when one prefix keeps failing, without hanging', async () => {
    proxy.rule = (r) => (r.url.includes('prefix=d3%2F') ? { kind: 'status', status: 500, code: 'InternalError' } : undefined);
    const err = await listAll(source({ bucket: 'big', listConcurrency: 3 })).catch((e) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect(err.message).toMatch(/InternalError.*gave up after 4 attempts/);
  });

  it('gives up on persistent throttling with a transient error', async () => {
    proxy.rule = () => ({ kind: 'status', status: 503, code: 'SlowDown' });
    const err = await listAll(source({ bucket: 'big' })).catch((e) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect(err.kind).toBe('transient');
    expect(err.message).toMatch(/gave up after 4 attempts/);
  });

  it('stops with a clear message on a missing bucket, access denied and bad credentials', async () => {
    const missing = await listAll(source({ bucket: 'nope' })).catch((e) => e);
    expect(missing.kind).toBe('no-such-bucket');
    expect(missing.message).toMatch(/Check Source\.S3\.Bucket/);
    proxy.reset();
    proxy.rule = () => ({ kind: 'status', status: 403, code: 'AccessDenied', message: 'Access Denied' });
    const denied = await listAll(source({ bucket: 'plain' })).catch((e) => e);
    expect(denied.kind).toBe('access-denied');
    expect(proxy.requests).toHaveLength(1);
    proxy.rule = () => ({ kind: 'status', status: 403, code: 'InvalidAccessKeyId', message: 'The AWS Access Key Id you provided does not exist in our records.' });
    const creds = await listAll(source({ bucket: 'plain' })).catch((e) => e);
    expect(creds.kind).toBe('bad-credentials');
    expect(creds.message).toMatch(/AWS_ACCESS_KEY_ID/);
  });

  it('follows the region named in an AuthorizationHeaderMalformed answer', async () => {
    proxy.rule = (r) =>
      r.signedRegion === 'ap-south-1'
        ? undefined
        : { kind: 'status', status: 400, code: 'AuthorizationHeaderMalformed', message: "the region 'us-east-1' is wrong; expecting 'ap-south-1'", fields: { Region: 'ap-south-1' } };
    const src = source({ bucket: 'plain', region: 'us-east-1' });
    expect((await listAll(src)).length).toBe(ODD_KEYS.length);
    expect(proxy.requests.map((r) => r.signedRegion)).toEqual(['us-east-1', 'ap-south-1']);
  });

  it('stops on a wrong region S3 does not name', async () => {
    proxy.rule = () => ({ kind: 'status', status: 301, code: 'PermanentRedirect', message: 'The bucket you are attempting to access must be addressed using the specified endpoint.' });
    const err = await listAll(source({ bucket: 'plain' })).catch((e) => e);
    expect(err.kind).toBe('wrong-region');
    expect(err.message).toMatch(/Check Source\.S3\.Region/);
  });

  it('follows the region S3 reports for a bucket in another region', async () => {
    const warnings: string[] = [];
    proxy.rule = (r) =>
      r.signedRegion === 'eu-west-1'
        ? undefined
        : { kind: 'status', status: 301, code: 'PermanentRedirect', headers: { 'x-amz-bucket-region': 'eu-west-1' } };
    const src = source({ bucket: 'plain', region: 'us-east-1', log: { info() {}, error() {}, warn: (m) => warnings.push(m) } });
    const objs = await listAll(src);
    expect(objs.length).toBe(ODD_KEYS.length);
    expect(src.describe()).toMatch(/eu-west-1/);
    expect(warnings.join('\n')).toMatch(/in region eu-west-1, not us-east-1/);
    expect(proxy.requests.map((r) => r.signedRegion)).toEqual(['us-east-1', 'eu-west-1']);
  });
});
