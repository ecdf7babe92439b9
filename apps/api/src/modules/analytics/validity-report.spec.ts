import {
  byScoreLevel,
  buildValidityReport,
  cohorts,
  compositeScore,
  criterionDetail,
  regressionSummary,
} from './validity-report';

const settings = { criterionReliability: 0.52, successThreshold: 4, minimumSample: 30, smallCellK: 5 };
const scale = { scaleMin: 1, scaleMax: 4 };

/** criterionDetail of one criterion, a continuous outcome and these settings unless the test says otherwise. */
function detail(input: Partial<Parameters<typeof criterionDetail>[0]> & { xs: number[]; ys: number[] }) {
  return criterionDetail({
    criterion: 'c',
    label: 'C',
    binary: false,
    outcome: 'performance',
    nApplicants: 100,
    applicantSd: 1.5,
    settings,
    scale,
    ...input,
  });
}

describe('criterionDetail', () => {
  it('gives observed, Case II and operational validity with U = applicant SD / hired SD', () => {
    const xs = [1, 2, 3, 4, 2, 3];
    const ys = [2, 3, 3, 5, 2, 4];
    const d = detail({ xs, ys });
    const r = d.r as number;
    const u = 1.5 / (d.hiredSd as number);
    expect(d.rRangeCorrected).toBeCloseTo((r * u) / Math.sqrt(1 + r * r * (u * u - 1)), 12);
    const rp = Math.min(1, r / Math.sqrt(0.52));
    expect(d.rOperational).toBeCloseTo((rp * u) / Math.sqrt(1 + rp * rp * (u * u - 1)), 12);
    expect(d).toMatchObject({ n: 6, nApplicants: 100, auc: null, pointBiserial: null, sufficient: false });
    expect(d.nNeededR20).toBe(194);
    expect(d.nNeededR30).toBe(85);
  });

  it('gives intervals for the corrected r by correcting the ends of the observed interval (hand calculation)', () => {
    /*
     * Hand calculation. xs = 1..5 and ys = 2, 4, 1, 3, 5, each pair twice (n = 10): deviations dx = -2..2,
     * dy = -1, 1, -2, 0, 2; Σ dx dy = 2 - 1 + 0 + 0 + 4 = 5 and Σ dx² = Σ dy² = 10 per copy, so r = 10 / 20 = .5.
     * Fisher z: atanh .5 = 0.549306, SE = 1 / sqrt(10 - 3) = 0.377964, half-width 1.959964 * SE = 0.740797;
     * z ends -0.191491 and 1.290103, so ciLow = tanh(-0.191491) = -0.189184, ciHigh = tanh(1.290103) = 0.859153.
     * hiredSd = sqrt(20 / 9) = 1.490712; applicantSd = 1.5 * hiredSd, so U = 1.5 and U² - 1 = 1.25.
     * Case II on each end, r U / sqrt(1 + 1.25 r²) (Hunter and Schmidt 2004, ch. 3: the interval of a corrected
     * correlation is the observed interval with both ends corrected the same way):
     *   low  -0.283776 / sqrt(1.044739) = -0.277633;  high 1.288730 / sqrt(1.922681) = 0.929412.
     * Operational with r_yy = .81 (sqrt .9): ends / .9 = -0.210204 and 0.954615, then Case II:
     *   low  -0.315306 / sqrt(1.055232) = -0.306944;  high 1.431922 / sqrt(2.139112) = 0.979045.
     */
    const xs = [1, 2, 3, 4, 5, 1, 2, 3, 4, 5];
    const ys = [2, 4, 1, 3, 5, 2, 4, 1, 3, 5];
    const d = detail({
      xs,
      ys,
      applicantSd: 1.5 * Math.sqrt(20 / 9),
      settings: { ...settings, criterionReliability: 0.81 },
      scale: { scaleMin: 1, scaleMax: 5 },
    });
    expect(d.r).toBeCloseTo(0.5, 12);
    expect(d.ciLow).toBeCloseTo(-0.189184, 6);
    expect(d.ciHigh).toBeCloseTo(0.859153, 6);
    expect(d.rRangeCorrectedCiLow).toBeCloseTo(-0.277633, 6);
    expect(d.rRangeCorrectedCiHigh).toBeCloseTo(0.929412, 6);
    expect(d.rOperationalCiLow).toBeCloseTo(-0.306944, 6);
    expect(d.rOperationalCiHigh).toBeCloseTo(0.979045, 6);
    // The point estimates sit inside their intervals: Case II of .5 is 0.654654, operational 0.707894.
    expect(d.rRangeCorrected).toBeCloseTo(0.654654, 6);
    expect(d.rOperational).toBeCloseTo(0.707894, 6);
  });

  it('has no corrected intervals without U, and no operational interval for retention', () => {
    const base = { xs: [1, 2, 3, 4, 5], ys: [0, 1, 0, 1, 1], binary: true, nApplicants: 10 };
    const noU = detail({ ...base, outcome: 'success', applicantSd: null });
    expect([noU.rRangeCorrectedCiLow, noU.rRangeCorrectedCiHigh, noU.rOperationalCiLow]).toEqual([
      null,
      null,
      null,
    ]);
    const retention = detail({ ...base, outcome: 'retention', applicantSd: 2 });
    expect(retention.rRangeCorrectedCiLow).not.toBeNull();
    expect([retention.rOperational, retention.rOperationalCiLow, retention.rOperationalCiHigh]).toEqual([
      null,
      null,
      null,
    ]);
  });

  it('gives AUC and point-biserial r for binary outcomes, and nulls where undefined', () => {
    const d = detail({
      xs: [1, 2, 2, 3],
      ys: [0, 0, 1, 1],
      binary: true,
      outcome: 'success',
      nApplicants: 4,
      applicantSd: null,
    });
    // positives {2, 3} vs negatives {1, 2}: 1 + .5 + 1 + 1 = 3.5 of 4 pairs
    expect(d.auc).toBeCloseTo(0.875, 12);
    expect(d.pointBiserial).toBeCloseTo(d.r as number, 12);
    expect(d.rRangeCorrected).toBeNull();
  });
});

