/**
 * A small in-process LRU of computed reports. Keys carry everything a report depends on (organization, data
 * version, settings, rubric, endpoint, normalized filters, judgement day), so nothing is ever invalidated by hand:
 * an ingestion bumps the data version and later requests simply miss. Concurrent misses of one key share a
 * single computation.
 */
export class LruCache<V> {
  private readonly entries = new Map<string, Promise<V>>();

  /** `observe` hears every look-up, hit or miss (the metrics' cache hit rate). */
  constructor(
    private readonly capacity: number,
    private readonly observe: (hit: boolean) => void = () => undefined,
  ) {
    if (!(capacity >= 1)) throw new RangeError('capacity must be at least 1');
  }

  get size(): number {
    return this.entries.size;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** The cached value, computing it on a miss; a failed computation is not cached. */
  getOrCompute(key: string, compute: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    this.observe(hit !== undefined);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const pending = compute();
    this.entries.set(key, pending);
    pending.catch(() => {
      if (this.entries.get(key) === pending) this.entries.delete(key);
    });
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return pending;
  }

  clear(): void {
    this.entries.clear();
  }
}

/** A stable key: objects are serialized with sorted keys, so property order never splits the cache. */
export function cacheKey(parts: Record<string, unknown>): string {
  return JSON.stringify(sortKeys(parts));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
