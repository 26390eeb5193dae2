import { describe, expect, it } from 'vitest';
import { compareVersions, releaseFilter } from './rsync-filter.ts';

describe('releaseFilter', () => {
  const paths = ['/release/5.9/a.iso', '/release/5.10/a.iso', '/release/6.0-rc1/a.iso', '/release/6.0/a.iso', '/release/README', '/other/x'];
  it('keeps the newest N releases by version order', () => {
    expect(['6.0', '5.10', '6.0-rc1', '5.9'].sort(compareVersions)).toEqual(['5.9', '5.10', '6.0', '6.0-rc1']);
    const f = releaseFilter(paths, { prefix: '/release/', keep: 2 });
    expect(f.kept).toEqual(['6.0', '6.0-rc1']);
    expect(f.hidden).toEqual(['5.9', '5.10']);
    expect(f.rules).toEqual(['+ /release/6.0-rc1/***', '+ /release/6.0/***', '- /release/*/']);
  });
  it('orders by name on request and escapes wildcard characters', () => {
    expect(releaseFilter(paths, { prefix: 'release', keep: 1, order: 'name' }).kept).toEqual(['6.0-rc1']);
    expect(releaseFilter(['/r/[a]*/x'], { prefix: '/r/', keep: 1 }).rules[0]).toBe('+ /r/\\[a]\\*/***');
    expect(() => releaseFilter(paths, { prefix: '/release/', keep: 0 })).toThrow(/positive integer/);
  });
});
