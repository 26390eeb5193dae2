import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HttpMirror } from '@mirrorball/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMetalink, type MetalinkFile } from './metalink.ts';

const hex = (algo: string, b: Buffer) => crypto.createHash(algo).update(b).digest('hex');

describe('renderMetalink (document)', () => {
  it('writes a Metalink 4 document with escaped URLs, locations and priorities', () => {
    const xml = renderMetalink({
      file: { path: '/dir/a&b <1>.iso', size: 48, modTime: { sec: 1748757600, nsec: 5e8 }, sha1: 'AB12', sha256: 'cd34', md5: '' },
      mirrors: [
        { url: 'http://m1.example/dir/a&b%20<1>.iso', countryCode: 'GB' },
        { url: 'https://m2.example/x', countryCode: 'us', priority: 7 },
        { url: 'https://fallback.example/x', countryCode: '' },
      ],
      publisher: { name: 'Example "Org"', url: 'https://example.org' },
      origin: 'https://dl.example/dir/a.iso?metalink',
      generator: 'Mirrorball/0.1.0',
    });
    expect(xml).toBe(`<?xml version="1.0" encoding="UTF-8"?>
<metalink xmlns="urn:ietf:params:xml:ns:metalink">
  <generator>Mirrorball/0.1.0</generator>
  <origin dynamic="true">https://dl.example/dir/a.iso?metalink</origin>
  <published>2025-06-01T06:00:00.5Z</published>
  <file name="a&amp;b &lt;1&gt;.iso">
    <publisher name="Example &quot;Org&quot;" url="https://example.org"/>
    <size>48</size>
    <hash type="sha-256">cd34</hash>
    <hash type="sha-1">ab12</hash>
    <url location="gb" priority="1">http://m1.example/dir/a&amp;b%20&lt;1&gt;.iso</url>
    <url location="us" priority="7">https://m2.example/x</url>
    <url priority="3">https://fallback.example/x</url>
  </file>
</metalink>
`);
  });

  it('never emits a path-traversing name or XML-invalid characters', () => {
    const xml = renderMetalink({
      file: { path: '/x', name: '../../etc/pass\u0001wd', size: 0, modTime: { sec: -62135596800, nsec: 0 }, sha1: '', sha256: '', md5: '' },
      mirrors: [],
    });
    expect(xml).toContain('<file name="etc/passwd">');
    expect(xml).not.toContain('<published>');
    expect(xml).not.toContain('<size>');
  });
});

/** aria2c with no user config, one try, no DNS, quiet. Resolves with its exit code and output. */
function aria2c(metalink: string, dir: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('aria2c', [
      '--no-conf', '--metalink-file', metalink, '-d', dir, '--allow-overwrite=true', '--auto-file-renaming=false',
      '--max-tries=1', '--retry-wait=0', '--connect-timeout=5', '--timeout=10', '--file-allocation=none',
      '--split=2', '--min-split-size=1M', '--max-connection-per-server=1', '--async-dns=false',
      '--summary-interval=0', '--console-log-level=warn', '--enable-color=false',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('renderMetalink with aria2c and real HTTP mirrors', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-metalink-'));
  const root = path.join(tmp, 'repo');
    const content = crypto.randomBytes(256 * 1024);
  const file: MetalinkFile = {
    path: '/release/1.0/demo.iso', size: content.length, modTime: { sec: 1748757600, nsec: 0 },
    sha1: hex('sha1', content), sha256: hex('sha256', content), md5: hex('md5', content),
  };
  let m1: HttpMirror;
  let m2: HttpMirror;
  const gets = (m: HttpMirror) => m.requests.filter((q) => q.method === 'GET' && q.path.endsWith('demo.iso')).length;

  beforeAll(async () => {
    fs.mkdirSync(path.join(root, 'release/1.0'), { recursive: true });
    fs.writeFileSync(path.join(root, file.path), content);
    m1 = await HttpMirror.start({ root, basePath: '/m1/' });
    m2 = await HttpMirror.start({ root, basePath: '/m2/' });
  });
  afterAll(async () => {
    await m1?.stop();
    await m2?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('downloads from both mirrors and verifies the hash (exit 0)', async () => {
    const meta = path.join(tmp, 'ok.meta4');
    fs.writeFileSync(meta, renderMetalink({ file, mirrors: [
      { url: m1.url + 'release/1.0/demo.iso', countryCode: 'GB' },
      { url: m2.url + 'release/1.0/demo.iso', countryCode: 'SE' },
    ] }));
    const dir = path.join(tmp, 'ok');
    const r = await aria2c(meta, dir);
    expect(r.code, r.out).toBe(0);
    expect(hex('sha256', fs.readFileSync(path.join(dir, 'demo.iso')))).toBe(file.sha256);
    expect(gets(m1) + gets(m2)).toBeGreaterThan(0);
  });

  it('moves on to the second mirror when the first lacks the file (exit 0)', async () => {
    m1.setFault('/m1/release/1.0/demo.iso', { kind: 'status', status: 404 });
    const before = { m1: gets(m1), m2: gets(m2) };
    const meta = path.join(tmp, 'second.meta4');
    fs.writeFileSync(meta, renderMetalink({ file, mirrors: [
      { url: m1.url + 'release/1.0/demo.iso', countryCode: 'GB' },
      { url: m2.url + 'release/1.0/demo.iso', countryCode: 'SE' },
    ] }));
    const dir = path.join(tmp, 'second');
    const r = await aria2c(meta, dir);
    m1.clearFaults();
    expect(r.code, r.out).toBe(0);
    expect(hex('sha256', fs.readFileSync(path.join(dir, 'demo.iso')))).toBe(file.sha256);
    expect(gets(m1)).toBeGreaterThan(before.m1);
    expect(gets(m2)).toBeGreaterThan(before.m2);
  });

  it('fails with a hash mismatch (exit 32) when the only mirror serves corrupted bytes', async () => {
    m1.setFault('/m1/release/1.0/demo.iso', { kind: 'wrongBytes' });
    const meta = path.join(tmp, 'bad.meta4');
    fs.writeFileSync(meta, renderMetalink({ file, mirrors: [{ url: m1.url + 'release/1.0/demo.iso', countryCode: 'GB' }] }));
    const r = await aria2c(meta, path.join(tmp, 'bad'));
    expect(r.code, r.out).toBe(32);
    m1.clearFaults();
  });
});
