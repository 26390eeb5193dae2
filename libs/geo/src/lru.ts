/**
 * A small bounded LRU map. A Map keeps insertion order, so re-inserting on a hit moves the
 * entry to the young end and the oldest entry is always the first key.
 */
export class Lru<K, V> {
  readonly #map = new Map<K, V>();
  readonly #capacity: number;
  hits = 0;
  misses = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) {
      throw new RangeError(`LRU capacity must be a non-negative integer, got ${capacity}`);
    }
    this.#capacity = capacity;
  }

  get capacity(): number {
    return this.#capacity;
  }

  get size(): number {
    return this.#map.size;
  }

  get(key: K): V | undefined {
    const value = this.#map.get(key);
    if (value === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.#map.delete(key);
    this.#map.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    if (this.#capacity === 0) return;
    this.#map.delete(key);
    if (this.#map.size >= this.#capacity) {
      const oldest = this.#map.keys().next();
      if (!oldest.done) this.#map.delete(oldest.value);
    }
    this.#map.set(key, value);
  }

  clear(): void {
    this.#map.clear();
  }
}
