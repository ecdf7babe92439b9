import * as fc from 'fast-check';
import { correlationInference, pearson, pearsonFromSums, pointBiserial, rank, spearman } from './correlation';
import { mean, sampleSd } from './descriptive';

/*
 * Hand-worked example used throughout: x = 1 2 3 4 5, y = 2 4 5 4 5.
 *   mean x = 3, mean y = 4; dx = -2 -1 0 1 2; dy = -2 0 1 0 1
 *   Sxy = 4 + 0 + 0 + 0 + 2 = 6; Sxx = 10; Syy = 4 + 0 + 1 + 0 + 1 = 6
 *   r = 6 / sqrt(60) = 0.7745967
 *   sample SD x = sqrt(10 / 4) = 1.5811388; sample SD y = sqrt(6 / 4) = 1.2247449
 * Ranks of y (ties averaged): 2 -> 1; the two 4s share ranks 2,3 -> 2.5; the two 5s share 4,5 -> 4.5.
 *   ranks y = 1 2.5 4.5 2.5 4.5, mean 3, deviations -2 -0.5 1.5 -0.5 1.5
 *   S = 4 + 0.5 + 0 - 0.5 + 3 = 7; S(rank y) = 4 + .25 + 2.25 + .25 + 2.25 = 9
 *   rho = 7 / sqrt(10 * 9) = 0.7378648
 */
const X = [1, 2, 3, 4, 5];
const Y = [2, 4, 5, 4, 5];

describe('descriptive statistics (hand-worked example above)', () => {
  it('computes the mean and the n-1 sample SD', () => {
    expect(mean(X)).toBe(3);
    expect(mean(Y)).toBe(4);
    expect(sampleSd(X)).toBeCloseTo(Math.sqrt(2.5), 12);
    expect(sampleSd(Y)).toBeCloseTo(Math.sqrt(1.5), 12);
  });

  it('returns NaN where the statistic is undefined', () => {
    expect(mean([])).toBeNaN();
    expect(sampleSd([7])).toBeNaN();
  });
});

describe('rank', () => {
  it('averages the ranks of ties (worked example above)', () => {
    expect(rank(Y)).toEqual([1, 2.5, 4.5, 2.5, 4.5]);
    expect(rank([30, 10, 20])).toEqual([3, 1, 2]);
  });
});

describe('pearson and spearman', () => {
  it('matches the hand-worked r = 6/sqrt(60) and rho = 7/sqrt(90)', () => {
    expect(pearson(X, Y)).toBeCloseTo(0.7745967, 7);
    expect(spearman(X, Y)).toBeCloseTo(0.7378648, 7);
  });

  it('is null when n < 3 or a variable is constant', () => {
    expect(pearson([1, 2], [3, 4])).toBeNull();
    expect(pearson([1, 2, 3], [5, 5, 5])).toBeNull();
    expect(pearson([0.1, 0.1, 0.1, 0.1], [1, 2, 3, 4])).toBeNull();
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNull();
  });

  it('rejects samples of different lengths', () => {
    expect(() => pearson([1, 2, 3], [1, 2])).toThrow(RangeError);
  });

  it('spearman is 1 for any strictly increasing relation', () => {
    expect(spearman([1, 2, 3, 4], [1, 8, 27, 64])).toBe(1);
  });
});

describe('pearsonFromSums', () => {
  it('matches the worked example from raw sums', () => {
    // Σx = 15, Σy = 20, Σx² = 55, Σy² = 4 + 16 + 25 + 16 + 25 = 86, Σxy = 2 + 8 + 15 + 16 + 25 = 66
    // r = (5*66 - 15*20) / sqrt((5*55 - 225)(5*86 - 400)) = 30 / sqrt(50 * 30) = 30 / sqrt(1500) = 0.7745967
    expect(pearsonFromSums({ n: 5, sx: 15, sy: 20, sxx: 55, syy: 86, sxy: 66 })).toBeCloseTo(0.7745967, 7);
  });

  it('is null when degenerate', () => {
    expect(pearsonFromSums({ n: 2, sx: 3, sy: 3, sxx: 5, syy: 5, sxy: 5 })).toBeNull();
    // y constant at 2: Σy = 6, Σy² = 12 -> 3*12 - 36 = 0
    expect(pearsonFromSums({ n: 3, sx: 6, sy: 6, sxx: 14, syy: 12, sxy: 12 })).toBeNull();
  });
});

