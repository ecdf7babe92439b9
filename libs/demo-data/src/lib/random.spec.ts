import { cumulativeWeights, Rng } from './random';

describe('Rng', () => {
  it('repeats the same sequence for the same seed and differs for another seed', () => {
    const draw = (seed: number) => {
      const rng = new Rng(seed);
      return Array.from({ length: 50 }, () => rng.nextUint32());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw(2 ** 40)).not.toEqual(draw(2 ** 40 + 2 ** 32));
  });

  it('draws uniforms on [0, 1) and integers within inclusive bounds', () => {
    const rng = new Rng(1);
    let min = 1;
    let max = 0;
    const ints = new Set<number>();
    for (let i = 0; i < 100_000; i++) {
      const u = rng.next();
      min = Math.min(min, u);
      max = Math.max(max, u);
      ints.add(rng.int(3, 6));
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect([...ints].sort()).toEqual([3, 4, 5, 6]);
  });

  it('draws normals with the requested mean and SD', () => {
    const rng = new Rng(7);
    const n = 200_000;
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      const x = rng.normal(2, 3);
      sum += x;
      sumSq += x * x;
    }
    const mean = sum / n;
    const sd = Math.sqrt(sumSq / n - mean * mean);
    // Standard errors: 3 / sqrt(n) = .0067 for the mean, about .005 for the SD.
    expect(mean).toBeCloseTo(2, 1);
    expect(sd).toBeCloseTo(3, 1);
  });

  it('picks indices in proportion to their weights', () => {
    const rng = new Rng(3);
    const cumulative = cumulativeWeights([1, 0, 3]);
    const counts = [0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[rng.pickIndex(cumulative)] += 1;
    expect(counts[1]).toBe(0);
    expect(counts[0] / 40_000).toBeCloseTo(0.25, 1);
    expect(counts[2] / 40_000).toBeCloseTo(0.75, 1);
  });

  it('rejects a non-finite seed', () => {
    expect(() => new Rng(Number.NaN)).toThrow(RangeError);
  });
});
