import * as fc from 'fast-check';
import { iccOneWayUnbalanced, iccShroutFleiss } from './icc';

/*
 * Shrout, P. E., & Fleiss, J. L. (1979). Intraclass correlations: Uses in assessing rater reliability.
 * Psychological Bulletin, 86(2), 420-428. Table 2: four judges rate six targets.
 * Table 2 also reports the mean squares BMS = 11.24, WMS = 6.26, JMS = 32.49, EMS = 1.02, and the text/Table 3
 * the estimates ICC(1,1) = .17, ICC(2,1) = .29, ICC(3,1) = .71, ICC(1,4) = .44, ICC(2,4) = .62, ICC(3,4) = .91.
 */
const SHROUT_FLEISS_TABLE_2 = [
  [9, 2, 5, 8],
  [6, 1, 3, 2],
  [8, 4, 6, 8],
  [7, 1, 2, 6],
  [10, 5, 6, 9],
  [6, 2, 4, 7],
];

describe('iccShroutFleiss on Shrout & Fleiss (1979) Table 2', () => {
  const result = iccShroutFleiss(SHROUT_FLEISS_TABLE_2);

  it('reproduces the published mean squares', () => {
    expect(result.n).toBe(6);
    expect(result.k).toBe(4);
    expect(result.meanSquares.bms).toBeCloseTo(11.24, 2);
    expect(result.meanSquares.wms).toBeCloseTo(6.26, 2);
    expect(result.meanSquares.jms).toBeCloseTo(32.49, 2);
    expect(result.meanSquares.ems).toBeCloseTo(1.02, 2);
  });

  it('reproduces the six published ICCs to two decimals', () => {
    expect(result.icc11.value).toBeCloseTo(0.17, 2);
    expect(result.icc21.value).toBeCloseTo(0.29, 2);
    expect(result.icc31.value).toBeCloseTo(0.71, 2);
    expect(result.icc1k.value).toBeCloseTo(0.44, 2);
    expect(result.icc2k.value).toBeCloseTo(0.62, 2);
    expect(result.icc3k.value).toBeCloseTo(0.91, 2);
  });

  it('computes the F-based 95% intervals of ICC(1,·) and ICC(3,·), arithmetic shown', () => {
    /*
     * Exact mean squares (from the table): SSB = 4 Σ(row mean - 5.291667)² = 56.20833, BMS = 11.241667;
     * SST = 168.95833, WMS = (168.95833 - 56.20833) / 18 = 6.263889; SSJ = 97.45833, JMS = 32.486111;
     * SSE = 168.95833 - 56.20833 - 97.45833 = 15.29167, EMS = 1.019444.
     * ICC(1): F = BMS/WMS = 1.794678 on (5, 18) df. F table (.975): F(5,18) = 3.382, F(18,5) = 6.362.
     *   FL = 1.794678 / 3.382 = 0.530656; FU = 1.794678 * 6.362 = 11.41775
     *   ICC(1,1): (FL - 1)/(FL + 3) = -0.13293; (FU - 1)/(FU + 3) = 0.72256
     *   ICC(1,4): 1 - 1/FL = -0.88445; 1 - 1/FU = 0.91242
     * ICC(3): F = BMS/EMS = 11.027248 on (5, 15) df. F table (.975): F(5,15) = 3.576, F(15,5) = 6.428.
     *   FL = 3.083682; FU = 70.88315
     *   ICC(3,1): (FL - 1)/(FL + 3) = 0.34246; (FU - 1)/(FU + 3) = 0.94589
     *   ICC(3,4): 1 - 1/FL = 0.67571; 1 - 1/FU = 0.98589
     * Tabled F values carry 3-4 significant digits, so the bounds are checked to 2-3 decimals.
     */
    expect(result.icc11.f).toBeCloseTo(1.794678, 5);
    expect(result.icc11.ciLow).toBeCloseTo(-0.1329, 3);
    expect(result.icc11.ciHigh).toBeCloseTo(0.7226, 3);
    expect(result.icc1k.ciLow).toBeCloseTo(-0.8844, 2);
    expect(result.icc1k.ciHigh).toBeCloseTo(0.9124, 3);
    expect(result.icc31.f).toBeCloseTo(11.027248, 5);
    expect(result.icc31.ciLow).toBeCloseTo(0.3425, 3);
    expect(result.icc31.ciHigh).toBeCloseTo(0.9459, 3);
    expect(result.icc3k.ciLow).toBeCloseTo(0.6757, 3);
    expect(result.icc3k.ciHigh).toBeCloseTo(0.9859, 3);
  });

  it('computes the Satterthwaite-based 95% intervals of ICC(2,1) and ICC(2,4), arithmetic shown', () => {
    /*
     * Shrout & Fleiss (1979, p. 425) / McGraw & Wong (1996, Table 7), with ρ = ICC(2,1) = 0.289764, Fj = JMS/EMS
     * = 31.866485, n = 6, k = 4:
     *   v = (n-1)(k-1)(kρFj + n(1 + (k-1)ρ) - kρ)² / ((n-1)k²ρ²Fj² + (n(1 + (k-1)ρ) - kρ)²)
     *     = 15 (36.93456 + 11.21575 - 1.15906)² / (5 * 16 * 0.0839631 * 1015.4728 + 10.05669²)
     *     = 15 * 46.99125² / (6820.98 + 101.1370) = 33122.2 / 6922.12 = 4.7851
     *   F* = F.975(5, 4.785) = 7.499; F** = F.975(4.785, 5) = 7.191 (F table interpolated in the df)
     *   ICC(2,1) low = n(BMS - F* EMS) / (F*(k JMS + (kn - k - n) EMS) + n BMS)
     *               = 6 (11.241667 - 7.499 * 1.019444) / (7.499 (129.94444 + 14 * 1.019444) + 67.45) = 0.0188
     *   ICC(2,1) high = n(F** BMS - EMS) / (k JMS + (kn - k - n) EMS + n F** BMS) = 0.7611
     *   ICC(2,4) low = n(BMS - F* EMS) / (F* (JMS - EMS) + n BMS) = 0.0711
     *   ICC(2,4) high = n(F** BMS - EMS) / (JMS - EMS + n F** BMS) = 0.9272
     */
    expect(result.icc21.ciLow).toBeCloseTo(0.0188, 3);
    expect(result.icc21.ciHigh).toBeCloseTo(0.7611, 3);
    expect(result.icc2k.ciLow).toBeCloseTo(0.0711, 3);
    expect(result.icc2k.ciHigh).toBeCloseTo(0.9272, 3);
  });

  it('reports the F tests', () => {
    // ICC(2), ICC(3): F = 11.03 on (5, 15) df exceeds F.999(5, 15) = 7.57, so p < .001.
    expect(result.icc21.df1).toBe(5);
    expect(result.icc21.df2).toBe(15);
    expect(result.icc21.pValue).toBeLessThan(0.001);
    // ICC(1): F = 1.79 on (5, 18) df is below F.90(5, 18) = 2.20, so p > .10.
    expect(result.icc11.df2).toBe(18);
    expect(result.icc11.pValue).toBeGreaterThan(0.1);
  });

  it('rejects ragged or too small matrices', () => {
    expect(() => iccShroutFleiss([[1, 2]])).toThrow(RangeError);
    expect(() =>
      iccShroutFleiss([
        [1, 2],
        [3, 4, 5],
      ]),
    ).toThrow(RangeError);
  });

  it('gives ICC = 1 when judges agree perfectly and differ only between targets', () => {
    const perfect = iccShroutFleiss([
      [1, 1, 1],
      [2, 2, 2],
      [4, 4, 4],
    ]);
    // WMS = EMS = JMS = 0, so every ICC is BMS/BMS = 1 and the F statistics are infinite (p = 0).
    expect(perfect.icc11.value).toBe(1);
    expect(perfect.icc21.value).toBe(1);
    expect(perfect.icc3k.value).toBe(1);
    expect(perfect.icc11.pValue).toBe(0);
  });
});

