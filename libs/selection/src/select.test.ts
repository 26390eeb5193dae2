import { describe, expect, it } from 'vitest';
import { formatFloat32, ZERO_TIME } from '@mirrorball/gofmt';
import { ERR_ZERO_MODTIME, selectMirrors } from './select.ts';
import { CFG, CAPTURE_CLIENTS as C, CAPTURE_MIRRORS as M, mkCandidate, mkClient, mkFile, mkMirror, seeded } from './testkit.ts';
import type { GeoRecord, Mirror } from '@mirrorball/model';
import type { Candidate, SelectionMode } from './types.ts';

// Placed on the equator so that mirrors east of it sit at (almost exactly) the wanted distances.
const FR = mkClient({ countryCode: 'FR', continentCode: 'EU', asNum: 3215, latitude: 0, longitude: 0 });
const NO_CLIENT = mkClient();

function sel(candidates: Candidate[], client: GeoRecord, mode: SelectionMode = 'redirect', random = Math.random) {
  return selectMirrors({ file: mkFile(), candidates, client, secure: 'undefined', cfg: CFG, mode, random });
}

/** A mirror about `km` kilometres due east of the FR client (1° of longitude on the equator ≈ 111.195 km). */
function northOf(id: number, km: number, fields: Partial<Mirror> = {}) {
  return mkCandidate(mkMirror(id, { latitude: 0, longitude: km / 111.19492664455873, ...fields }));
}

describe('selectMirrors: captures', () => {
  const cands = () => [mkCandidate(M.gb), mkCandidate(M.us), mkCandidate(M.se)];

  it('SE client (capture 06): se, gb, us untruncated, only se eligible', () => {
    const r = sel(cands(), C.linkoping);
    expect(r.list.map((e) => [e.mirror.name, formatFloat32(e.distance), e.computedScore, e.weight])).toEqual([
      ['se-mirror', '0', 19123, 100], ['gb-mirror', '1257.7256', 6393, 0], ['us-mirror', '7649.969', 1, 0],
    ]);
    expect(r.list[0]!.absoluteURL).toBe('http://127.0.0.1/m3/');
  });

  it('NO client, deb on all three (capture 06b): two eligible, us-mirror dropped by truncation', () => {
    const firsts = new Map<string, number>();
    const random = seeded(9);
    for (let i = 0; i < 4000; i++) {
      const r = sel(cands(), C.norway, 'redirect', random);
      expect(r.list.map((e) => e.mirror.name).sort()).toEqual(['gb-mirror', 'se-mirror']);
      firsts.set(r.list[0]!.mirror.name, (firsts.get(r.list[0]!.mirror.name) ?? 0) + 1);
    }
    // Weights 2818 : 2261 → se first 55.5 % (capture 09 saw 217/400).
    expect(firsts.get('se-mirror')! / 4000).toBeGreaterThan(0.525);
    expect(firsts.get('se-mirror')! / 4000).toBeLessThan(0.585);
    const r = sel(cands(), C.norway, 'redirect', seeded(1));
    const w = Object.fromEntries(r.list.map((e) => [e.mirror.name, formatFloat32(e.weight)]));
    expect(w).toEqual({ 'se-mirror': formatFloat32((2818 * 100) / 5079), 'gb-mirror': formatFloat32((2261 * 100) / 5079) });
  });

  it('US client with us-mirror down and se-mirror resized (capture 14)', () => {
    const us = { ...M.us, httpUp: false, httpDownReason: 'File not found /dists/stable/main/binary-amd64/Packages.gz (error 404)' };
    const r = sel([mkCandidate(M.gb), mkCandidate(us), mkCandidate(M.se, { size: 98 })], C.milton);
    expect(r.list.map((e) => [e.mirror.name, formatFloat32(e.distance), e.computedScore])).toEqual([['gb-mirror', '7732.329', 1]]);
    expect(r.excluded.map((e) => [e.mirror.name, formatFloat32(e.distance), e.computedScore, e.excludeReason])).toEqual([
      ['us-mirror', '0', 0, 'File not found /dists/stable/main/binary-amd64/Packages.gz (error 404) / Not HTTPS'],
      ['se-mirror', '7649.969', 0, 'File size mismatch'],
    ]);
  });

  it.each([
    ['81.2.69.142', C.london, 'gb > se > us'],
    ['2.125.160.216', C.boxford, 'gb > se > us'],
    ['216.160.83.56', C.milton, 'us > se > gb'],
    ['89.160.20.112', C.linkoping, 'se > gb > us'],
    ['175.16.199.1', C.changchun, 'gb > se > us'],
    ['67.43.156.1', C.bhutan, 'se > gb > us'],
  ])('%s always gets %s (capture 09)', (_ip, client, order) => {
    const random = seeded(3);
    for (let i = 0; i < 50; i++) {
      expect(sel(cands(), client, 'redirect', random).list.map((e) => e.mirror.name.slice(0, 2)).join(' > ')).toBe(order);
    }
  });

  it('un-geolocated client (capture 09, 127.0.0.1): every order appears, scores and distances are 0', () => {
    const random = seeded(5);
    const firsts = new Map<string, number>();
    const orders = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      const r = sel(cands(), NO_CLIENT, 'redirect', random);
      expect(r.list.every((e) => e.distance === 0 && e.computedScore === 0 && e.weight === 0)).toBe(true);
      orders.add(r.list.map((e) => e.mirror.id).join(''));
      firsts.set(r.list[0]!.mirror.name, (firsts.get(r.list[0]!.mirror.name) ?? 0) + 1);
    }
    expect(orders.size).toBe(6);
    for (const n of firsts.values()) expect(Math.abs(n / 3000 - 1 / 3)).toBeLessThan(0.03);
  });
});

