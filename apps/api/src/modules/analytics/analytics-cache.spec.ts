import { cacheKey, LruCache } from './analytics-cache';

describe('cacheKey', () => {
  it('does not depend on property order and leaves out undefined', () => {
    expect(cacheKey({ a: 1, b: { y: 2, x: 1 }, c: undefined })).toBe(cacheKey({ b: { x: 1, y: 2 }, a: 1 }));
    expect(cacheKey({ dataVersion: '1' })).not.toBe(cacheKey({ dataVersion: '2' }));
  });
});

describe('LruCache', () => {
  it('computes once per key, shares concurrent misses and evicts the least recently used', async () => {
    const cache = new LruCache<number>(2);
    let calls = 0;
    const compute = (v: number) => async () => {
      calls++;
      return v;
    };
    const [x, y] = await Promise.all([
      cache.getOrCompute('a', compute(1)),
      cache.getOrCompute('a', compute(9)),
    ]);
    expect([x, y, calls]).toEqual([1, 1, 1]);
    await cache.getOrCompute('b', compute(2));
    await cache.getOrCompute('a', compute(9)); // touch a: b is now the oldest
    await cache.getOrCompute('c', compute(3));
    expect([cache.has('a'), cache.has('b'), cache.has('c'), cache.size]).toEqual([true, false, true, 2]);
  });

  it('does not keep a failed computation', async () => {
    const cache = new LruCache<number>(2);
    await expect(cache.getOrCompute('k', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await Promise.resolve();
    expect(cache.has('k')).toBe(false);
    await expect(cache.getOrCompute('k', async () => 5)).resolves.toBe(5);
  });

  it('reports each look-up as a hit or a miss (a shared pending computation is a hit; an evicted key misses again)', async () => {
    const seen: boolean[] = [];
    const cache = new LruCache<number>(1, (hit) => seen.push(hit));
    await Promise.all([cache.getOrCompute('a', async () => 1), cache.getOrCompute('a', async () => 1)]);
    await cache.getOrCompute('a', async () => 1);
    await cache.getOrCompute('b', async () => 2);
    await cache.getOrCompute('a', async () => 1);
    expect(seen).toEqual([false, true, true, false, false]);
  });
});
