import { describe, expect, it } from 'vitest';
import { IndexProgress, formatBytes } from './progress.ts';

describe('IndexProgress', () => {
  it('reports objects listed, bytes hashed, rate and ETA', () => {
    const p = new IndexProgress();
    p.listed = 1500;
    expect(p.line(p.startedAt + 1000)).toBe('[source] listing: 1500 objects listed (1500/s)');
    p.startHashing(10, 100 * 1048576);
    p.hashed = 4;
    p.hashedBytes = 25 * 1048576;
    const t0 = Date.now();
    const line = p.line(t0 + 5000);
    expect(line).toMatch(/^\[source\] hashing: 1500 objects listed, 4\/10 hashed, 25\.0 MiB\/100\.0 MiB \(5\.0 MiB\/s\), ETA 1[45]s$/);
  });
  it('formats sizes with binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GiB');
  });
});