describe('byScoreLevel and compositeScore', () => {
  it('groups by rounded score level with a Wilson interval for proportions', () => {
    const levels = byScoreLevel([1.2, 1.4, 3.6, 3.9], [1, 0, 1, 1], true, scale);
    expect(levels.map((l) => [l.score, l.n, l.mean])).toEqual([
      [1, 2, 0.5],
      [4, 2, 1],
    ]);
    expect(levels[1].ciHigh).toBe(1);
    expect(levels[1].ciLow as number).toBeGreaterThan(0);
  });

  it('averages the scored criteria only', () => {
    expect(compositeScore([2, null, 4])).toBe(3);
    expect(compositeScore([null, null])).toBeNull();
  });
});

describe('buildValidityReport', () => {
  it('counts too-recent hires and leaves them out of the hired sample', () => {
    const report = buildValidityReport({
      outcome: 'performance',
      filters: {},
      rubric: { name: 'R', version: 1, scaleMin: 1, scaleMax: 4, criteria: [{ key: 'a', label: 'A' }] },
      settings,
      dataVersion: '3',
      asOf: new Date('2026-01-01T00:00:00Z'),
      computedAt: new Date('2026-01-01T00:00:00Z'),
      pool: { nApplicants: 5, n: [5, 5], sd: [1, 1], haloR: [[null]], haloN: [[0]] },
      hires: [1, 2, 3, 4].map((x, i) => ({
        applicationId: `h${i}`,
        hiredAt: new Date('2025-02-01T00:00:00Z'),
        scores: [x],
        latestRating: i === 3 ? null : x + 1,
        separatedAt: null,
        separationType: null,
      })),
    });
    expect(report).toMatchObject({ nHires: 4, nExcludedTooRecent: 1, nApplicants: 5 });
    expect(report.criteria[0].n).toBe(3);
    expect(report.composite?.criterion).toBe('composite');
    expect(report.byCohort).toEqual([
      expect.objectContaining({ cohort: '2025-Q1', nHires: 4, composite: expect.objectContaining({ n: 3 }) }),
    ]);
  });
});

