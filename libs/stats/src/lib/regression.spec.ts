import * as fc from 'fast-check';
import { pearson } from './correlation';
import {
  crossValidatedR,
  foldAssignment,
  olsRegression,
  recommendedWeights,
  relativeWeights,
} from './regression';

/*
 * Hand-worked 2² factorial: x1 = -1 -1 1 1, x2 = -1 1 -1 1, y = 10 + 2 x1 + 3 x2 + e with e = x1·x2 = 1 -1 -1 1
 * (orthogonal to 1, x1, x2), so y = 6 10 8 16. Because the design columns are orthogonal with X'X = 4I:
 *   b = (10, 2, 3); SSE = Σe² = 4 on n - k - 1 = 1 df, MSE = 4; SE(b_j) = sqrt(4/4) = 1; t = 10, 2, 3
 *   p (1 df, closed form 1 - (2/π) atan|t|): t = 2 → 0.295167; t = 3 → 0.204833
 *   t.975(1) = 12.706 (t table) → b1 CI = 2 ± 12.7062 = (-10.7062, 14.7062)
 *   SST = Σ(y - 10)² = 16 + 0 + 4 + 36 = 56; SSR = 2²·4 + 3²·4 = 52; R² = 52/56 = 0.928571; R = 0.963624
 *   adjusted R² = 1 - (4/56)(3/1) = 0.785714
 *   overall F = (52/2)/(4/1) = 6.5 on (2, 1) df; for df1 = 2, P(F > f) = (1 + 2f/df2)^(-df2/2) = 14^(-1/2) = 0.267261
 *   ΔR²(x1) = 16/56 = 0.285714, F = 0.285714 / (4/56) = 4 = t²; ΔR²(x2) = 36/56 = 0.642857, F = 9
 *   β1 = b1 SD(x1)/SD(y) = 2 sqrt(4/3) / sqrt(56/3) = 4/sqrt(56) = 0.534522; β2 = 6/sqrt(56) = 0.801784
 *   β1 CI = (-10.7062, 14.7062) x 2/sqrt(56) = (-2.861390, 3.930434)
 *   Orthogonal predictors: relative weights = r²(x_j, y) = ΔR² = 16/56 and 36/56, summing to R².
 */
const X = [
  [-1, -1],
  [-1, 1],
  [1, -1],
  [1, 1],
];
const Y = [6, 10, 8, 16];

