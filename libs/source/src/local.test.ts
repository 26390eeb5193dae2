import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceError } from './errors.ts';
import { LocalDirectorySource } from './local.ts';
import type { SourceObject } from './source.ts';

let dir: string;

async function listAll(src: LocalDirectorySource): Promise<SourceObject[]> {
  const out: SourceObject[] = [];
  for await (const o of src.list()) out.push(o);
  return out;
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-local-'));
  fs.mkdirSync(path.join(dir, 'b/sub'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'b/sub/z.iso'), 'zz');
  fs.writeFileSync(path.join(dir, 'a.txt'), 'a');
  fs.writeFileSync(path.join(dir, '.hidden'), 'h');
  fs.writeFileSync(path.join(dir, 'B upper'), 'B');
  fs.symlinkSync(path.join(dir, 'a.txt'), path.join(dir, 'link-to-a'));
  fs.symlinkSync(path.join(dir, 'b'), path.join(dir, 'link-to-dir'));
  fs.utimesSync(path.join(dir, 'a.txt'), 1700000000.5, 1700000000.5);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('LocalDirectorySource', () => {
  it('walks recursively in byte order, includes hidden files, skips symlinks and directories', async () => {
    const objs = await listAll(new LocalDirectorySource(dir));
    expect(objs.map((o) => o.path)).toEqual(['/.hidden', '/B upper', '/a.txt', '/b/sub/z.iso']);
    const a = objs.find((o) => o.path === '/a.txt')!;
    expect(a.size).toBe(1);
    expect(a.modTime).toEqual({ sec: 1700000000, nsec: 500_000_000 });
  });

  it('opens a file and a byte range', async () => {
    const src = new LocalDirectorySource(dir);
    const s = await src.open('/b/sub/z.iso', { start: 1, end: 1 });
    let text = '';
    for await (const c of s) text += c;
    expect(text).toBe('z');
    await expect(src.open('/../etc/passwd')).rejects.toBeInstanceOf(SourceError);
  });

  it('fails on a missing repository directory', async () => {
    const err = await listAll(new LocalDirectorySource(path.join(dir, 'missing'))).catch((e) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect(err.kind).toBe('missing-directory');
  });
});
