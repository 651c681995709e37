// The one caching policy of the server: a bounded map that forgets the least recently used
// entry when full. Every cache (programmes read, responses rendered, Markdown rendered, dates
// formatted) is one of these, keyed by what makes its value exact, so none can go stale.
// A cache may also be bounded by weight (bytes of rendered responses), as well as by count.
export interface CacheLimits<V> {
  /** The most the entries may weigh together, by `weigh`. */
  maxWeight: number;
  weigh: (value: V) => number;
}

export class BoundedCache<K, V> {
  private readonly entries = new Map<K, V>();
  private weight = 0;

  constructor(readonly max: number, private readonly limits?: CacheLimits<V>) {}

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      // Re-inserted: a Map iterates in insertion order, so the first entry is the least recently used.
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): V {
    this.delete(key);
    const weight = this.limits?.weigh(value) ?? 0;
    // A value heavier than the whole budget is handed back without being kept.
    if (this.limits && weight > this.limits.maxWeight) return value;
    while (this.entries.size > 0 && (this.entries.size >= this.max || (this.limits && this.weight + weight > this.limits.maxWeight))) {
      this.delete(this.entries.keys().next().value!);
    }
    this.entries.set(key, value);
    this.weight += weight;
    return value;
  }

  delete(key: K): void {
    const value = this.entries.get(key);
    if (value === undefined) return;
    this.entries.delete(key);
    if (this.limits) this.weight -= this.limits.weigh(value);
  }

  /** The value for the key, computed and kept if absent. */
  getOrCompute(key: K, compute: () => V): V {
    const found = this.get(key);
    return found !== undefined ? found : this.set(key, compute());
  }

  clear(): void {
    this.entries.clear();
    this.weight = 0;
  }

  get size(): number {
    return this.entries.size;
  }

  /** What the entries weigh together (0 without a weight limit). */
  get totalWeight(): number {
    return this.weight;
  }
}

/** One value per database (tests open many), made on first use. */
export function perDatabaseValue<D extends object, V>(make: (db: D) => V): (db: D) => V {
  const values = new WeakMap<D, V>();
  return (db) => {
    let value = values.get(db);
    if (value === undefined) {
      value = make(db);
      values.set(db, value);
    }
    return value;
  };
}

/** One cache per database, made on first use. */
export function perDatabase<D extends object, K, V>(max: number, limits?: CacheLimits<V>): (db: D) => BoundedCache<K, V> {
  return perDatabaseValue<D, BoundedCache<K, V>>(() => new BoundedCache<K, V>(max, limits));
}
