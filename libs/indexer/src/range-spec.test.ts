import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { SourceError } from '@mirrorball/source';
import { hashStream } from './hasher.ts';
import { computeRangeSpec, formatRanges } from './range-spec.ts';

describe('computeRangeSpec', () => {
  it('takes first, last and evenly spaced ranges of a large file', () => {
    const r = computeRangeSpec(1_000_000, { count: 4, size: 1000 });
    expect(formatRanges(r)).toBe('0-999,333000-333999,666000-666999,999000-999999');
  });
  it('uses the whole file when it is small, nothing when empty', () => {
    expect(computeRangeSpec(4000, { count: 4, size: 1000 })).toEqual([{ start: 0, end: 3999 }]);
    expect(computeRangeSpec(0, { count: 4, size: 1000 })).toEqual([]);
  });
  it('deduplicates and handles count 1 and 2', () => {
    expect(formatRanges(computeRangeSpec(10_000, { count: 1, size: 100 }))).toBe('0-99');
    expect(formatRanges(computeRangeSpec(10_000, { count: 2, size: 100 }))).toBe('0-99,9900-9999');
  });
});

describe('hashStream', () => {
  const data = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 251));
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  const chunked = (b: Buffer, n: number) => Readable.from((function* () { for (let i = 0; i < b.length; i += n) yield b.subarray(i, i + n); })());

  it('computes all enabled hashes and every range in one pass, whatever the chunking', async () => {
    const ranges = computeRangeSpec(data.length, { count: 4, size: 10_000 });
    for (const chunk of [777, 65536, 1_000_000]) {
      const d = await hashStream(chunked(data, chunk), { sha1: true, sha256: true, md5: false }, ranges, data.length);
      expect(d.sha256).toBe(sha(data));
      expect(d.sha1).toBe(createHash('sha1').update(data).digest('hex'));
      expect(d.md5).toBe('');
      expect(d.ranges).toEqual(ranges.map((r) => sha(data.subarray(r.start, r.end + 1))));
    }
  });

  it('rejects a short stream as truncated', async () => {
    const err = await hashStream(chunked(data.subarray(0, 1000), 100), { sha1: false, sha256: true, md5: false }, [], data.length).catch((e) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect(err.kind).toBe('truncated');
  });
});
