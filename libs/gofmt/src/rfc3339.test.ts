import { describe, expect, it } from 'vitest';
import { parseRFC3339 } from './rfc3339.ts';
import { formatRFC3339Nano } from './time.ts';

describe('parseRFC3339', () => {
  it('parses nanoseconds and offsets, and round-trips with formatRFC3339Nano', () => {
    const a = parseRFC3339('2026-11-25T20:26:48.928722035Z')!;
    expect(a).toEqual({ time: { sec: Date.UTC(2026, 10, 25, 20, 26, 48) / 1000, nsec: 928722035 }, offsetSec: 0, utc: true });
    const b = parseRFC3339('2025-01-02T03:04:05.000006+01:00')!;
    expect(b.offsetSec).toBe(3600);
    expect(b.time).toEqual({ sec: Date.UTC(2025, 0, 2, 2, 4, 5) / 1000, nsec: 6000 });
    expect(formatRFC3339Nano(b.time, b.offsetSec)).toBe('2025-01-02T03:04:05.000006+01:00');
  });

  it('rejects invalid text', () => {
    for (const s of ['', '2026-13-01T00:00:00Z', '2026-02-30T00:00:00Z', '2026-01-01 00:00:00Z', '2026-01-01T00:00:00']) {
      expect(parseRFC3339(s)).toBeNull();
    }
  });
});