describe('iccOneWayUnbalanced', () => {
  it('reduces to Shrout & Fleiss ICC(1,1) = .17 and ICC(1,4) = .44 for the balanced Table 2 data', () => {
    const result = iccOneWayUnbalanced(SHROUT_FLEISS_TABLE_2);
    expect(result?.k0).toBeCloseTo(4, 12);
    expect(result?.icc1.value).toBeCloseTo(0.17, 2);
    expect(result?.icc1k0.value).toBeCloseTo(0.44, 2);
  });

  it('handles unequal group sizes with k0, arithmetic shown', () => {
    /*
     * Targets rated by 2, 3 and 2 judges: {2, 4}, {5, 7, 9}, {10, 12}; N = 7, a = 3.
     *   means 3, 7, 11; grand mean 49/7 = 7
     *   SSB = 2(3-7)² + 3(0)² + 2(11-7)² = 64, BMS = 64/2 = 32
     *   SSW = (1 + 1) + (4 + 0 + 4) + (1 + 1) = 12, WMS = 12/(7-3) = 3
     *   k0 = (N - Σn_i²/N)/(a - 1) = (7 - 17/7)/2 = 16/7 = 2.285714 (Snedecor & Cochran 1989, section 13.11)
     *   ICC(1) = (32 - 3)/(32 + (16/7 - 1) 3) = 29/(251/7) = 203/251 = 0.808765
     *   ICC(1,k0) = (32 - 3)/32 = 0.90625; F = 32/3 = 10.6667 on (2, 4) df
     * Missing cells (null) are ignored, so this is also the targets x judges matrix with gaps below.
     */
    const result = iccOneWayUnbalanced([
      [2, 4, null],
      [5, 7, 9],
      [null, 10, 12],
    ]);
    expect(result).not.toBeNull();
    expect(result?.targets).toBe(3);
    expect(result?.ratings).toBe(7);
    expect(result?.k0).toBeCloseTo(16 / 7, 12);
    expect(result?.bms).toBeCloseTo(32, 12);
    expect(result?.wms).toBeCloseTo(3, 12);
    expect(result?.icc1.value).toBeCloseTo(203 / 251, 12);
    expect(result?.icc1k0.value).toBeCloseTo(0.90625, 12);
    expect(result?.icc1.f).toBeCloseTo(32 / 3, 12);
    expect(result?.icc1.df1).toBe(2);
    expect(result?.icc1.df2).toBe(4);
    // F(2, 4): P(F > f) = (1 + f/2)^(-2) for df1 = 2, df2 = 4 → (1 + 5.3333)^(-2) = 0.0249307
    expect(result?.icc1.pValue).toBeCloseTo(0.0249307, 6);
  });

  it('is null without within-target replication', () => {
    expect(iccOneWayUnbalanced([[1], [2], [3]])).toBeNull();
    expect(iccOneWayUnbalanced([[1, 2]])).toBeNull();
  });

  it('agrees with the balanced ICC(1,1) on any complete matrix', () => {
    const matrix = fc.tuple(fc.integer({ min: 2, max: 8 }), fc.integer({ min: 2, max: 5 })).chain(([n, k]) =>
      fc.array(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: k, maxLength: k }), {
        minLength: n,
        maxLength: n,
      }),
    );
    fc.assert(
      fc.property(matrix, (ratings) => {
        const balanced = iccShroutFleiss(ratings).icc11.value;
        const unbalanced = iccOneWayUnbalanced(ratings)?.icc1.value ?? null;
        if (balanced === null || unbalanced === null) return balanced === unbalanced;
        return Math.abs(balanced - unbalanced) < 1e-9;
      }),
    );
  });
});

