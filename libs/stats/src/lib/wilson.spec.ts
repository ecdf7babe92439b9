import { wilsonInterval } from './wilson';

/*
 * Newcombe, R. G. (1998). Two-sided confidence intervals for the single proportion: comparison of seven methods.
 * Statistics in Medicine, 17(8), 857-872. Table I, method 3 (Wilson score interval without continuity correction),
 * published to four decimals:
 *   81/263 -> 0.2553 to 0.3662;  15/148 -> 0.0624 to 0.1605;  0/20 -> 0.0000 to 0.1611;  1/29 -> 0.0061 to 0.1718
 */
describe('wilsonInterval against Newcombe (1998) Table I, method 3', () => {
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i/%i gives %f to %f', (x, n, low, high) => {
    const ci = wilsonInterval(x, n);
    expect(ci?.rate).toBeCloseTo(x / n, 12);
    expect(ci?.ciLow).toBeCloseTo(low, 4);
    expect(ci?.ciHigh).toBeCloseTo(high, 4);
  });

  it('matches a hand calculation (3 of 4)', () => {
    /*
     * p = .75, n = 4, z = 1.959964, z² = 3.841459
     *   denominator = 1 + 3.841459 / 4 = 1.960365
     *   centre = (.75 + 3.841459 / 8) / 1.960365 = 1.230182 / 1.960365 = 0.627527
     *   half = 1.959964 / 1.960365 * sqrt(.1875 / 4 + 3.841459 / 64) = 0.999796 * sqrt(0.106898) = 0.326886
     *   interval = 0.300641 to 0.954413
     */
    const ci = wilsonInterval(3, 4);
    expect(ci?.ciLow).toBeCloseTo(0.300641, 5);
    expect(ci?.ciHigh).toBeCloseTo(0.954413, 5);
  });

  it('is null without trials and exact at the bounds', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(wilsonInterval(5, 5)?.ciHigh).toBe(1);
    expect(wilsonInterval(0, 5)?.ciLow).toBe(0);
    expect(() => wilsonInterval(6, 5)).toThrow(RangeError);
  });
});
