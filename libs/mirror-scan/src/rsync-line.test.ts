import { describe, expect, it } from 'vitest';
import { formatGoTimeString } from '@mirrorball/gofmt';
import { decodeRsyncName, parseRsyncLine } from './rsync-line.ts';

function file(line: string) {
  const r = parseRsyncLine(line);
  if (r.kind !== 'file') throw new Error(`expected a file, got ${JSON.stringify(r)}`);
  return { path: r.file.path, size: r.file.size, time: formatGoTimeString(r.file.modTime) };
}

describe('parseRsyncLine', () => {
  it('parses the contract example', () => {
    expect(file('-rw-r--r--      1,234,567 2025/06/01 06:00:00 vlc/3.0/x.exe')).toEqual({
      path: '/vlc/3.0/x.exe', size: 1234567, time: '2025-06-01 06:00:00 +0000 UTC',
    });
  });

  it('accepts sizes without separators or with dots', () => {
    expect(file('-rw-r--r-- 1234567 2025/06/01 06:00:00 a').size).toBe(1234567);
    expect(file('-rw-r--r--      1.234.567 2025/06/01 06:00:00 a').size).toBe(1234567);
  });

  it('keeps spaces in names and uses the last match (greedy)', () => {
    expect(file('-rw-r--r--  20 2024/01/15 12:00:00 dir with space/f 1 2020/01/01 00:00:00 x').path)
      .toBe('/x');
    expect(file('-rw-r--r--  20 2024/01/15 12:00:00 dir with space/file name+plus.txt').path)
      .toBe('/dir with space/file name+plus.txt');
  });

  it('skips directories and symlinks, flags garbage', () => {
    expect(parseRsyncLine('drwxr-xr-x          4,096 2026/11/25 21:55:07 .')).toEqual({ kind: 'skip' });
    expect(parseRsyncLine('lrwxrwxrwx             10 2026/11/25 21:55:07 link')).toEqual({ kind: 'skip' });
    expect(parseRsyncLine('').kind).toBe('skip');
    expect(parseRsyncLine('rsync: something odd').kind).toBe('bad');
    expect(parseRsyncLine('-rw-r--r-- 12 2025/13/01 06:00:00 a').kind).toBe('bad');
    expect(parseRsyncLine('-rw-r--r-- 12 2025/02/30 06:00:00 a').kind).toBe('bad');
    expect(parseRsyncLine('-rw-r--r-- 99999999999999999999 2025/02/03 06:00:00 a').kind).toBe('bad');
  });

  it('decodes \\#ooo escapes to UTF-8, rejects invalid UTF-8', () => {
    expect(decodeRsyncName('caf\\#303\\#251.txt')).toBe('caf\u00e9.txt');
    expect(decodeRsyncName('a\\#012b')).toBe('a\nb');
    expect(decodeRsyncName('back\\slash')).toBe('back\\slash');
    expect(decodeRsyncName('bad\\#377.bin')).toBeNull();
    expect(file('-rw-r--r-- 5 2025/06/01 06:00:00 caf\\#303\\#251/x').path).toBe('/caf\u00e9/x');
  });
});