describe('olsRegression on a hand-worked orthogonal design', () => {
  const result = olsRegression(X, Y);

  it('estimates coefficients, standard errors, tests and intervals', () => {
    expect(result).not.toBeNull();
    expect(result?.intercept.estimate).toBeCloseTo(10, 12);
    expect(result?.intercept.se).toBeCloseTo(1, 12);
    const [x1, x2] = result?.predictors ?? [];
    expect(x1.b.estimate).toBeCloseTo(2, 12);
    expect(x1.b.se).toBeCloseTo(1, 12);
    expect(x1.b.t).toBeCloseTo(2, 12);
    expect(x1.b.pValue).toBeCloseTo(0.295167, 6);
    expect(x1.b.ciLow).toBeCloseTo(-10.7062, 4);
    expect(x1.b.ciHigh).toBeCloseTo(14.7062, 4);
    expect(x2.b.estimate).toBeCloseTo(3, 12);
    expect(x2.b.pValue).toBeCloseTo(0.204833, 6);
  });

  it('reports R, R², adjusted R² and the overall F test', () => {
    expect(result?.r2).toBeCloseTo(52 / 56, 12);
    expect(result?.r).toBeCloseTo(Math.sqrt(52 / 56), 12);
    expect(result?.adjustedR2).toBeCloseTo(0.785714, 6);
    expect(result?.f).toBeCloseTo(6.5, 12);
    expect(result?.fPValue).toBeCloseTo(0.267261, 6);
    expect(result?.residualDf).toBe(1);
    expect(result?.sigma).toBeCloseTo(2, 12);
  });

  it('reports standardized betas with intervals, ΔR² with F tests, and relative weights', () => {
    const [x1, x2] = result?.predictors ?? [];
    expect(x1.beta.estimate).toBeCloseTo(0.534522, 6);
    expect(x2.beta.estimate).toBeCloseTo(0.801784, 6);
    expect(x1.beta.ciLow).toBeCloseTo(-2.86139, 4);
    expect(x1.beta.ciHigh).toBeCloseTo(3.930434, 4);
    expect(x1.deltaR2).toBeCloseTo(16 / 56, 12);
    expect(x1.deltaR2F).toBeCloseTo(4, 10);
    expect(x1.deltaR2P).toBeCloseTo(0.295167, 6);
    expect(x2.deltaR2).toBeCloseTo(36 / 56, 12);
    expect(x2.deltaR2F).toBeCloseTo(9, 10);
    expect(x1.relativeWeight).toBeCloseTo(16 / 56, 10);
    expect(x2.relativeWeight).toBeCloseTo(36 / 56, 10);
    expect(x1.relativeWeightShare).toBeCloseTo(16 / 52, 10);
  });

  it('is null when the model cannot be estimated', () => {
    // n - k - 1 = 0
    expect(olsRegression([[1], [2]], [1, 2])).toBeNull();
    // collinear predictors: x2 = 2 x1
    expect(
      olsRegression(
        [
          [1, 2],
          [2, 4],
          [3, 6],
          [4, 8],
        ],
        [1, 3, 2, 4],
      ),
    ).toBeNull();
    // constant outcome
    expect(olsRegression([[1], [2], [3]], [5, 5, 5])).toBeNull();
  });
});

describe('relativeWeights (Johnson 2000)', () => {
  it('matches the two-predictor arithmetic', () => {
    /*
     * r12 = .5, r1y = .5, r2y = .3. Rxx has eigenvectors (1, 1)/√2, (1, -1)/√2 with eigenvalues 1.5 and .5, so
     *   Λ = Rxx^½ = [[p, q], [q, p]], p = (√1.5 + √.5)/2 = 0.965926, q = (√1.5 - √.5)/2 = 0.258819
     *   (p² = (1 + √.75)/2 = 0.933013, q² = 0.066987, det Λ = p² - q² = √.75 = 0.866025)
     *   β = Λ⁻¹ r = ((.5p - .3q), (.3p - .5q)) / 0.866025 = (0.468020, 0.185177); β² = (0.219043, 0.034291)
     *   ε1 = p² β1² + q² β2² = 0.204370 + 0.002297 = 0.206667 (= 31/150)
     *   ε2 = q² β1² + p² β2² = 0.014673 + 0.031994 = 0.046667 (= 7/150)
     *   Σε = 0.253333 = R² = (r1y² + r2y² - 2 r1y r2y r12) / (1 - r12²) = (.25 + .09 - .15) / .75
     */
    const weights = relativeWeights(
      [
        [1, 0.5],
        [0.5, 1],
      ],
      [0.5, 0.3],
    );
    expect(weights[0]).toBeCloseTo(31 / 150, 10);
    expect(weights[1]).toBeCloseTo(7 / 150, 10);
  });

  it('sum to R² for any full-rank rubric-like data', () => {
    // Predictors on a 1-4 rubric scale, as the product feeds them; continuous noise on the outcome.
    const score = fc.integer({ min: 1, max: 4 });
    const data = fc
      .integer({ min: 8, max: 40 })
      .chain((n) =>
        fc.tuple(
          fc.array(fc.tuple(score, score, score), { minLength: n, maxLength: n }),
          fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: n, maxLength: n }),
        ),
      );
    fc.assert(
      fc.property(data, ([rows, noise]) => {
        const y = rows.map(([a, b], i) => a + 0.5 * b + noise[i]);
        const result = olsRegression(rows, y);
        if (result === null) return true;
        const sum = result.predictors.reduce((a, p) => a + p.relativeWeight, 0);
        return Math.abs(sum - result.r2) < 1e-8 && result.predictors.every((p) => p.relativeWeight >= -1e-12);
      }),
    );
  });
});

