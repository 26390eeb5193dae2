import { createHash, type Hash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { SourceError, type ByteRange } from '@mirrorball/source';

/** Which whole-file digests to compute (config.Hashes). */
export interface HashSelection {
  sha1: boolean;
  sha256: boolean;
  md5: boolean;
}

export interface Digests {
  sha1: string;
  sha256: string;
  md5: string;
  /** SHA-256 of each requested range, in order. */
  ranges: string[];
}

/**
 * Read a stream once, feeding every enabled whole-file hash and the SHA-256 of each byte range
 * (ranges sorted, inclusive offsets). Memory stays at one chunk whatever the object size.
 * Throws SourceError('truncated') when the stream ends before `expectedSize` bytes.
 */
export async function hashStream(
  stream: Readable,
  sel: HashSelection,
  ranges: readonly ByteRange[],
  expectedSize: number,
  onBytes?: (n: number) => void,
): Promise<Digests> {
  const whole: [keyof HashSelection, Hash][] = [];
  for (const algo of ['sha1', 'sha256', 'md5'] as const) if (sel[algo]) whole.push([algo, createHash(algo)]);
  const rangeHashes = ranges.map(() => createHash('sha256'));
  let pos = 0;
  let first = 0; // ranges before this index are complete
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const end = pos + chunk.length; // exclusive
    for (const [, h] of whole) h.update(chunk);
    for (let i = first; i < ranges.length; i++) {
      const r = ranges[i]!;
      if (r.start >= end) break;
      if (r.end < pos) {
        if (i === first) first++;
        continue;
      }
      rangeHashes[i]!.update(chunk.subarray(Math.max(r.start, pos) - pos, Math.min(r.end + 1, end) - pos));
    }
    pos = end;
    onBytes?.(chunk.length);
  }
  if (pos !== expectedSize)
    throw new SourceError(pos < expectedSize ? 'truncated' : 'other', `read ${pos} bytes, expected ${expectedSize}`);
  const out: Digests = { sha1: '', sha256: '', md5: '', ranges: rangeHashes.map((h) => h.digest('hex')) };
  for (const [algo, h] of whole) out[algo] = h.digest('hex');
  return out;
}
