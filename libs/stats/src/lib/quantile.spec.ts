import { quantileLinear } from './quantile';

/*
 * Hyndman, R. J., & Fan, Y. (1996). Sample quantiles in statistical packages. The American Statistician, 50(4),
 * 361-365: definition 7, p(k) = (k - 1)/(n - 1), which numpy.percentile uses by default (method='linear').
 */
describe('quantileLinear (Hyndman and Fan 1996 type 7, numpy default)', () => {
  it('interpolates between order statistics as worked by hand', () => {
    /*
     * x = 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 (n = 10)
     *   p = .9: h = 9 x .9 = 8.1 -> x[8] + .1 (x[9] - x[8]) = 9 + .1 x 1 = 9.1   (numpy.percentile(range(1, 11), 90) = 9.1)
     *   p = .5: h = 4.5 -> 5 + .5 x 1 = 5.5
     * x = 0.5, 2, 7, 3 (sorted 0.5, 2, 3, 7; n = 4)
     *   p = .9: h = 3 x .9 = 2.7 -> 3 + .7 x (7 - 3) = 5.8;  p = .5: h = 1.5 -> 2 + .5 x 1 = 2.5
     */
    const ten = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
    expect(quantileLinear(ten, 0.9)).toBeCloseTo(9.1, 12);
    expect(quantileLinear(ten, 0.5)).toBeCloseTo(5.5, 12);
    expect(quantileLinear([0.5, 2, 7, 3], 0.9)).toBeCloseTo(5.8, 12);
    expect(quantileLinear([0.5, 2, 7, 3], 0.5)).toBeCloseTo(2.5, 12);
  });

  it("reproduces numpy's documented example: percentile([[10, 7, 4], [3, 2, 1]], 50) = 3.5", () => {
    expect(quantileLinear([10, 7, 4, 3, 2, 1], 0.5)).toBe(3.5);
  });

  it('handles the edges', () => {
    expect(quantileLinear([4], 0.9)).toBe(4);
    expect(quantileLinear([1, 2], 0)).toBe(1);
    expect(quantileLinear([1, 2], 1)).toBe(2);
    expect(quantileLinear([], 0.5)).toBeNaN();
    expect(() => quantileLinear([1], 1.5)).toThrow(RangeError);
  });
});