describe('recommendedWeights: no weight for a criterion with a negative beta', () => {
  it('gives a suppressor (positive r, negative beta) 0 where its relative weight is positive', () => {
    /*
     * r12 = .5, r1y = .5, r2y = .1. beta = Rxx⁻¹ rxy: beta1 = (.5 - .5 x .1) / .75 = .6, beta2 = (.1 - .5 x .5) / .75
     * = -.2. R² = beta·rxy = .3 - .02 = .28. Johnson's weights (Λ as in the test above, p = 0.965926, q = 0.258819):
     * beta* = Λ⁻¹ r = ((.5p - .1q), (.1p - .5q)) / 0.866025 = (0.527792, -0.037894);
     * ε1 = p² 0.278564 + q² 0.001436 = 0.26, ε2 = q² 0.278564 + p² 0.001436 = 0.02: a 7% "weight" (.02 / .28)
     * for a criterion that lowers the prediction. The rule drops it; x1 alone has R² = .5² = .25 and takes 100%.
     */
    const rxx = [
      [1, 0.5],
      [0.5, 1],
    ];
    const full = relativeWeights(rxx, [0.5, 0.1]);
    expect(full[1]).toBeCloseTo(0.02, 10);
    const result = recommendedWeights(rxx, [0.5, 0.1]);
    expect(result.kept).toEqual([true, false]);
    expect(result.weights[0]).toBeCloseTo(1, 12);
    expect(result.weights[1]).toBe(0);
    expect(result.r2).toBeCloseTo(0.25, 12);
  });

  it('drops a criterion with negative r and beta and shares 100% among the rest by their relative weights', () => {
    /*
     * x3 is uncorrelated with x1 and x2 and has r3y = -.2, so its beta is -.2 (and its full-model relative weight is
     * r3y² = .04, 14% of R² = 38/150 + .04). Without it, x1 and x2 are the two-predictor case above: relative weights
     * 31/150 and 7/150, R² = 38/150, so the shares are 31/38 and 7/38.
     */
    const result = recommendedWeights(
      [
        [1, 0.5, 0],
        [0.5, 1, 0],
        [0, 0, 1],
      ],
      [0.5, 0.3, -0.2],
    );
    expect(result.kept).toEqual([true, true, false]);
    expect(result.weights[0]).toBeCloseTo(31 / 38, 10);
    expect(result.weights[1]).toBeCloseTo(7 / 38, 10);
    expect(result.weights[2]).toBe(0);
    expect(result.r2).toBeCloseTo(38 / 150, 10);
  });

  it('leaves criteria out one at a time, the most negative beta first', () => {
    /*
     * x1 is uncorrelated with x2 and x3 (r1y = .5); r23 = -.5, r2y = -.5, r3y = .2. In the x2-x3 block,
     * [[1, -.5], [-.5, 1]]⁻¹ = [[1, .5], [.5, 1]] / .75, so beta2 = (-.5 + .5 x .2) / .75 = -.533 and
     * beta3 = (.5 x -.5 + .2) / .75 = -.067: both negative. x2 goes first; then x3's beta is its own r, .2 > 0, so
     * it stays. With x1 and x3 uncorrelated their relative weights are r² = .25 and .04: shares 25/29 and 4/29.
     */
    const result = recommendedWeights(
      [
        [1, 0, 0],
        [0, 1, -0.5],
        [0, -0.5, 1],
      ],
      [0.5, -0.5, 0.2],
    );
    expect(result.kept).toEqual([true, false, true]);
    expect(result.weights[0]).toBeCloseTo(25 / 29, 10);
    expect(result.weights[1]).toBe(0);
    expect(result.weights[2]).toBeCloseTo(4 / 29, 10);
  });

  it('keeps nothing when every criterion goes with worse outcomes', () => {
    const result = recommendedWeights(
      [
        [1, 0.3],
        [0.3, 1],
      ],
      [-0.3, -0.1],
    );
    expect(result).toEqual({ weights: [0, 0], kept: [false, false], r2: 0 });
  });

  it('equals the relative weights over R² when every beta is positive', () => {
    // The two-predictor case of the Johnson test: betas (.5 - .15) / .75 > 0 and (.3 - .25) / .75 > 0.
    const result = recommendedWeights(
      [
        [1, 0.5],
        [0.5, 1],
      ],
      [0.5, 0.3],
    );
    expect(result.kept).toEqual([true, true]);
    expect(result.weights[0]).toBeCloseTo(31 / 38, 10);
    expect(result.weights[1]).toBeCloseTo(7 / 38, 10);
  });
});

