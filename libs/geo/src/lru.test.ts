import { describe, expect, it } from 'vitest';
import { Lru } from './lru.ts';

describe('Lru', () => {
  it('evicts the least recently used entry and counts hits and misses', () => {
    const lru = new Lru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1); // a is now the youngest
    lru.set('c', 3); // evicts b
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe(1);
    expect(lru.get('c')).toBe(3);
    expect(lru.size).toBe(2);
    expect([lru.hits, lru.misses]).toEqual([3, 1]);
  });

  it('still evicts the least recently used entries of a larger cache', () => {
    const lru = new Lru<number, number>(8);
    for (let i = 0; i < 8; i++) lru.set(i, i);
    // 0..3 are in the old half: hits move them to the young end.
    for (let i = 0; i < 4; i++) expect(lru.get(i)).toBe(i);
    for (let i = 8; i < 12; i++) lru.set(i, i); // evicts 4..7, the least recently used
    for (let i = 4; i < 8; i++) expect(lru.get(i)).toBeUndefined();
    for (const i of [0, 1, 2, 3, 8, 9, 10, 11]) expect(lru.get(i)).toBe(i);
    expect(lru.size).toBe(8);
  });

  it('stores nothing with capacity 0 and refuses a bad capacity', () => {
    const lru = new Lru<string, number>(0);
    lru.set('a', 1);
    expect(lru.get('a')).toBeUndefined();
    expect(() => new Lru(-1)).toThrow(/capacity/);
    expect(() => new Lru(1.5)).toThrow(/capacity/);
  });
});
