import { describe, expect, it } from 'vitest';
import { scoreMirrors, sortByComputedScore, SMALLEST_FLOAT32 } from './score.ts';
import { distributeWeights } from './order.ts';
import { filterMirrors } from './filter.ts';
import { CFG, CAPTURE_CLIENTS as C, CAPTURE_MIRRORS as M, mkCandidate, mkClient, mkMirror, mkSelected, mkFile } from './testkit.ts';
import type { GeoRecord, Mirror } from '@mirrorball/model';
import type { SelectedMirror } from './types.ts';

function score(list: SelectedMirror[], client: GeoRecord, wdr = 1.5) {
  const ds = list.map((e) => e.distance);
  return scoreMirrors(list, client, Math.min(...ds), Math.max(...ds), wdr);
}

const FR = mkClient({ countryCode: 'FR', continentCode: 'EU', asNum: 3215 });

describe('scoreMirrors: worked examples (contract §3.7)', () => {
  it('first example: A, D, B, C', () => {
    const list = [
      mkSelected(mkMirror(2, { name: 'B', countryCodes: 'DE' }), 500),
      mkSelected(mkMirror(3, { name: 'C', countryCodes: 'US' }), 6000),
      mkSelected(mkMirror(1, { name: 'A', countryCodes: 'FR', asnum: 3215 }), 10),
      mkSelected(mkMirror(4, { name: 'D', countryCodes: 'BE FR' }), 260),
    ];
    const r = score(list, FR);
    expect(r).toEqual({ base: 6000, selected: 2, total: 8981 + 5731 });
    expect(list.map((e) => [e.mirror.name, e.computedScore])).toEqual([['A', 14981], ['D', 11731], ['B', 5501], ['C', 1]]);
    const mirrorlist = distributeWeights(list, r.base, r.selected, r.total, 'mirrorlist', Math.random);
    expect(mirrorlist.map((e) => e.weight.toFixed(2))).toEqual(['61.05', '38.95', '0.00', '0.00']);
    expect(mirrorlist[0]!.weight).toBe(Math.fround((8981 * 100) / 14712));
  });

  it('second example: admin score +50 %, far primary-country mirror clamped to 1', () => {
    const list = [
      mkSelected(mkMirror(1, { name: 'A', countryCodes: 'FR' }), 100),
      mkSelected(mkMirror(2, { name: 'B', countryCodes: 'FR', score: 50 }), 140),
      mkSelected(mkMirror(3, { name: 'C', countryCodes: 'FR' }), 400),
    ];
    const r = score(list, FR);
    expect(list.map((e) => [e.mirror.name, e.computedScore])).toEqual([['B', 782], ['A', 601], ['C', 1]]);
    expect(r).toEqual({ base: 400, selected: 2, total: 382 + 201 });
  });

  it('third example: a single mirror at 100.7 km scores 1 and is not eligible', () => {
    const list = [mkSelected(mkMirror(1, { countryCodes: 'DE' }), 100.7)];
    expect(score(list, FR)).toEqual({ base: 100, selected: 0, total: 0 });
    expect(list[0]!.computedScore).toBe(1);
  });

  it('admin score −100 or less forces the minimum 1; +100 doubles', () => {
    const list = [
      mkSelected(mkMirror(1, { countryCodes: 'FR', score: -100 }), 10),
      mkSelected(mkMirror(2, { countryCodes: 'DE', score: 100 }), 500),
      mkSelected(mkMirror(3, { countryCodes: 'DE', score: -250 }), 20),
    ];
    score(list, FR);
    const byId = new Map(list.map((e) => [e.mirror.id, e.computedScore]));
    expect(byId.get(1)).toBe(1);
    expect(byId.get(2)).toBe(2 * (500 - 500 + 1) + 0); // 1 + 1 + 0.5 → 2
    expect(byId.get(3)).toBe(1);
  });

  it('treats a closest distance of 0 as the smallest float32', () => {
    // With a threshold of 0 × WDR the 1e-45 km mirror would miss the bonus; the replacement lets both in.
    const list = [mkSelected(mkMirror(1, { countryCodes: 'DE' }), 0), mkSelected(mkMirror(2, { countryCodes: 'DE' }), 1e-45)];
    scoreMirrors(list, FR, 0, 1000, 1.5);
    expect(SMALLEST_FLOAT32).toBe(Math.fround(1e-45));
    expect(list.map((e) => e.computedScore)).toEqual([1001 + 500, 1001 + 500]);
  });

  it('gives the additional-country bonus base − closest', () => {
    const list = [mkSelected(mkMirror(1, { countryCodes: 'DE' }), 100), mkSelected(mkMirror(2, { countryCodes: 'BE FR' }), 1000)];
    score(list, FR);
    expect(list[1]!.mirror.id).toBe(2);
    // base 1000: M2 = 1000 − 1000 + 1 + int(1000 − 100) = 901; M1 = 901 + int(900 / 2) = 1351.
    expect(list.map((e) => e.computedScore)).toEqual([1351, 901]);
  });
});

