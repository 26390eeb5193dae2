import { describe, expect, it } from 'vitest';
import { formatFloat32 } from '@mirrorball/gofmt';
import { haversineKm } from './haversine.ts';
import { CAPTURE_CLIENTS as C, CAPTURE_MIRRORS as M } from './testkit.ts';

const d = (a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }) =>
  haversineKm(a.latitude, a.longitude, b.latitude, b.longitude);

describe('haversineKm (contract §3.1)', () => {
  it('matches the contract test values', () => {
    const paris = [48.8567, 2.3508] as const;
    expect(Math.trunc(haversineKm(...paris, 52.5167, 13.3833))).toBe(876);
    expect(haversineKm(...paris, 52.5167, 13.3833)).toBeCloseTo(876.05, 2);
    expect(Math.trunc(haversineKm(...paris, 51.5072, 0.1275))).toBe(334);
    expect(haversineKm(...paris, 51.5072, 0.1275)).toBeCloseTo(334.5, 1);
    expect(Math.trunc(haversineKm(...paris, 40.7127, 74.0059))).toBe(5514);
    expect(haversineKm(...paris, 40.7127, 74.0059)).toBeCloseTo(5514.9, 1);
    expect(haversineKm(...paris, ...paris)).toBe(0);
  });

  it('returns float32 values', () => {
    const v = haversineKm(48.8567, 2.3508, 52.5167, 13.3833);
    expect(Math.fround(v)).toBe(v);
  });

  it('reproduces the Distance values printed by real Mirrorbits (captures 06, 06b, 14)', () => {
    expect(formatFloat32(d(C.linkoping, M.gb))).toBe('1257.7256');
    expect(formatFloat32(d(C.linkoping, M.us))).toBe('7649.969');
    expect(formatFloat32(d(C.milton, M.gb))).toBe('7732.329');
    expect(formatFloat32(d(C.norway, M.gb))).toBe('1314.8627');
    expect(formatFloat32(d(C.norway, M.us))).toBe('7148.4717');
    expect(formatFloat32(d(C.norway, M.se))).toBe('504.64957');
    expect(d(C.linkoping, M.se)).toBe(0);
  });

  it('reproduces the rounded distances of capture 09b', () => {
    const r = (x: number) => Math.round(x);
    expect([r(d(C.tokyo, M.gb)), r(d(C.tokyo, M.us)), r(d(C.tokyo, M.se))]).toEqual([9559, 7714, 8344]);
    expect([r(d(C.changchun, M.gb)), r(d(C.changchun, M.se)), r(d(C.changchun, M.us))]).toEqual([8182, 6939, 7913]);
    expect([r(d(C.bhutan, M.se)), r(d(C.bhutan, M.gb)), r(d(C.bhutan, M.us))]).toEqual([6564, 7690, 11076]);
  });
});
