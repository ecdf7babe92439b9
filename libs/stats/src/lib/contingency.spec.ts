import { chiSquareIndependence, fisherExact2x2, twoProportionZTest } from './contingency';

describe('fisherExact2x2', () => {
  it("gives p = 0.4857 for Fisher's tea-tasting table (3, 1; 1, 3)", () => {
    /*
     * Fisher, R. A. (1935). The Design of Experiments, ch. 2; Agresti (2007) An Introduction to Categorical Data
     * Analysis, 2nd ed., Table 2.8; R: fisher.test(matrix(c(3, 1, 1, 3), 2)) gives p-value = 0.4857.
     * By hand: with all margins 4 of 8, P(a) = C(4,a) C(4,4-a) / C(8,4) = 1, 16, 36, 16, 1 over 70 for a = 0..4;
     * the tables no more likely than a = 3 (16/70) are a = 0, 1, 3, 4: (1 + 16 + 16 + 1) / 70 = 34/70 = 0.485714.
     */
    expect(fisherExact2x2(3, 1, 1, 3)).toBeCloseTo(34 / 70, 12);
  });

  it('gives p = 0.002759 for the dieting example (1, 9; 11, 3)', () => {
    /*
     * Wikipedia, "Fisher's exact test", worked example (men 1 dieting / 11 not, women 9 / 3, arranged as
     * dieting x sex): two-tailed p = 0.002759; R fisher.test(matrix(c(1, 11, 9, 3), 2)) p-value = 0.002759.
     */
    expect(fisherExact2x2(1, 9, 11, 3)).toBeCloseTo(0.002759, 6);
  });

  it('is symmetric in rows and columns and 1 for a single possible table', () => {
    expect(fisherExact2x2(1, 11, 9, 3)).toBeCloseTo(fisherExact2x2(1, 9, 11, 3), 14);
    expect(fisherExact2x2(3, 1, 1, 3)).toBeCloseTo(fisherExact2x2(1, 3, 3, 1), 14);
    expect(fisherExact2x2(0, 0, 4, 5)).toBe(1);
    expect(fisherExact2x2(2, 2, 2, 2)).toBe(1);
  });

  it('counts ties within the relative tolerance (symmetric margins)', () => {
    /*
     * (1, 3; 3, 1) has margins 4/4 of 8; P(a=1) = P(a=3) = 16/70 exactly, and floating-point recurrence must not
     * split the tie: p = (1 + 16 + 16 + 1) / 70.
     */
    expect(fisherExact2x2(1, 3, 3, 1)).toBeCloseTo(34 / 70, 12);
  });
});

describe('twoProportionZTest (pooled, no continuity correction)', () => {
  it('matches a hand calculation for 60/100 vs 45/100', () => {
    /*
     * p = 105 / 200 = 0.525; SE = sqrt(0.525 x 0.475 x (1/100 + 1/100)) = sqrt(0.0049875) = 0.0706222
     * z = (0.60 - 0.45) / 0.0706222 = 2.123977; two-sided p = 2 (1 - Φ(2.123977)) = 0.033672
     * (the same as R prop.test(c(60, 45), c(100, 100), correct = FALSE): X-squared = 4.5113 = z², p = 0.03367).
     */
    const result = twoProportionZTest(60, 100, 45, 100);
    expect(result?.z).toBeCloseTo(2.123977, 5);
    expect(result?.p).toBeCloseTo(0.033672, 5);
  });

  it('is null without variance or without people', () => {
    expect(twoProportionZTest(0, 10, 0, 20)).toBeNull();
    expect(twoProportionZTest(10, 10, 20, 20)).toBeNull();
    expect(twoProportionZTest(0, 0, 3, 20)).toBeNull();
  });
});

describe('chiSquareIndependence (no continuity correction)', () => {
  it('gives X² = 30.07 on 2 df for party identification by gender', () => {
    /*
     * Agresti, A. (2007). An Introduction to Categorical Data Analysis, 2nd ed., Table 2.5 (General Social Survey):
     * females 762 Democrat, 327 Independent, 468 Republican; males 484, 239, 477. Section 2.4.3: X² = 30.1,
     * df = 2, P-value < 0.001 (R chisq.test: X-squared = 30.07, p-value = 2.954e-07).
     */
    const result = chiSquareIndependence([
      [762, 327, 468],
      [484, 239, 477],
    ]);
    expect(result?.statistic).toBeCloseTo(30.07, 2);
    expect(result?.df).toBe(2);
    expect(result?.p).toBeCloseTo(2.954e-7, 9);
  });

  it('on a 2 x 2 table equals the square of the pooled z', () => {
    // 60/100 vs 45/100: z = 2.123977 (above), z² = 4.511278; for 1 df, p = the z test's two-sided p.
    const result = chiSquareIndependence([
      [60, 40],
      [45, 55],
    ]);
    expect(result?.statistic).toBeCloseTo(4.511278, 5);
    expect(result?.df).toBe(1);
    expect(result?.p).toBeCloseTo(0.033672, 5);
  });

  it('drops empty rows and columns and is null below two of each', () => {
    expect(
      chiSquareIndependence([
        [60, 40],
        [0, 0],
        [45, 55],
      ])?.statistic,
    ).toBeCloseTo(4.511278, 5);
    expect(
      chiSquareIndependence([
        [0, 40],
        [0, 55],
      ]),
    ).toBeNull();
  });
});
