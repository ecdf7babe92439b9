import { clearyDifferentialPrediction, compareCorrelations, correlationHeterogeneity } from './differential';

describe('compareCorrelations (Fisher z)', () => {
  it('matches a hand calculation', () => {
    /*
     * r1 = .5, n1 = 53; r2 = .3, n2 = 103.
     * atanh(.5) = 0.5493061, atanh(.3) = 0.3095196; SE = sqrt(1/50 + 1/100) = sqrt(0.03) = 0.1732051
     * z = 0.2397865 / 0.1732051 = 1.384408; two-sided p = 2 (1 - Φ(1.384408)) = 0.16624
     */
    const result = compareCorrelations(0.5, 53, 0.3, 103);
    expect(result?.z).toBeCloseTo(1.384408, 5);
    expect(result?.p).toBeCloseTo(0.16624, 4);
  });

  it('is null for n <= 3', () => {
    expect(compareCorrelations(0.5, 3, 0.3, 103)).toBeNull();
  });
});

describe('correlationHeterogeneity (Q)', () => {
  it('matches a hand calculation', () => {
    /*
     * r = .5, .3, .1 with n = 53, 103, 28: weights n - 3 = 50, 100, 25 (total 175).
     * z = 0.5493061, 0.3095196, 0.1003353
     * z_w = (50 x 0.5493061 + 100 x 0.3095196 + 25 x 0.1003353) / 175 = (27.465306 + 30.951960 + 2.508383) / 175
     *     = 60.925649 / 175 = 0.3481466
     * Q = 50 (0.2011595)² + 100 (-0.0386270)² + 25 (-0.2478113)² = 2.023257 + 0.149205 + 1.535259 = 3.707721
     * df = 2; for 2 df the chi-square tail is exp(-Q/2) = exp(-1.853861) = 0.156632
     */
    const result = correlationHeterogeneity([
      { r: 0.5, n: 53 },
      { r: 0.3, n: 103 },
      { r: 0.1, n: 28 },
    ]);
    expect(result?.meanZ).toBeCloseTo(0.3481466, 6);
    expect(result?.q).toBeCloseTo(3.707721, 4);
    expect(result?.df).toBe(2);
    expect(result?.p).toBeCloseTo(0.156632, 5);
  });

  it('with two samples Q is the square of the z statistic', () => {
    // Q = z² when k = 2: 1.384408² = 1.916585.
    expect(
      correlationHeterogeneity([
        { r: 0.5, n: 53 },
        { r: 0.3, n: 103 },
      ])?.q,
    ).toBeCloseTo(1.916585, 4);
  });
});

