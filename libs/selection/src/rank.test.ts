import { describe, expect, it } from 'vitest';
import { byComputedScoreLess, byExcludeReasonLess, compareBytes, rankLess, sortByExcludeReason, sortByRank } from './rank.ts';
import { fallbackMirrors, fallbackURL } from './fallback.ts';
import { mkClient, mkMirror, mkSelected, seeded } from './testkit.ts';
import type { Mirror } from '@mirrorball/model';
import type { SelectedMirror } from './types.ts';

const FR = mkClient({ countryCode: 'FR', continentCode: 'EU', asNum: 4444, latitude: 48.8567, longitude: 2.3508 });

function mirrors(rows: [Partial<Mirror>, number][]): SelectedMirror[] {
  return rows.map(([f, d], i) => mkSelected(mkMirror(i + 1, f), d));
}
const ids = (l: SelectedMirror[]) => l.map((e) => e.mirror.id);

describe('sortByRank (TestByRank_Less, contract §3.6)', () => {
  it('ASN first', () => {
    const l = mirrors([[{ asnum: 6666 }, 0], [{ asnum: 5555 }, 0], [{ asnum: 4444 }, 0], [{ asnum: 6666 }, 0]]);
    sortByRank(l, FR);
    expect(ids(l)).toEqual([3, 1, 2, 4]);
  });
  it('then distance', () => {
    const l = mirrors([[{}, 1000], [{}, 999], [{}, 1000], [{}, 888]]);
    sortByRank(l, FR);
    expect(ids(l)).toEqual([4, 2, 1, 3]);
  });
  it('country in any position', () => {
    const l = mirrors([[{ countryCodes: 'IT UK' }, 0], [{ countryCodes: 'IT UK' }, 0], [{ countryCodes: 'IT FR' }, 0], [{ countryCodes: 'FR UK' }, 0]]);
    sortByRank(l, FR);
    expect(ids(l)).toEqual([3, 4, 1, 2]);
  });
  it('continent', () => {
    const l = mirrors([[{ continentCode: 'NA' }, 0], [{ continentCode: 'NA' }, 0], [{ continentCode: 'EU' }, 0], [{ continentCode: 'NA' }, 0]]);
    sortByRank(l, mkClient({ ...FR, countryCode: 'XX' }));
    expect(ids(l)).toEqual([3, 1, 2, 4]);
  });
  it('mixed criteria', () => {
    const l = mirrors([
      [{ countryCodes: 'IT FR', continentCode: 'EU' }, 100],
      [{ countryCodes: 'FR CH', continentCode: 'EU' }, 200],
      [{ countryCodes: 'UK DE', asnum: 4444 }, 1000],
    ]);
    sortByRank(l, FR);
    expect(ids(l)).toEqual([3, 1, 2]);
  });
  it('rankLess answers both ways', () => {
    const [a, b] = mirrors([[{ asnum: 4444 }, 500], [{ countryCodes: 'FR' }, 1]]);
    expect(rankLess(a!, b!, FR)).toBe(true);
    expect(rankLess(b!, a!, FR)).toBe(false);
    expect(rankLess(a!, a!, FR)).toBe(false);
  });
  it('skips the country and continent tests when the client lacks them', () => {
    const l = mirrors([[{ countryCodes: '', continentCode: '' }, 300], [{ countryCodes: 'FR', continentCode: 'EU' }, 200], [{}, 100]]);
    // Valid (has a country) but no continent: only the country test and distance apply.
    sortByRank(l, mkClient({ countryCode: 'DE', asNum: 1 }));
    expect(ids(l)).toEqual([3, 2, 1]);
  });
  it('shuffles 50 identical mirrors for an un-geolocated client, differently each run', () => {
    const make = () => Array.from({ length: 50 }, (_, i) => mkSelected(mkMirror(i + 1), 0));
    const a = make();
    const b = make();
    sortByRank(a, mkClient());
    sortByRank(b, mkClient());
    const moved = (l: SelectedMirror[]) => l.filter((e, i) => e.mirror.id !== i + 1).length;
    expect(moved(a)).toBeGreaterThanOrEqual(10);
    expect(moved(b)).toBeGreaterThanOrEqual(10);
    expect(ids(a)).not.toEqual(ids(b));
    expect([...ids(a)].sort((x, y) => x - y)).toEqual(ids(make()));
  });
  it('uses the injected random source', () => {
    const a = Array.from({ length: 20 }, (_, i) => mkSelected(mkMirror(i + 1), 0));
    const b = Array.from({ length: 20 }, (_, i) => mkSelected(mkMirror(i + 1), 0));
    sortByRank(a, mkClient(), seeded(4));
    sortByRank(b, mkClient(), seeded(4));
    expect(ids(a)).toEqual(ids(b));
  });
});