describe('scoreMirrors: values computed by real Mirrorbits (captures 06, 06b, 09b)', () => {
  const all = [M.gb, M.us, M.se];
  function run(client: GeoRecord, mirrors: Mirror[] = all) {
    const f = filterMirrors(mkFile(), mirrors.map((m) => mkCandidate(m)), client, 'undefined', CFG);
    const r = scoreMirrors(f.accepted, client, f.closest, f.farthest, CFG.weightDistributionRange);
    return { ...r, cs: f.accepted.map((e) => `${e.mirror.name.slice(0, 2)} ${Math.round(e.distance)} ${e.computedScore}`) };
  }
  it.each([
    ['2001:218::1 JP', C.tokyo, ['gb 9559 4780', 'us 7714 3046', 'se 8344 1824']],
    ['175.16.199.1 CN', C.changchun, ['gb 8182 4092', 'se 6939 1865', 'us 7913 444']],
    ['67.43.156.1 BT', C.bhutan, ['se 6564 6768', 'gb 7690 5079', 'us 11076 1']],
    ['216.160.83.56 US', C.milton, ['us 0 21264', 'se 7650 84', 'gb 7732 1']],
    ['81.2.69.142 GB', C.london, ['gb 0 19331', 'se 1258 6476', 'us 7732 1']],
    ['89.160.20.112 SE', C.linkoping, ['se 0 19123', 'gb 1258 6393', 'us 7650 1']],
    ['2a02:cf40::1 NO', C.norway, ['se 505 9966', 'gb 1315 9409', 'us 7148 1']],
  ])('%s', (_n, client, expected) => {
    expect(run(client).cs).toEqual(expected);
  });

  it('NO client, ISO only on gb and us (capture 06): gb 12325, us 1', () => {
    const r = run(C.norway, [M.gb, M.us]);
    expect(r.cs).toEqual(['gb 1315 12325', 'us 7148 1']);
    expect(r.selected).toBe(1);
  });
});

describe('sortByComputedScore (TestByComputedScore_Less)', () => {
  it('orders [50, 0, 2500, 21] as 3, 1, 4, 2 and keeps ties stable', () => {
    const list = [50, 0, 2500, 21].map((cs, i) => ({ ...mkSelected(mkMirror(i + 1), 0), computedScore: cs }));
    sortByComputedScore(list);
    expect(list.map((e) => e.mirror.id)).toEqual([3, 1, 4, 2]);
    const ties = [5, 7, 5, 7, 5].map((cs, i) => ({ ...mkSelected(mkMirror(i + 1), 0), computedScore: cs }));
    sortByComputedScore(ties);
    expect(ties.map((e) => e.mirror.id)).toEqual([2, 4, 1, 3, 5]);
  });
  it('is stable for long lists too', () => {
    const list = Array.from({ length: 60 }, (_, i) => ({ ...mkSelected(mkMirror(i), 0), computedScore: i % 3 }));
    sortByComputedScore(list);
    expect(list.slice(0, 4).map((e) => e.mirror.id)).toEqual([2, 5, 8, 11]);
  });
});