describe('single-predictor regression equals correlation', () => {
  it('R = |r| and ΔR² F = t² with one predictor', () => {
    // Hand-worked sample from correlation.spec.ts: r = 6/sqrt(60).
    const result = olsRegression([[1], [2], [3], [4], [5]], [2, 4, 5, 4, 5]);
    expect(result?.r).toBeCloseTo(6 / Math.sqrt(60), 12);
    // b = Sxy/Sxx = 6/10 = 0.6; β = r
    expect(result?.predictors[0].b.estimate).toBeCloseTo(0.6, 12);
    expect(result?.predictors[0].beta.estimate).toBeCloseTo(6 / Math.sqrt(60), 12);
    expect(result?.predictors[0].deltaR2F).toBeCloseTo((result?.predictors[0].b.t ?? 0) ** 2, 10);
    // p of the slope equals the p of r: 0.1240271 (closed form shown in correlation.spec.ts)
    expect(result?.predictors[0].b.pValue).toBeCloseTo(0.1240271, 6);
  });
});

describe('crossValidatedR', () => {
  it('assigns balanced, reproducible folds from a seed', () => {
    const a = foldAssignment(23, 5, 42);
    expect(foldAssignment(23, 5, 42)).toEqual(a);
    const sizes = [0, 1, 2, 3, 4].map((f) => a.filter((x) => x === f).length);
    // 23 = 5 + 5 + 5 + 4 + 4
    expect([...sizes].sort()).toEqual([4, 4, 5, 5, 5]);
    expect(foldAssignment(23, 5, 43)).not.toEqual(a);
  });

  it('is exactly 1 when y is an exact linear function of the predictors', () => {
    const rows = Array.from({ length: 20 }, (_, i) => [i, (i * 7) % 5]);
    const y = rows.map(([a, b]) => 3 + 2 * a - b);
    const result = crossValidatedR(rows, y, { folds: 5, seed: 7 });
    expect(result?.r).toBeCloseTo(1, 10);
    result?.predictions.forEach((p, i) => expect(p).toBeCloseTo(y[i], 8));
  });

  it('is deterministic for a seed and equals r of the out-of-fold predictions', () => {
    const rows = Array.from({ length: 30 }, (_, i) => [Math.sin(i), Math.cos(i * 1.3)]);
    const y = rows.map(([a, b], i) => a + 0.3 * b + Math.sin(i * 2.7));
    const first = crossValidatedR(rows, y, { folds: 10, seed: 3 });
    const second = crossValidatedR(rows, y, { folds: 10, seed: 3 });
    expect(first?.r).toBe(second?.r);
    expect(first?.r).toBe(pearson(first?.predictions ?? [], y));
  });

  it('is null when folds are invalid or training sets too small', () => {
    expect(crossValidatedR([[1], [2], [3]], [1, 2, 3], { folds: 1 })).toBeNull();
    expect(crossValidatedR([[1], [2], [3]], [1, 2, 3], { folds: 3 })).toBeNull();
  });
});
