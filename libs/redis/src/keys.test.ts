import { describe, expect, it } from 'vitest';
import { CHANNELS, keys } from './keys.ts';

describe('keys', () => {
  it('spells the Mirrorbits keys of §4.2', () => {
    expect(keys.mirror(3)).toBe('MIRROR_3');
    expect(keys.fileInfo(3, '/a b/c')).toBe('FILEINFO_3_/a b/c');
    expect(keys.fileMirrors('/x')).toBe('FILEMIRRORS_/x');
    expect(keys.downloaded('ab', '/x')).toBe('DOWNLOADED_ab_/x');
    expect([keys.statsFile(), keys.statsFile('2026_11_25'), keys.statsMirrorBytes('2026')]).toEqual(['STATS_FILE', 'STATS_FILE_2026_11_25', 'STATS_MIRROR_BYTES_2026']);
    expect(CHANNELS.mirrorFileUpdate).toBe('_mirrorbits_mirror_file_update');
  });

  it('keeps every Mirrorball key under MIRRORBALL_', () => {
    for (const k of [keys.object('/a'), keys.rangeHash('/a'), keys.content(1, '/a'), keys.contentBad(1), keys.scanState(1), keys.scanStaging(1)]) {
      expect(k.startsWith('MIRRORBALL_')).toBe(true);
    }
  });
});
