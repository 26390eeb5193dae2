/**
 * The IP → record cache in front of the databases.
 *
 * IPv4 addresses (nearly every client) go into a 4-way set-associative table of typed arrays:
 * a lookup hashes the address and compares at most four integers on one cache line, and a hit
 * moves nothing. The Map-based LRU it replaces re-inserted the entry on every hit; with a few
 * thousand clients that churned the Map's table and its string keys through the CPU caches
 * (~5 µs per request in bench/redirect, most of it slowing the code after it).
 *
 * The table has twice `capacity` slots, so sets rarely overflow; a full set replaces a random
 * way. (LRU within a set would miss every time when clients cycle over one more address than
 * the set holds; a 2-way LRU table of `capacity` slots missed 11 % of 5 000 cycling clients.)
 *
 * Other keys (IPv6) go to a small Map LRU: rare in front of a redirector, and keyed by string.
 */
import { Lru } from './lru.ts';

const WAYS = 4;

export class IpCache<V> {
  readonly #keys: Int32Array;
  readonly #values: (V | undefined)[];
  readonly #setMask: number;
  readonly #other: Lru<string, V>;
  readonly #slots: number;
  #size = 0;
  #seed = 0x2545f491;
  hits = 0;
  misses = 0;

  /** Room for about `capacity` IPv4 entries (0 disables caching). */
  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError(`cache capacity must be a non-negative integer, got ${capacity}`);
    const slots = capacity === 0 ? 0 : Math.max(WAYS, 2 ** Math.ceil(Math.log2(capacity * 2)));
    this.#slots = slots;
    this.#keys = new Int32Array(slots);
    this.#values = new Array<V | undefined>(slots).fill(undefined);
    this.#setMask = slots / WAYS - 1;
    this.#other = new Lru(capacity === 0 ? 0 : Math.max(16, capacity >> 4));
  }

  /** IPv4 slots plus IPv6 entries. */
  get capacity(): number {
    return this.#slots + this.#other.capacity;
  }

  get size(): number {
    return this.#size + this.#other.size;
  }

  /** First slot of the address's set. Fibonacci hashing: one network's addresses spread out. */
  #base(v4: number): number {
    return ((Math.imul(v4 | 0, 0x9e3779b1) >>> 12) & this.#setMask) * WAYS;
  }

  /** `v4` = the address as uint32. */
  getV4(v4: number): V | undefined {
    if (this.#slots === 0) return undefined;
    const k = v4 | 0;
    const base = this.#base(v4);
    for (let i = base; i < base + WAYS; i++) {
      if (this.#keys[i] === k) {
        const v = this.#values[i];
        if (v !== undefined) {
          this.hits++;
          return v;
        }
      }
    }
    this.misses++;
    return undefined;
  }

  setV4(v4: number, value: V): void {
    if (this.#slots === 0) return;
    const k = v4 | 0;
    const base = this.#base(v4);
    let slot = -1;
    for (let i = base; i < base + WAYS; i++) {
      if (this.#values[i] === undefined) {
        if (slot === -1) slot = i;
      } else if (this.#keys[i] === k) {
        slot = i;
        break;
      }
    }
    if (slot === -1) {
      // xorshift32: a random way of the full set.
      let x = this.#seed;
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      this.#seed = x;
      slot = base + ((x >>> 0) % WAYS);
    } else if (this.#values[slot] === undefined) {
      this.#size++;
    }
    this.#keys[slot] = k;
    this.#values[slot] = value;
  }

  /** Any other key (an IPv6 address as text). */
  get(key: string): V | undefined {
    const v = this.#other.get(key);
    if (v === undefined) this.misses++;
    else this.hits++;
    return v;
  }

  set(key: string, value: V): void {
    this.#other.set(key, value);
  }

  clear(): void {
    this.#values.fill(undefined);
    this.#size = 0;
    this.#other.clear();
  }
}
