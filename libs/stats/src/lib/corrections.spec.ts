import * as fc from 'fast-check';
import { operationalValidity, rangeRestrictionCaseII, sampleSizeForR } from './corrections';

describe('rangeRestrictionCaseII (Thorndike 1949 Case II)', () => {
  it('corrects r = .25 with a restricted SD ratio of .6 (U = 1/.6), arithmetic shown', () => {
    /*
     * Illustration in the style of Sackett & Yang (2000, Personnel Psychology 53, 112-118): hired-sample SD is 60%
     * of the applicant SD, so U = 1/0.6 = 5/3.
     *   U² - 1 = 25/9 - 1 = 16/9; r²(U² - 1) = 0.0625 * 16/9 = 1/9
     *   denominator = sqrt(1 + 1/9) = sqrt(10)/3 = 1.0540926
     *   numerator = 0.25 * 5/3 = 0.4166667
     *   r_c = (5/12) / (sqrt(10)/3) = 5 / (4 sqrt(10)) = 0.3952847
     */
    expect(rangeRestrictionCaseII(0.25, 1 / 0.6)).toBeCloseTo(0.3952847, 7);
  });

  it('leaves r unchanged when U = 1 and maps ±1 to ±1', () => {
    expect(rangeRestrictionCaseII(0.3, 1)).toBeCloseTo(0.3, 15);
    expect(rangeRestrictionCaseII(1, 2.5)).toBeCloseTo(1, 15);
    expect(rangeRestrictionCaseII(-1, 2.5)).toBeCloseTo(-1, 15);
  });

  it('rejects invalid input', () => {
    expect(() => rangeRestrictionCaseII(1.2, 1.5)).toThrow(RangeError);
    expect(() => rangeRestrictionCaseII(0.2, 0)).toThrow(RangeError);
    expect(() => rangeRestrictionCaseII(0.2, Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it('never lowers |r| when U >= 1, keeps the sign, and stays in [-1, 1]', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.double({ min: 1, max: 20, noNaN: true }),
        (r, u) => {
          const rc = rangeRestrictionCaseII(r, u);
          return (
            Math.abs(rc) >= Math.abs(r) - 1e-15 &&
            Math.abs(rc) <= 1 &&
            (r === 0 || Math.sign(rc) === Math.sign(r))
          );
        },
      ),
    );
  });
});

describe('operationalValidity', () => {
  it('corrects r = .25 for ryy = .52 and then for U = 1/.6, arithmetic shown', () => {
    /*
     * ryy = .52 (Viswesvaran, Ones & Schmidt 1996, interrater reliability of supervisory ratings).
     *   r' = .25 / sqrt(.52) = .25 / 0.7211103 = 0.3466876; r'² = .0625 / .52 = 0.1201923
     *   r'²(U² - 1) = 0.1201923 * 16/9 = 0.2136752; sqrt(1.2136752) = 1.1016693
     *   numerator = 0.3466876 * 5/3 = 0.5778127
     *   rho = 0.5778127 / 1.1016693 = 0.5244883
     */
    expect(operationalValidity(0.25, 0.52, 1 / 0.6)).toBeCloseTo(0.5244883, 6);
  });

  it('clamps r / sqrt(ryy) to [-1, 1] before Case II', () => {
    // .8 / sqrt(.52) = 1.109 > 1 is clamped to 1, and Case II maps 1 to 1.
    expect(operationalValidity(0.8, 0.52, 1.5)).toBeCloseTo(1, 15);
    expect(operationalValidity(-0.8, 0.52, 1.5)).toBeCloseTo(-1, 15);
  });

  it('rejects reliabilities outside (0, 1]', () => {
    expect(() => operationalValidity(0.2, 0, 1.2)).toThrow(RangeError);
    expect(() => operationalValidity(0.2, 1.1, 1.2)).toThrow(RangeError);
  });
});

describe('sampleSizeForR', () => {
  it('uses the Fisher z approximation, arithmetic shown', () => {
    /*
     * z_.975 = 1.959964, z_.80 = 0.841621 (standard normal table); sum = 2.801585
     * rho = .10: atanh(.1) = 0.1003353; (2.801585 / 0.1003353)² = 27.92221² = 779.650; + 3 = 782.65 -> 783
     * rho = .20: atanh(.2) = 0.2027326; (2.801585 / 0.2027326)² = 13.81912² = 190.968; + 3 = 193.97 -> 194
     * rho = .30: atanh(.3) = 0.3095196; (2.801585 / 0.3095196)² = 9.051398² = 81.928; + 3 = 84.93 -> 85
     * Cross-check: Cohen (1992, "A power primer", Psychological Bulletin 112, Table 2) lists n = 783 for r = .10 and
     * n = 85 for r = .30 at two-sided alpha .05, power .80.
     */
    expect(sampleSizeForR(0.1)).toBe(783);
    expect(sampleSizeForR(0.2)).toBe(194);
    expect(sampleSizeForR(0.3)).toBe(85);
    expect(sampleSizeForR(-0.3)).toBe(85);
  });

  it('needs more cases for more power or a stricter alpha', () => {
    expect(sampleSizeForR(0.3, 0.05, 0.9)).toBeGreaterThan(sampleSizeForR(0.3));
    expect(sampleSizeForR(0.3, 0.01)).toBeGreaterThan(sampleSizeForR(0.3));
  });

  it('rejects rho = 0 and |rho| >= 1', () => {
    expect(() => sampleSizeForR(0)).toThrow(RangeError);
    expect(() => sampleSizeForR(1)).toThrow(RangeError);
  });
});
