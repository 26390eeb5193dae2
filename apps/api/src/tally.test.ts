import { describe, expect, it } from 'vitest';
import { countRedirect, countRequest, foldTally, newTally, requestLabels, typeIndex } from './tally.ts';

describe('tally', () => {
  it('keeps every count across full batches; foldTally makes the Maps complete', () => {
    const t = newTally();
    for (let i = 0; i < 2500; i++) countRequest(t, typeIndex('redirect'), 302, i % 2 ? 'GET' : 'HEAD');
    for (let i = 0; i < 2100; i++) countRedirect(t, i % 3 ? 'FR' : '', 7, 'mirror-7');
    foldTally(t);
    const byLabels = [...t.requests].map(([k, n]) => [requestLabels(k), n]);
    expect(byLabels).toEqual(expect.arrayContaining([
      [{ type: 'redirect', status: '302', method: 'GET' }, 1250],
      [{ type: 'redirect', status: '302', method: 'HEAD' }, 1250],
    ]));
    const redirects = [...t.redirects].map(([k, n]) => [t.redirectLabels.get(k), n]);
    expect(redirects).toEqual(expect.arrayContaining([[['FR', 'mirror-7'], 1400], [['unknown', 'mirror-7'], 700]]));
    foldTally(t); // idempotent once folded
    expect([...t.redirects.values()].reduce((a, b) => a + b, 0)).toBe(2100);
  });

  it('a renamed mirror (same id) is counted under its new name from then on', () => {
    const t = newTally();
    countRedirect(t, 'SE', 3, 'old');
    countRedirect(t, 'SE', 3, 'new');
    foldTally(t);
    const entries = [...t.redirects];
    expect(entries).toHaveLength(1);
    const [key, n] = entries[0]!;
    expect(n).toBe(2);
    expect(t.redirectLabels.get(key)).toEqual(['SE', 'new']);
  });
});