describe('other comparators', () => {
  it('TestByComputedScore_Less', () => {
    const l = [50, 0, 2500, 21].map((cs, i) => ({ ...mkSelected(mkMirror(i + 1), 0), computedScore: cs }));
    const sorted = [...l].sort((a, b) => (byComputedScoreLess(a, b) ? -1 : byComputedScoreLess(b, a) ? 1 : 0));
    expect(ids(sorted)).toEqual([3, 1, 4, 2]);
  });
  it('TestByExcludeReason_Less: plain byte order', () => {
    const l = ['x42', 'x43', 'Test one', 'Test two', 'test three'].map((r, i) => ({ ...mkSelected(mkMirror(i + 1), 0), excludeReason: r }));
    sortByExcludeReason(l);
    expect(ids(l)).toEqual([3, 4, 5, 1, 2]);
    expect(byExcludeReasonLess(l[0]!, l[1]!)).toBe(true);
    expect(byExcludeReasonLess(l[1]!, l[0]!)).toBe(false);
  });
  it('compares strings by UTF-8 bytes, not UTF-16 units', () => {
    // U+FF21 (EF BC A1) sorts before U+1F600 (F0 9F 98 80) in UTF-8, after it in UTF-16.
    expect(compareBytes('\uFF21', '\u{1F600}')).toBeLessThan(0);
    expect(compareBytes('ab', 'abc')).toBeLessThan(0);
    expect(compareBytes('b', 'abc')).toBeGreaterThan(0);
    expect(compareBytes('é', 'é')).toBe(0);
  });
});

describe('fallbackMirrors (contract §2.10)', () => {
  const cfg = [
    { url: 'https://fb0.example/', countryCode: 'us', continentCode: 'na' },
    { url: 'fb1.example/', countryCode: 'fr', continentCode: 'eu' },
    { url: 'http://fb2.example/', countryCode: 'de', continentCode: 'eu' },
  ];
  it('builds pseudo-mirrors in rank order', () => {
    const l = fallbackMirrors(cfg, FR, 'undefined');
    expect(l.map((e) => [e.mirror.id, e.mirror.name, e.absoluteURL, e.mirror.countryCodes, e.mirror.continentCode])).toEqual([
      [-1, 'fallback1', 'https://fb1.example/', 'FR', 'EU'],
      [-2, 'fallback2', 'http://fb2.example/', 'DE', 'EU'],
      [0, 'fallback0', 'https://fb0.example/', 'US', 'NA'],
    ]);
    expect(Object.is(l[2]!.mirror.id, 0)).toBe(true);
    expect(l.every((e) => e.distance === 0 && e.excludeReason === '' && e.mirror.httpURL !== '')).toBe(true);
  });
  it('keeps config order when the client matches none', () => {
    const l = fallbackMirrors(cfg, mkClient({ countryCode: 'JP', continentCode: 'AS', asNum: 7 }), 'undefined');
    expect(l.map((e) => e.mirror.id)).toEqual([0, -1, -2]);
  });
  it('prefixes scheme-less URLs by the secure option', () => {
    expect(fallbackURL('fb.example/', 'withoutTLS')).toBe('http://fb.example/');
    expect(fallbackURL('fb.example/', 'withTLS')).toBe('https://fb.example/');
    expect(fallbackURL('fb.example/', 'undefined')).toBe('https://fb.example/');
    expect(fallbackURL('http://fb.example/', 'withTLS')).toBe('http://fb.example/');
    expect(fallbackURL('https://fb.example/', 'withoutTLS')).toBe('https://fb.example/');
  });
  it('shuffles for an un-geolocated client with the injected random source', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ url: `fb${i}.example/`, countryCode: 'us', continentCode: 'na' }));
    const a = fallbackMirrors(many, mkClient(), 'undefined', seeded(1)).map((e) => e.mirror.name);
    const b = fallbackMirrors(many, mkClient(), 'undefined', seeded(2)).map((e) => e.mirror.name);
    expect(a).not.toEqual(b);
    expect(new Set(a).size).toBe(30);
    expect(fallbackMirrors([], FR, 'undefined')).toEqual([]);
  });
});
