/**
 * A size-budgeted LRU (contract §3.8 semantics): get refreshes recency, set replaces and adjusts
 * the size, inserting past the budget evicts least-recently-used entries. No TTL: invalidation is
 * driven by pub/sub. A Map's insertion order is the recency order.
 */
export class Lru<K, V> {
  private readonly map = new Map<K, { v: V; size: number }>();
  private used = 0;
  hits = 0;
  misses = 0;

  constructor(readonly budget: number, private readonly sizeOf: (v: V) => number = () => 1) {}

  get(k: K): V | undefined {
    const e = this.map.get(k);
    if (e === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // Refresh recency only when not already the newest (cheap check first for hot keys).
    this.map.delete(k);
    this.map.set(k, e);
    return e.v;
  }

  has(k: K): boolean {
    return this.map.has(k);
  }

  set(k: K, v: V): void {
    const old = this.map.get(k);
    if (old) {
      this.used -= old.size;
      this.map.delete(k);
    }
    const size = this.sizeOf(v);
    this.map.set(k, { v, size });
    this.used += size;
    if (this.used > this.budget) {
      for (const [key, e] of this.map) {
        if (this.used <= this.budget || key === k) break;
        this.map.delete(key);
        this.used -= e.size;
      }
    }
  }

  delete(k: K): boolean {
    const e = this.map.get(k);
    if (!e) return false;
    this.used -= e.size;
    return this.map.delete(k);
  }

  clear(): void {
    this.map.clear();
    this.used = 0;
  }

  get size(): number {
    return this.map.size;
  }

  get usedBudget(): number {
    return this.used;
  }
}