describe('iccOneWayUnbalanced with row counts', () => {
  it('gives the hand-worked unbalanced result when a duplicated target is sent once with count 2', () => {
    /*
     * Targets {2, 4}, {5, 7, 9}, {5, 7, 9}: N = 8, a = 3. Means 3, 7, 7; grand mean 48/8 = 6.
     *   SSB = 2(3-6)² + 3(1)² + 3(1)² = 24, BMS = 24/2 = 12
     *   SSW = 2 + 8 + 8 = 18, WMS = 18/(8-3) = 3.6
     *   k0 = (8 - (4 + 9 + 9)/8)/2 = (8 - 2.75)/2 = 2.625
     *   ICC(1) = (12 - 3.6)/(12 + 1.625 * 3.6) = 8.4/17.85 = 0.470588
     */
    const result = iccOneWayUnbalanced(
      [
        [2, 4],
        [5, 7, 9],
      ],
      [1, 2],
    );
    expect(result?.targets).toBe(3);
    expect(result?.ratings).toBe(8);
    expect(result?.bms).toBeCloseTo(12, 12);
    expect(result?.wms).toBeCloseTo(3.6, 12);
    expect(result?.k0).toBeCloseTo(2.625, 12);
    expect(result?.icc1.value).toBeCloseTo(8.4 / 17.85, 12);
  });

  it('equals the expanded data for any counts', () => {
    const row = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(row, fc.integer({ min: 1, max: 4 })), { minLength: 2, maxLength: 10 }),
        (rows) => {
          const expanded = rows.flatMap(([values, n]) => Array.from({ length: n }, () => values));
          const a = iccOneWayUnbalanced(expanded);
          const b = iccOneWayUnbalanced(
            rows.map(([values]) => values),
            rows.map(([, n]) => n),
          );
          if (a === null || a.icc1.value === null) {
            expect(b === null || b.icc1.value === null).toBe(true);
            return;
          }
          expect(b?.icc1.value).toBeCloseTo(a.icc1.value, 9);
          expect(b?.k0).toBeCloseTo(a.k0, 9);
        },
      ),
    );
  });
});
