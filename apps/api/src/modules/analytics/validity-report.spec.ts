import { byScoreLevel, buildValidityReport, compositeScore, criterionDetail } from './validity-report';

const settings = { criterionReliability: 0.52, successThreshold: 4, minimumSample: 30 };
const scale = { scaleMin: 1, scaleMax: 4 };

describe('criterionDetail', () => {
  it('gives observed, Case II and operational validity with U = applicant SD / hired SD', () => {
    const xs = [1, 2, 3, 4, 2, 3];
    const ys = [2, 3, 3, 5, 2, 4];
    const d = criterionDetail({
      criterion: 'c',
      label: 'C',
      xs,
      ys,
      binary: false,
      outcome: 'performance',
      nApplicants: 100,
      applicantSd: 1.5,
      settings,
      scale,
    });
    const r = d.r as number;
    const u = 1.5 / (d.hiredSd as number);
    expect(d.rRangeCorrected).toBeCloseTo((r * u) / Math.sqrt(1 + r * r * (u * u - 1)), 12);
    const rp = Math.min(1, r / Math.sqrt(0.52));
    expect(d.rOperational).toBeCloseTo((rp * u) / Math.sqrt(1 + rp * rp * (u * u - 1)), 12);
    expect(d).toMatchObject({ n: 6, nApplicants: 100, auc: null, pointBiserial: null, sufficient: false });
    expect(d.nNeededR20).toBe(194);
    expect(d.nNeededR30).toBe(85);
  });

  it('gives AUC and point-biserial r for binary outcomes, and nulls where undefined', () => {
    const d = criterionDetail({
      criterion: 'c',
      label: 'C',
      xs: [1, 2, 2, 3],
      ys: [0, 0, 1, 1],
      binary: true,
      outcome: 'success',
      nApplicants: 4,
      applicantSd: null,
      settings,
      scale,
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