describe('regressionSummary recommendation', () => {
  it('names criteria by their rubric labels, not their keys', () => {
    // y = x1 + x2 exactly on 40 hires with x1, x2 uncorrelated-ish: the model is significant and both predictors count.
    const judged = Array.from({ length: 40 }, (_, i) => {
      const x1 = 1 + (i % 4);
      const x2 = 1 + (Math.floor(i / 4) % 4);
      const noise = ((i * 7) % 5) / 10;
      return {
        row: {
          applicationId: `h${i}`,
          hiredAt: null,
          scores: [x1, x2],
          latestRating: null,
          separatedAt: null,
          separationType: null,
        },
        y: x1 + 2 * x2 + noise,
      };
    });
    const summary = regressionSummary(
      [
        { key: 'deployment_at_scale', label: 'Deployment at scale' },
        { key: 'fundamentals', label: 'Fundamentals' },
      ],
      judged,
      30,
    );
    expect(summary?.recommendation).toMatch(
      /^Suggested weights \(relative importance\): Fundamentals \d+%, Deployment at scale \d+%\.$/,
    );
    expect(summary?.predictors.map((p) => p.criterion)).toEqual(['deployment_at_scale', 'fundamentals']);
  });

  it('gives a criterion whose scores go with worse outcomes 0% and says why', () => {
    // y falls one point per point of the third criterion's score: its r and beta are negative.
    const judged = Array.from({ length: 48 }, (_, i) => {
      const x1 = 1 + (i % 4);
      const x2 = 1 + (Math.floor(i / 4) % 4);
      const x3 = 1 + (Math.floor(i / 16) % 3);
      return {
        row: {
          applicationId: `h${i}`,
          hiredAt: null,
          scores: [x1, x2, x3],
          latestRating: null,
          separatedAt: null,
          separationType: null,
        },
        y: x1 + 2 * x2 - x3 + ((i * 7) % 5) / 10,
      };
    });
    const summary = regressionSummary(
      [
        { key: 'deployment_at_scale', label: 'Deployment at scale' },
        { key: 'fundamentals', label: 'Fundamentals' },
        { key: 'responsible_ai', label: 'Responsible AI' },
      ],
      judged,
      30,
    );
    const third = summary?.predictors.find((p) => p.criterion === 'responsible_ai');
    expect(third?.beta).toBeLessThan(0);
    expect(third?.relativeWeight).toBeGreaterThan(0);
    expect(third).toMatchObject({ recommended: false, recommendedWeight: 0 });
    const kept = summary?.predictors.filter((p) => p.recommended) ?? [];
    expect(kept.map((p) => p.criterion)).toEqual(['deployment_at_scale', 'fundamentals']);
    expect(kept.reduce((a, p) => a + p.recommendedWeight, 0)).toBeCloseTo(1, 12);
    expect(summary?.recommendation).toMatch(
      /^Suggested weights \(relative importance\): Fundamentals \d+%, Deployment at scale \d+%\. Not recommended: Responsible AI \(0%\)\. Its scores go with worse outcomes once the other criteria are known; consider dropping it or checking whether it is scored the wrong way round\.$/,
    );
  });
});

describe('regressionSummary when the model does not predict', () => {
  it('advises equal weights and writes p with three decimals, so .053 does not read as .05', () => {
    // A weak relation (r = .21, t = 1.25 on 34 df, p about .22): y cycles with period 3, plus one every eighth hire.
    const judged = Array.from({ length: 36 }, (_, i) => ({
      row: {
        applicationId: `h${i}`,
        hiredAt: null,
        scores: [1 + (i % 4)],
        latestRating: null,
        separatedAt: null,
        separationType: null,
      },
      y: 1 + (i % 3) + (i % 8 === 3 ? 1 : 0),
    }));
    const summary = regressionSummary([{ key: 'fundamentals', label: 'Fundamentals' }], judged, 30);
    if (!summary) throw new Error('no model');
    expect(summary.pValue).toBeGreaterThan(0.05);
    expect(summary.pValue).toBeLessThan(0.999);
    const match =
      /^The criteria together do not predict the outcome reliably yet \(p = (\.\d{3})\): keep equal weights\.$/.exec(
        summary.recommendation,
      );
    expect(Number(`0${match?.[1]}`)).toBeCloseTo(summary.pValue, 3);
  });
});

describe('cohorts', () => {
  it("flags each quarter against the organization's minimum sample", () => {
    const hire = (i: number, hiredAt: string) => ({
      applicationId: `h${i}`,
      hiredAt: new Date(hiredAt),
      scores: [1 + (i % 4)],
      latestRating: 1 + ((i * 3) % 5),
      separatedAt: null,
      separationType: null,
    });
    // 2024-Q1: 5 hires with outcomes; 2024-Q2: 3 hires.
    const hires = [
      ...[0, 1, 2, 3, 4].map((i) => hire(i, '2024-02-01T00:00:00Z')),
      ...[5, 6, 7].map((i) => hire(i, '2024-05-01T00:00:00Z')),
    ];
    const judged = hires.map((row) => ({ row, composite: row.scores[0], y: row.latestRating }));
    const result = cohorts(hires, judged, ['a'], 4);
    expect(
      result.map((c) => [c.cohort, c.nHires, c.sufficient, c.composite.sufficient, c.criteria[0].sufficient]),
    ).toEqual([
      ['2024-Q1', 5, true, true, true],
      ['2024-Q2', 3, false, false, false],
    ]);
  });
});
