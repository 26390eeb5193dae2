import { describe, expect, it } from 'vitest';
import { IpCache } from './ip-cache.ts';
import { dottedQuad } from './ip.ts';

const ip = (s: string) => dottedQuad(s);

describe('IpCache', () => {
  it('returns what was stored for an IPv4 address, and counts hits and misses', () => {
    const c = new IpCache<string>(8);
    expect(c.getV4(ip('192.0.2.1'))).toBeUndefined();
    c.setV4(ip('192.0.2.1'), 'a');
    c.setV4(ip('255.255.255.255'), 'b'); // the top bit set: stored as a negative int32
    expect(c.getV4(ip('192.0.2.1'))).toBe('a');
    expect(c.getV4(ip('255.255.255.255'))).toBe('b');
    expect(c.getV4(ip('192.0.2.2'))).toBeUndefined();
    expect({ hits: c.hits, misses: c.misses, size: c.size }).toEqual({ hits: 2, misses: 2, size: 2 });
  });

  it('overwrites an existing key in place', () => {
    const c = new IpCache<string>(8);
    c.setV4(1, 'a');
    c.setV4(1, 'b');
    expect(c.getV4(1)).toBe('b');
    expect(c.size).toBe(1);
  });

  it('never holds more than its slots: a full set replaces one of its entries', () => {
    const c = new IpCache<number>(2); // 4 slots, one set: every key collides
    for (const k of [10, 20, 30, 40]) c.setV4(k, k);
    for (const k of [10, 20, 30, 40]) expect(c.getV4(k)).toBe(k);
    c.setV4(50, 50);
    expect(c.getV4(50)).toBe(50);
    expect([10, 20, 30, 40].filter((k) => c.getV4(k) === k)).toHaveLength(3);
    expect(c.size).toBe(4);
  });

  it('clients cycling over more addresses than a set holds still mostly hit (random, not LRU, replacement)', () => {
    const c = new IpCache<number>(2);
    let hits = 0;
    for (let round = 0; round < 200; round++) {
      for (const k of [1, 2, 3, 4, 5]) {
        if (c.getV4(k) === k) hits++;
        else c.setV4(k, k);
      }
    }
    expect(hits / 1000).toBeGreaterThan(0.4); // an LRU set would hit 0 times
  });

  it('keeps a working set of its capacity (addresses of one network spread over the sets)', () => {
    const c = new IpCache<number>(10_000);
    const base = ip('198.51.0.0');
    for (let i = 0; i < 10_000; i++) c.setV4(base + i * 3, i);
    let found = 0;
    for (let i = 0; i < 10_000; i++) if (c.getV4(base + i * 3) === i) found++;
    expect(found).toBeGreaterThan(9_750); // ~1.5 % fall out of overflowing sets at full load
    expect(c.size).toBeLessThanOrEqual(c.capacity);
  });

  it('keeps IPv6 (string) keys apart, in a small LRU', () => {
    const c = new IpCache<string>(64);
    c.set('2001:db8::1', 'six');
    expect(c.get('2001:db8::1')).toBe('six');
    expect(c.get('2001:db8::2')).toBeUndefined();
  });

  it('clear() forgets everything; capacity 0 caches nothing', () => {
    const c = new IpCache<string>(8);
    c.setV4(1, 'a');
    c.set('::1', 'b');
    c.clear();
    expect(c.getV4(1)).toBeUndefined();
    expect(c.get('::1')).toBeUndefined();
    expect(c.size).toBe(0);
    const off = new IpCache<string>(0);
    off.setV4(1, 'a');
    off.set('::1', 'b');
    expect(off.getV4(1)).toBeUndefined();
    expect(off.get('::1')).toBeUndefined();
  });

  it('refuses a bad capacity', () => {
    expect(() => new IpCache(-1)).toThrow(RangeError);
    expect(() => new IpCache(1.5)).toThrow(RangeError);
  });
});

describe('dottedQuad', () => {
  it('parses canonical dotted quads only', () => {
    expect(dottedQuad('192.0.2.1')).toBe(0xc0000201);
    expect(dottedQuad('255.255.255.255')).toBe(0xffffffff);
    expect(dottedQuad('0.0.0.0')).toBe(0);
    for (const bad of ['192.0.2.01', '192.0.2', '192.0.2.1.5', '256.0.0.1', ' 192.0.2.1', '192.0.2.1 ', '::1', '1..2.3', 'a.b.c.d', '']) {
      expect(dottedQuad(bad), bad).toBe(-1);
    }
  });
});