describe('correlationInference', () => {
  it('matches the hand-worked Fisher interval and t-test p for r = .7745967, n = 5', () => {
    /*
     * Fisher z = atanh(r) = 0.5 ln(1.7745967 / 0.2254033) = 1.0317185; SE = 1/sqrt(5 - 3) = 0.7071068
     * z ± 1.959964 * 0.7071068 = 1.0317185 ± 1.3859038 -> (-0.3541853, 2.4176224)
     * tanh -> (-0.3400820, 0.9842358)
     * t = r sqrt(3 / (1 - 0.6)) = sqrt(4.5) = 2.1213203 on 3 df.
     * Closed form of the t CDF for 3 df (e.g. Johnson, Kotz & Balakrishnan 1995, ch. 28):
     *   F(t) = 1/2 + (1/pi) [a / (1 + a²) + atan(a)], a = t / sqrt(3) = sqrt(1.5) = 1.2247449
     *   a / (1 + a²) = 0.4898979, atan(a) = 0.8860771 -> F = 0.5 + 0.4379865 = 0.9379865
     *   p = 2 (1 - F) = 0.1240271
     * Table check: t(3) critical values are 1.638 (two-sided .20) and 2.353 (two-sided .10), so .10 < p < .20.
     */
    const result = correlationInference(6 / Math.sqrt(60), 5);
    expect(result.ciLow).toBeCloseTo(-0.340082, 6);
    expect(result.ciHigh).toBeCloseTo(0.984236, 6);
    expect(result.pValue).toBeCloseTo(0.1240271, 6);
  });

  it('gives p = .05 at the tabled critical t (10 df, two-sided .05: t = 2.228)', () => {
    // Standard t table (e.g. Fisher & Yates 1963, Table III): t(10, .05 two-sided) = 2.228.
    // r for that t with n = 12: r = t / sqrt(df + t²) = 2.228 / sqrt(10 + 4.963984) = 0.5759637
    const r = 2.228 / Math.sqrt(10 + 2.228 * 2.228);
    expect(correlationInference(r, 12).pValue).toBeCloseTo(0.05, 4);
  });

  it('is null where undefined and p = 0 for a perfect correlation', () => {
    expect(correlationInference(0.5, 3)).toEqual({ ciLow: null, ciHigh: null, pValue: expect.any(Number) });
    expect(correlationInference(0.5, 2)).toEqual({ ciLow: null, ciHigh: null, pValue: null });
    const perfect = correlationInference(1, 10);
    expect(perfect.pValue).toBe(0);
    expect(perfect.ciLow).toBe(1);
    expect(perfect.ciHigh).toBe(1);
    expect(correlationInference(-1, 10).pValue).toBe(0);
  });

  it('gives p = 1 and a symmetric interval for r = 0', () => {
    const result = correlationInference(0, 30);
    expect(result.pValue).toBeCloseTo(1, 12);
    expect(result.ciLow).toBeCloseTo(-(result.ciHigh as number), 12);
  });
});

describe('pointBiserial', () => {
  it('equals Pearson r with the outcome coded 0/1', () => {
    // scores 1 2 3 4, outcomes F F T T: mean score 2.5, mean outcome .5
    // Sxy = (-1.5)(-.5) + (-.5)(-.5) + (.5)(.5) + (1.5)(.5) = 2; Sxx = 5; Syy = 1; r = 2 / sqrt(5) = 0.8944272
    expect(pointBiserial([1, 2, 3, 4], [false, false, true, true])).toBeCloseTo(0.8944272, 7);
    expect(pointBiserial([1, 2, 3], [true, true, true])).toBeNull();
  });
});

const sampleArb = fc
  .integer({ min: 3, max: 40 })
  .chain((n) =>
    fc.tuple(
      fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: n, maxLength: n }),
      fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: n, maxLength: n }),
    ),
  );

describe('correlation properties', () => {
  it('r and rho lie in [-1, 1]', () => {
    fc.assert(
      fc.property(sampleArb, ([xs, ys]) => {
        for (const r of [pearson(xs, ys), spearman(xs, ys)]) {
          if (r !== null && (r < -1 || r > 1)) return false;
        }
        return true;
      }),
    );
  });

  it('r is unchanged by positive linear transforms of either variable', () => {
    fc.assert(
      fc.property(
        sampleArb,
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        fc.double({ min: -100, max: 100, noNaN: true }),
        ([xs, ys], scale, shift) => {
          const r = pearson(xs, ys);
          // Well-conditioned samples only: near-constant data make r itself ill-conditioned.
          if (r === null || sampleSd(xs) < 1e-3 || sampleSd(ys) < 1e-3) return true;
          const r2 = pearson(
            xs.map((x) => scale * x + shift),
            ys,
          );
          const r3 = pearson(
            xs,
            ys.map((y) => scale * y + shift),
          );
          return r2 !== null && r3 !== null && Math.abs(r - r2) < 1e-9 && Math.abs(r - r3) < 1e-9;
        },
      ),
    );
  });

  it('pearsonFromSums agrees with pearson on integer data', () => {
    const intSample = fc
      .integer({ min: 3, max: 30 })
      .chain((n) =>
        fc.tuple(
          fc.array(fc.integer({ min: 1, max: 5 }), { minLength: n, maxLength: n }),
          fc.array(fc.integer({ min: 1, max: 5 }), { minLength: n, maxLength: n }),
        ),
      );
    fc.assert(
      fc.property(intSample, ([xs, ys]) => {
        const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
        const fromSums = pearsonFromSums({
          n: xs.length,
          sx: sum(xs),
          sy: sum(ys),
          sxx: sum(xs.map((x) => x * x)),
          syy: sum(ys.map((y) => y * y)),
          sxy: sum(xs.map((x, i) => x * ys[i])),
        });
        const direct = pearson(xs, ys);
        if (direct === null || fromSums === null) return direct === fromSums;
        return Math.abs(direct - fromSums) < 1e-9;
      }),
    );
  });

  it('the Fisher interval contains r and p lies in [0, 1]', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -0.999, max: 0.999, noNaN: true }),
        fc.integer({ min: 4, max: 5000 }),
        (r, n) => {
          const { ciLow, ciHigh, pValue } = correlationInference(r, n);
          return (
            ciLow !== null &&
            ciHigh !== null &&
            pValue !== null &&
            ciLow <= r + 1e-12 &&
            r <= ciHigh + 1e-12 &&
            pValue >= 0 &&
            pValue <= 1
          );
        },
      ),
    );
  });
});
