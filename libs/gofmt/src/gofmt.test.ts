import { describe, expect, it } from 'vitest';
import {
  formatFloat32, formatGoDuration, formatGoTimeString, formatHttpDate, formatRFC1123, formatRFC3339Nano,
  goJsonString, goTimeSubNs, goTimeTruncate, parseGoBool, parseGoTimeString, parseHttpDate, ZERO_TIME,
} from './index.ts';

describe('Go time strings (FILE_* modTime)', () => {
  it('parses fractions, offsets and zones', () => {
    const t = parseGoTimeString('2019-03-01 12:34:56.123 +0100 CET');
    expect(t).toEqual({ sec: Date.UTC(2019, 2, 1, 11, 34, 56) / 1000, nsec: 123_000_000 });
    expect(parseGoTimeString('2025-06-01 06:00:00.123456789 +0000 UTC').nsec).toBe(123456789);
    expect(parseGoTimeString('2015-04-13 09:50:32.999 +0000 GMT').nsec).toBe(999_000_000);
    expect(parseGoTimeString('2024-01-15 12:00:00 +0000 UTC m=+0.000123')).toEqual({ sec: 1705320000, nsec: 0 });
  });
  it('turns garbage into the zero time', () => {
    for (const bad of ['', 'yesterday', '2019-13-01 00:00:00 +0000 UTC', '2019-02-30 00:00:00 +0000 UTC']) {
      expect(parseGoTimeString(bad)).toEqual(ZERO_TIME);
    }
    expect(parseGoTimeString(null)).toEqual(ZERO_TIME);
  });
  it('writes what Go writes', () => {
    expect(formatGoTimeString({ sec: 1748757600, nsec: 123456789 })).toBe('2025-06-01 06:00:00.123456789 +0000 UTC');
    expect(formatGoTimeString({ sec: 1748757600, nsec: 0 })).toBe('2025-06-01 06:00:00 +0000 UTC');
    expect(formatGoTimeString({ sec: 1748757600, nsec: 120_000_000 }, 3600, 'CET')).toBe('2025-06-01 07:00:00.12 +0100 CET');
    const s = '2019-03-01 12:34:56.123 +0000 UTC';
    expect(formatGoTimeString(parseGoTimeString(s))).toBe(s);
  });
});

describe('RFC 3339 / HTTP dates', () => {
  it('formats like encoding/json', () => {
    expect(formatRFC3339Nano({ sec: 1748757600, nsec: 123456789 })).toBe('2025-06-01T06:00:00.123456789Z');
    expect(formatRFC3339Nano(ZERO_TIME)).toBe('0001-01-01T00:00:00Z');
    expect(formatRFC3339Nano({ sec: 1700000000, nsec: 0 }, 3600)).toBe('2023-11-14T23:13:20+01:00');
  });
  it('formats and parses HTTP dates', () => {
    expect(formatHttpDate({ sec: 1748757600, nsec: 5 })).toBe('Sun, 01 Jun 2025 06:00:00 GMT');
    expect(formatRFC1123({ sec: 1748757600, nsec: 0 })).toBe('Sun, 01 Jun 2025 06:00:00 UTC');
    expect(parseHttpDate('Wed, 04 Jun 2025 02:12:35 GMT')).toEqual({ sec: Date.UTC(2025, 5, 4, 2, 12, 35) / 1000, nsec: 0 });
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT')).toEqual({ sec: 784111777, nsec: 0 });
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994')).toEqual({ sec: 784111777, nsec: 0 });
    expect(parseHttpDate('not a date')).toBeNull();
    expect(parseHttpDate('Wed, 31 Jun 2025 02:12:35 GMT')).toBeNull();
  });
});

describe('Go durations', () => {
  it.each([
    [0n, '0s'], [-10_000_000_000n, '-10s'], [10_000_000_000n, '10s'], [100_000_000_000n, '1m40s'],
    [3_600_000_000_000n, '1h0m0s'], [5_400_000_000_000n, '1h30m0s'], [93_600_000_000_000n, '26h0m0s'],
    [1_500_000_000n, '1.5s'], [250_000_000n, '250ms'], [1_500n, '1.5µs'], [12n, '12ns'],
    [1_000_000_001n, '1.000000001s'],
  ])('%s ns → %s', (ns, text) => expect(formatGoDuration(ns)).toBe(text));
});

describe('float32 shortest', () => {
  it.each([
    [48.85820007324219, '48.8582'], [-20, '-20'], [876.0506, '876.0506'], [1257.7256, '1257.7256'],
    [7649.969, '7649.969'], [-0.0931, '-0.0931'], [62, '62'], [0, '0'], [0.1, '0.1'], [1e-7, '1e-7'],
  ])('%s → %s', (x, s) => expect(formatFloat32(x)).toBe(s));
});

describe('Go JSON strings', () => {
  it('escapes HTML characters and controls like Go', () => {
    expect(goJsonString('plain')).toBe('"plain"');
    expect(goJsonString('<a href="x">&</a>')).toBe('"\\u003ca href=\\"x\\"\\u003e\\u0026\\u003c/a\\u003e"');
    expect(goJsonString('a\nb\u0001\u2028')).toBe('"a\\nb\\u0001\\u2028"');
    expect(goJsonString('Linköping')).toBe('"Linköping"');
    expect(goJsonString('\ud800x')).toBe('"\ufffdx"');
  });
});

describe('Go booleans and truncation', () => {
  it('accepts every spelling strconv.ParseBool accepts as true', () => {
    for (const t of ['1', 't', 'T', 'TRUE', 'true', 'True']) expect(parseGoBool(t)).toBe(true);
    for (const f of ['0', 'f', 'false', '', 'yes', undefined]) expect(parseGoBool(f)).toBe(false);
  });
  it('truncates and subtracts exactly', () => {
    const t = { sec: 1748757600, nsec: 123456789 };
    expect(goTimeTruncate(t, 1_000_000_000)).toEqual({ sec: 1748757600, nsec: 0 });
    expect(goTimeTruncate(t, 1_000_000)).toEqual({ sec: 1748757600, nsec: 123000000 });
    expect(goTimeSubNs(t, { sec: 1748757500, nsec: 123456789 })).toBe(100_000_000_000n);
  });
});