describe('selectMirrors: weighted order and truncation (contract §3.5, §3.7)', () => {
  // §3.7 first example, placed at the right distances from the FR client.
  const example = () => [
    northOf(2, 500, { name: 'B', countryCodes: 'DE' }),
    northOf(1, 10, { name: 'A', countryCodes: 'FR', asnum: 3215 }),
    northOf(3, 6000, { name: 'C', countryCodes: 'US' }),
    northOf(4, 260, { name: 'D', countryCodes: 'BE FR' }),
  ];

  it('draws A first 61 % and D 39 % of the time, with one alternative each', () => {
    const random = seeded(42);
    let a = 0;
    for (let i = 0; i < 10_000; i++) {
      const r = sel(example(), FR, 'redirect', random);
      expect(r.list).toHaveLength(2);
      const names = r.list.map((e) => e.mirror.name).join('');
      expect(['AD', 'DA']).toContain(names);
      if (names === 'AD') a++;
    }
    expect(a / 10_000).toBeGreaterThan(0.58);
    expect(a / 10_000).toBeLessThan(0.64);
  });

  it('keeps CS order with percentages in mirrorlist mode and returns everything', () => {
    // Exact scores of this example are checked in score.test.ts; float32 distances shift them by a unit or two here.
    const r = sel(example(), FR, 'mirrorlist', () => 0);
    expect(r.list.map((e) => e.mirror.name)).toEqual(['A', 'D', 'B', 'C']);
    expect(r.list[0]!.weight).toBeCloseTo(61.05, 1);
    expect(r.list[1]!.weight).toBeCloseTo(38.95, 1);
    expect(r.list[2]!.weight + r.list[3]!.weight).toBe(0);
    expect(Math.fround(r.list[0]!.weight)).toBe(r.list[0]!.weight);
  });

  it('returns min(5, selected) mirrors when ≥ 2 are eligible', () => {
    // Seven French mirrors within the proximity range are all eligible; one far mirror is not.
    const many = [...Array.from({ length: 7 }, (_, i) => northOf(i + 1, 10 + i, { countryCodes: 'FR' })), northOf(9, 3000)];
    const r = sel(many, FR, 'redirect', seeded(7));
    expect(r.list).toHaveLength(5);
    expect(r.list.some((e) => e.mirror.id === 9)).toBe(false);
    expect(new Set(r.list.map((e) => e.mirror.id)).size).toBe(5);
    expect(sel(many, FR, 'mirrorlist').list).toHaveLength(8);
    const three = [northOf(1, 10, { countryCodes: 'FR' }), northOf(2, 12, { countryCodes: 'FR' }), northOf(3, 14, { countryCodes: 'FR' }), northOf(4, 3000), northOf(5, 2000)];
    const r3 = sel(three, FR, 'redirect', seeded(8));
    expect(r3.list.map((e) => e.mirror.id).sort()).toEqual([1, 2, 3]);
    const weights = r3.list.reduce((s, e) => s + e.weight, 0);
    expect(weights).toBeCloseTo(100, 3);
  });

  it('returns the whole list in CS order when exactly one mirror is eligible', () => {
    const r = sel([northOf(1, 1000), northOf(2, 10, { countryCodes: 'FR' }), northOf(3, 3000), northOf(4, 2000), northOf(5, 2500), northOf(6, 2600)], FR);
    expect(r.list.map((e) => e.mirror.id)).toEqual([2, 1, 4, 5, 6, 3]);
    expect(r.list.map((e) => e.weight)).toEqual([100, 0, 0, 0, 0, 0]);
  });

  it('returns the whole list in CS order when no mirror is eligible', () => {
    // base 2000: CS 1501, 751 and 1, none above base.
    const r = sel([northOf(1, 1000), northOf(2, 2000), northOf(3, 1500)], mkClient({ ...FR, countryCode: 'JP' }));
    expect(r.list.map((e) => e.mirror.id)).toEqual([1, 3, 2]);
    expect(r.list.every((e) => e.weight === 0)).toBe(true);
    // §3.7 third example: one mirror at 100.7 km → CS 1, no weight.
    const single = sel([northOf(1, 100.7)], mkClient({ ...FR, asNum: 1 }));
    expect(single.list.map((e) => [e.computedScore, e.weight])).toEqual([[1, 0]]);
  });

  it('shuffles for an un-geolocated client: ≤ 5 for redirect, all for mirrorlist', () => {
    const eight = Array.from({ length: 8 }, (_, i) => northOf(i + 1, 100 * (i + 1)));
    const r = sel(eight, NO_CLIENT, 'redirect', seeded(11));
    expect(r.list).toHaveLength(5);
    const all = sel(eight, NO_CLIENT, 'mirrorlist', seeded(11));
    expect(all.list.map((e) => e.mirror.id).sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(all.list.map((e) => e.mirror.id)).not.toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(all.closest).toBe(0);
    // A single up mirror is still selected (as in Mirrorbits' http_test.go without GeoIP).
    expect(sel([northOf(1, 5)], NO_CLIENT).list).toHaveLength(1);
  });
});

describe('selectMirrors: other cases', () => {
  it('answers an error and no mirrors for a file with a zero mtime', () => {
    const r = selectMirrors({ file: { ...mkFile(), modTime: ZERO_TIME }, candidates: [northOf(1, 5)], client: FR, secure: 'undefined', cfg: CFG, mode: 'redirect' });
    expect(r).toMatchObject({ list: [], excluded: [], error: ERR_ZERO_MODTIME });
  });

  it('sorts excluded mirrors by reason for the mirrorlist only (byte order)', () => {
    const cands = [
      northOf(1, 5, { enabled: false }),
      northOf(2, 5, { httpUp: false, httpsUp: false }),
      mkCandidate(mkMirror(3), { size: 1 }),
      northOf(4, 5, { continentOnly: true, continentCode: 'NA' }),
      northOf(5, 5, { asOnly: true }),
      northOf(6, 5),
    ];
    expect(sel(cands, FR, 'redirect').excluded.map((e) => e.mirror.id)).toEqual([1, 2, 3, 4, 5]);
    const ml = sel(cands, FR, 'mirrorlist');
    expect(ml.excluded.map((e) => e.excludeReason)).toEqual(['AS only', 'Continent only', 'Disabled', 'Down / Not HTTPS', 'File size mismatch']);
    expect(ml.list.map((e) => e.mirror.id)).toEqual([6]);
  });

  it('answers an empty list when every candidate is excluded', () => {
    const r = sel([northOf(1, 5, { enabled: false })], FR);
    expect(r.list).toEqual([]);
    expect(r.excluded).toHaveLength(1);
    expect(sel([], FR).list).toEqual([]);
  });

  it('does not modify the candidates', () => {
    const cands = [northOf(1, 5), northOf(2, 50)];
    const snapshot = JSON.stringify(cands);
    sel(cands, FR);
    sel(cands, NO_CLIENT);
    expect(JSON.stringify(cands)).toBe(snapshot);
  });
});

describe('selectMirrors: misbehaving random source', () => {
  it.each([[() => NaN], [() => 1], [() => -0.5]])('never loses or duplicates mirrors (%#)', (random) => {
    const cands = Array.from({ length: 6 }, (_, i) => northOf(i + 1, 10 + i, { countryCodes: 'FR' }));
    cands.push(northOf(7, 900));
    for (const client of [FR, NO_CLIENT]) {
      const r = sel(cands, client, 'mirrorlist', random);
      expect(r.list.map((e) => e.mirror.id).sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
      const redirect = sel(cands, client, 'redirect', random);
      const size = sel(cands, client, 'redirect', seeded(1)).list.length;
      expect(size).toBeGreaterThan(1);
      expect(redirect.list).toHaveLength(size);
      expect(new Set(redirect.list.map((e) => e.mirror.id)).size).toBe(size);
    }
  });
});