describe('clearyDifferentialPrediction', () => {
  /*
   * Hand-worked data: x = 1, 2, 3, 4 in every group.
   *   A: y = 2, 3, 5, 6. x̄ = 2.5, Sxx = 5, ȳ = 4, Sxy = 7, slope 1.4, intercept 0.5, residuals .1 -.3 .3 -.1, SSE .2,
   *      SSy = 10.
   *   B: y = 1, 1, 2, 3. ȳ = 1.75, Sxy = 3.5, slope 0.7, intercept 0, residuals .3 -.4 -.1 .2, SSE .3, SSy = 2.75.
   *   C: y = 3, 4, 4, 6. ȳ = 4.25, Sxy = 4.5, slope 0.9, intercept 2.0, SSy = 4.75, SSE = 4.75 - 4.5²/5 = 0.7.
   */
  const xs = [1, 2, 3, 4];
  const data = [
    ...[2, 3, 5, 6].map((y, i) => ({ x: xs[i], y, group: 'A' })),
    ...[1, 1, 2, 3].map((y, i) => ({ x: xs[i], y, group: 'B' })),
    ...[3, 4, 4, 6].map((y, i) => ({ x: xs[i], y, group: 'C' })),
  ];

  it('two groups: the interaction t and the group t', () => {
    /*
     * Slope difference (full model = separate lines): B - A = 0.7 - 1.4 = -0.7; MSE = (0.2 + 0.3) / (8 - 4) = 0.125;
     *   SE = sqrt(0.125 (1/5 + 1/5)) = sqrt(0.05) = 0.2236068; t = -3.130495 on 4 df, p = 0.035168.
     * Intercept difference (common slope): b = (7 + 3.5) / (5 + 5) = 1.05; difference = (1.75 - 4) - 1.05 (2.5 - 2.5)
     *   = -2.25; SSE = (10 + 2.75) - 1.05 x 10.5 = 1.725 on 8 - 3 = 5 df, MSE = 0.345;
     *   SE = sqrt(0.345 (1/4 + 1/4 + 0²/10)) = sqrt(0.1725) = 0.4153312; t = -5.417363, p = 0.0029013.
     */
    const result = clearyDifferentialPrediction(
      data.filter((d) => d.group !== 'C'),
      ['A', 'B'],
      'A',
    );
    expect(result?.n).toBe(8);
    expect(result?.slopeDifference.estimate).toBeCloseTo(-0.7, 10);
    expect(result?.slopeDifference.t).toBeCloseTo(-3.130495, 5);
    expect(result?.slopeDifference.f).toBeCloseTo(3.130495 ** 2, 4);
    expect(result?.slopeDifference.df2).toBe(4);
    expect(result?.slopeDifference.p).toBeCloseTo(0.035168, 5);
    expect(result?.interceptDifference.estimate).toBeCloseTo(-2.25, 10);
    expect(result?.interceptDifference.t).toBeCloseTo(-5.417363, 5);
    expect(result?.interceptDifference.df2).toBe(5);
    expect(result?.interceptDifference.p).toBeCloseTo(0.0029013, 6);
    expect(result?.lines).toEqual([
      { group: 'A', intercept: expect.closeTo(0.5, 10), slope: expect.closeTo(1.4, 10) },
      { group: 'B', intercept: expect.closeTo(0, 10), slope: expect.closeTo(0.7, 10) },
    ]);
  });

  it('three groups: nested-model F tests', () => {
    /*
     * Slopes: SSE_full = 0.2 + 0.3 + 0.7 = 1.2 on 12 - 6 = 6 df; common slope b = (7 + 3.5 + 4.5) / 15 = 1,
     *   SSE = 17.5 - 15² / 15 = 2.5 on 8 df; F = ((2.5 - 1.2) / 2) / (1.2 / 6) = 0.65 / 0.2 = 3.25 on (2, 6),
     *   p = 0.110592.
     * Intercepts: y ~ x alone: the x means are equal, so Sxy = 15, Sxx = 15; SSy = 17.5 + between-group
     *   4 ((4 - 10/3)² + (1.75 - 10/3)² + (4.25 - 10/3)²) = 17.5 + 15.166667 = 32.666667; SSE = 32.666667 - 15
     *   = 17.666667 on 10 df; F = ((17.666667 - 2.5) / 2) / (2.5 / 8) = 7.583333 / 0.3125 = 24.266667 on (2, 8),
     *   p = 0.000401.
     */
    const result = clearyDifferentialPrediction(data, ['A', 'B', 'C'], 'A');
    expect(result?.slopeDifference).toMatchObject({ estimate: null, t: null, df1: 2, df2: 6 });
    expect(result?.slopeDifference.f).toBeCloseTo(3.25, 8);
    expect(result?.slopeDifference.p).toBeCloseTo(0.110592, 5);
    expect(result?.interceptDifference).toMatchObject({ estimate: null, t: null, df1: 2, df2: 8 });
    expect(result?.interceptDifference.f).toBeCloseTo(24.266667, 5);
    expect(result?.interceptDifference.p).toBeCloseTo(0.000401, 6);
    expect(result?.lines[2]).toEqual({
      group: 'C',
      intercept: expect.closeTo(2, 10),
      slope: expect.closeTo(0.9, 10),
    });
  });

  it('is null with one group', () => {
    expect(clearyDifferentialPrediction(data, ['A'], 'A')).toBeNull();
  });
});
