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

  it('stores nothing with capacity 0 and refuses a bad capacity', () => {
    const lru = new Lru<string, number>(0);
    lru.set('a', 1);
    expect(lru.get('a')).toBeUndefined();
    expect(() => new Lru(-1)).toThrow(/capacity/);
    expect(() => new Lru(1.5)).toThrow(/capacity/);
  });
});
