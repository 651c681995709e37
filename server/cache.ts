// The one caching policy of the server: a bounded map that forgets the least recently used
// entry when full. Every cache (programmes read, feeds and exports written, Markdown rendered,
// dates formatted) is one of these, keyed by what makes its value exact, so none can go stale.
export class BoundedCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(readonly max: number) {}

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
    this.entries.delete(key);
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, value);
    return value;
  }

  /** The value for the key, computed and kept if absent. */
  getOrCompute(key: K, compute: () => V): V {
    const found = this.get(key);
    return found !== undefined ? found : this.set(key, compute());
  }

  get size(): number {
    return this.entries.size;
  }
}

/** One cache per database (tests open many), made on first use. */
export function perDatabase<D extends object, K, V>(max: number): (db: D) => BoundedCache<K, V> {
  const caches = new WeakMap<D, BoundedCache<K, V>>();
  return (db) => {
    let cache = caches.get(db);
    if (!cache) {
      cache = new BoundedCache<K, V>(max);
      caches.set(db, cache);
    }
    return cache;
  };
}
