import { fourFifthsFlag, impactAnalysis, underShare } from './adverse-impact';

describe('impactAnalysis against the Uniform Guidelines example', () => {
  /*
   * Uniform Guidelines on Employee Selection Procedures, Questions and Answers (44 FR 11996, 1979), Q&A 12, and
   * 29 CFR 1607.4(D): selection rates of 60%, 45%, 48% and 51% give impact ratios 45/60 = .75, 48/60 = .80 and
   * 51/60 = .85 against the highest rate; only .75 is below four fifths. With 100 applicants each, the exact rule
   * 5 x sel_g x app_ref < 4 x sel_ref x app_g reads: 5 x 45 x 100 = 22,500 < 24,000 (flagged);
   * 5 x 48 x 100 = 24,000, not < 24,000 (exactly .80, not flagged); 5 x 51 x 100 = 25,500 (not flagged).
   */
  const result = impactAnalysis([
    { group: 'a', applicants: 100, selected: 60 },
    { group: 'b', applicants: 100, selected: 45 },
    { group: 'c', applicants: 100, selected: 48 },
    { group: 'd', applicants: 100, selected: 51 },
  ]);

  it('takes the highest rate as reference and flags only .75', () => {
    expect(result.referenceGroup).toBe('a');
    expect(result.groups.map((g) => g.impactRatio)).toEqual([1, 0.75, 0.8, 0.85]);
    expect(result.groups.map((g) => g.fourFifthsFlag)).toEqual([false, true, false, false]);
    expect(result.groups.map((g) => g.reference)).toEqual([true, false, false, false]);
  });

  it('tests each group against the reference', () => {
    // b vs a is 45/100 vs 60/100: pooled z p = 0.033672 (hand calculation in contingency.spec.ts).
    expect(result.groups[1].zP).toBeCloseTo(0.033672, 5);
    expect(result.groups[0].zP).toBeNull();
    expect(result.groups[0].fisherP).toBeNull();
    expect(result.groups[1].fisherP).toBeGreaterThan(0.03);
    expect(result.groups[1].fisherP).toBeLessThan(0.06);
    /*
     * Chi-square over 4 x 2 [[60,40],[45,55],[48,52],[51,49]]: n = 400, selected 204 (rate .51), expected 51 / 49
     * in every cell; X² = Σ (O - E)² / E = (81 + 36 + 9 + 0)(1/51 + 1/49) = 126 x 100/2499 = 5.042017, df 3.
     */
    expect(result.chiSquare?.statistic).toBeCloseTo(5.042017, 5);
    expect(result.chiSquare?.df).toBe(3);
  });
});

describe('the 2% rule and the four-fifths rule', () => {
  it('decides under 2% exactly', () => {
    expect(underShare(2, 100)).toBe(false); // 2% exactly is enough
    expect(underShare(1, 100)).toBe(true);
    expect(underShare(1, 51)).toBe(true); // 50 < 51
    expect(underShare(1, 50)).toBe(false);
  });

  it('does not flag exactly 0.80 even where floating point would', () => {
    // 4/10 vs 5/10: 0.4 / 0.5 = 0.8 exactly; 5 x 4 x 10 = 200, 4 x 5 x 10 = 200: not flagged.
    expect(fourFifthsFlag(4, 10, 5, 10)).toBe(false);
    expect(fourFifthsFlag(39, 100, 5, 10)).toBe(true);
  });

  it('excludes groups under 2% from the reference and the tests, but lists them', () => {
    // 1 of 100 applicants is 1/101 < 2% of the 101 applicants: listed with its rate (1.0), not the reference.
    const result = impactAnalysis([
      { group: 'big', applicants: 100, selected: 30 },
      { group: 'tiny', applicants: 1, selected: 1 },
    ]);
    expect(result.referenceGroup).toBe('big');
    expect(result.groups[1]).toMatchObject({ excluded: true, rate: 1, impactRatio: null, fisherP: null });
    expect(result.chiSquare).toBeNull();
  });

  it('never takes a withheld (suppressed) group as the reference', () => {
    const result = impactAnalysis([
      { group: 'a', applicants: 50, selected: 10 },
      { group: 'b', applicants: 4, selected: 4, withheld: true },
      { group: 'c', applicants: 50, selected: 20 },
    ]);
    expect(result.referenceGroup).toBe('c');
    expect(result.groups[1].impactRatio).toBeNull();
    expect(result.groups[0].impactRatio).toBeCloseTo(0.5, 12);
  });
});
