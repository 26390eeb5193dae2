import type { ByteRange } from '@mirrorball/source';

/** How many byte ranges of each file are hashed for content checks, and how long each is. */
export interface RangeHashConfig {
  count: number;
  size: number;
}

export const DEFAULT_RANGE_HASHES: RangeHashConfig = { count: 4, size: 64 * 1024 };

/** `<count>x<size>`: stored with the digests so a config change is detected. */
export function rangeSpecName(cfg: RangeHashConfig): string {
  return `${cfg.count}x${cfg.size}`;
}

/**
 * The byte ranges (inclusive, as HTTP Range) whose SHA-256 the index stores for a file of
 * `size` bytes: the first and last `cfg.size` bytes and `count − 2` evenly spaced ranges in
 * between. A file no longer than count × size is one range, the whole file (reading it costs no
 * more than the ranges would); an empty file has none. Shared with the worker's content checks.
 */
export function computeRangeSpec(size: number, cfg: RangeHashConfig = DEFAULT_RANGE_HASHES): ByteRange[] {
  const count = Math.max(1, Math.floor(cfg.count));
  const len = Math.max(1, Math.floor(cfg.size));
  if (size <= 0) return [];
  if (size <= count * len) return [{ start: 0, end: size - 1 }];
  const out: ByteRange[] = [];
  const span = size - len;
  for (let i = 0; i < count; i++) {
    const start = count === 1 ? 0 : Math.round((i * span) / (count - 1));
    if (out.length && out[out.length - 1]!.start === start) continue;
    out.push({ start, end: start + len - 1 });
  }
  return out;
}

export function formatRanges(ranges: readonly ByteRange[]): string {
  return ranges.map((r) => `${r.start}-${r.end}`).join(',');
}
