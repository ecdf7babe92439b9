import * as fc from 'fast-check';
import { auc } from './auc';

/*
 * Hanley, J. A., & McNeil, B. J. (1982). The meaning and use of the area under a receiver operating characteristic
 * (ROC) curve. Radiology, 143(1), 29-36. Table 1: CT images rated on a 5-point scale (1 definitely normal ...
 * 5 definitely abnormal).
 *   rating:            1   2   3   4   5
 *   normal (n = 58):  33   6   6  11   2
 *   abnormal (n = 51): 3   2   2  11  33
 * Published: W (AUC) = 0.893, SE = 0.032 (their exponential approximation).
 */
function expand(counts: readonly number[]): number[] {
  return counts.flatMap((count, i) => new Array<number>(count).fill(i + 1));
}
const NORMAL = expand([33, 6, 6, 11, 2]);
const ABNORMAL = expand([3, 2, 2, 11, 33]);
const SCORES = [...ABNORMAL, ...NORMAL];
const LABELS = [...ABNORMAL.map(() => true), ...NORMAL.map(() => false)];

describe('auc on Hanley & McNeil (1982) Table 1', () => {
  const result = auc(SCORES, LABELS);

  it('reproduces the published area 0.893, arithmetic shown', () => {
    /*
     * For each abnormal rating: (normals rated lower + ½ normals tied) x abnormals at that rating
     *   1: (0 + 16.5) x 3 = 49.5; 2: (33 + 3) x 2 = 72; 3: (39 + 3) x 2 = 84; 4: (45 + 5.5) x 11 = 555.5;
     *   5: (56 + 1) x 33 = 1881; total 2642 over 51 x 58 = 2958 pairs → 2642 / 2958 = 0.893171
     */
    expect(result?.auc).toBeCloseTo(0.893, 3);
    expect(result?.auc).toBeCloseTo(2642 / 2958, 12);
    expect(result?.nPositive).toBe(51);
    expect(result?.nNegative).toBe(58);
  });

  it('computes the DeLong standard error and interval, arithmetic shown', () => {
    /*
     * DeLong et al. (1988) structural components, by rating category:
     *   V10 (abnormal at rating r) = (normals below + ½ tied) / 58: 16.5/58, 36/58, 42/58, 50.5/58, 57/58
     *     = 0.284483, 0.620690, 0.724138, 0.870690, 0.982759 (counts 3, 2, 2, 11, 33)
     *   V01 (normal at rating r) = (abnormals above + ½ tied) / 51: 49.5/51, 47/51, 45/51, 38.5/51, 16.5/51
     *     = 0.970588, 0.921569, 0.882353, 0.754902, 0.323529 (counts 33, 6, 6, 11, 2)
     *   S10 = Σ count (V10 - 0.893171)² / 50 = 0.0317511; S01 = Σ count (V01 - 0.893171)² / 57 = 0.0186423
     *   Var = 0.0317511/51 + 0.0186423/58 = 0.00062257 + 0.00032142 = 0.00094399; SE = 0.030724
     *   95% CI = 0.893171 ± 1.959964 x 0.030724 = (0.832952, 0.953390)
     * The DeLong SE is close to the published Hanley-McNeil SE of 0.032, as expected for this sample size.
     */
    expect(result?.se).toBeCloseTo(0.030724, 5);
    expect(result?.ciLow).toBeCloseTo(0.832952, 5);
    expect(result?.ciHigh).toBeCloseTo(0.95339, 5);
    expect(result?.se).toBeCloseTo(0.032, 2);
  });
});

describe('auc edge cases', () => {
  it('counts ties as one half', () => {
    // Every pair tied → AUC = 0.5; perfect separation → 1; reversed → 0.
    expect(auc([1, 1, 1, 1], [true, false, true, false])?.auc).toBe(0.5);
    expect(auc([3, 4, 1, 2], [true, true, false, false])?.auc).toBe(1);
    expect(auc([1, 2, 3, 4], [true, true, false, false])?.auc).toBe(0);
  });

  it('is null without both classes and has no SE for a singleton class', () => {
    expect(auc([1, 2], [true, true])).toBeNull();
    const single = auc([1, 2, 3], [true, false, false]);
    // One positive (score 1) below both negatives → AUC 0.
    expect(single?.auc).toBe(0);
    expect(single?.se).toBeNull();
  });

  it('agrees with the pairwise definition and keeps the interval in [0, 1]', () => {
    const data = fc
      .array(fc.tuple(fc.integer({ min: 1, max: 5 }), fc.boolean()), { minLength: 2, maxLength: 60 })
      .filter((rows) => rows.some(([, l]) => l) && rows.some(([, l]) => !l));
    fc.assert(
      fc.property(data, (rows) => {
        const scores = rows.map(([s]) => s);
        const labels = rows.map(([, l]) => l);
        let wins = 0;
        let pairs = 0;
        for (const [sp, lp] of rows) {
          if (!lp) continue;
          for (const [sn, ln] of rows) {
            if (ln) continue;
            pairs++;
            wins += sp > sn ? 1 : sp === sn ? 0.5 : 0;
          }
        }
        const result = auc(scores, labels);
        if (result === null || Math.abs(result.auc - wins / pairs) > 1e-12) return false;
        return result.ciLow === null || (result.ciLow >= 0 && result.ciHigh !== null && result.ciHigh <= 1);
      }),
    );
  });
});
