import type { CriterionValidityDetail } from '@hiresignal/shared';
import {
  caseTwo,
  correctedInterval,
  correctedR,
  normalizeValidity,
  sortByMeasure,
  strengthWord,
} from './validity-report';

function detail(overrides: Partial<CriterionValidityDetail> = {}): CriterionValidityDetail {
  return normalizeValidity(
    { criteria: [{ criterion: 'fundamentals', n: 60, r: 0.3, ...overrides }] },
    'performance',
  ).criteria[0];
}

describe('validity report', () => {
  it('reads the older, smaller answer of the API with defaults for what it lacks', () => {
    const report = normalizeValidity(
      {
        outcome: 'performance',
        minimumSample: 25,
        rubric: null,
        criteria: [
          {
            criterion: 'responsible_ai',
            n: 12,
            r: 0.09,
            ciLow: -0.5,
            ciHigh: 0.6,
            pValue: 0.7,
            sufficient: false,
          },
        ],
      },
      'performance',
    );
    expect(report.settings).toEqual({ criterionReliability: 0.52, successThreshold: 4, minimumSample: 25 });
    expect(report.composite).toBeNull();
    expect(report.regression).toBeNull();
    expect(report.byCohort).toEqual([]);
    expect(report.nHires).toBe(12);
    const row = report.criteria[0];
    expect(row.label).toBe('Responsible AI');
    expect(row.rRangeCorrected).toBeNull();
    expect(row.byScoreLevel).toEqual([]);
  });

  it('keeps the full contract as sent', () => {
    const report = normalizeValidity(
      {
        settings: { criterionReliability: 0.6, successThreshold: 3.5, minimumSample: 40 },
        criteria: [{ criterion: 'ownership', label: 'End-to-end ownership', n: 50, r: 0.2 }],
        composite: { criterion: 'composite', n: 50, r: 0.4 },
        byCohort: [],
      },
      'success',
    );
    expect(report.outcome).toBe('success');
    expect(report.settings.minimumSample).toBe(40);
    expect(report.criteria[0].label).toBe('End-to-end ownership');
    expect(report.composite?.r).toBe(0.4);
  });

  it('applies Thorndike Case II', () => {
    expect(caseTwo(0.3, 1)).toBeCloseTo(0.3, 10);
    expect(caseTwo(0.3, 1.5)).toBeCloseTo((0.3 * 1.5) / Math.sqrt(1 + 0.09 * 1.25), 10);
  });

  it('picks the corrected r the API computed', () => {
    const row = detail({ rRangeCorrected: 0.42, rOperational: 0.55 });
    expect(correctedR(row, 'none')).toBe(0.3);
    expect(correctedR(row, 'range')).toBe(0.42);
    expect(correctedR(row, 'operational')).toBe(0.55);
  });

  it('corrects the ends of the observed interval the same way', () => {
    const row = detail({ ciLow: 0.05, ciHigh: 0.51, applicantSd: 0.9, hiredSd: 0.6 });
    expect(correctedInterval(row, 'none', 0.52)).toEqual([0.05, 0.51]);
    const [low, high] = correctedInterval(row, 'range', 0.52) ?? [NaN, NaN];
    expect(low).toBeCloseTo(caseTwo(0.05, 1.5), 10);
    expect(high).toBeCloseTo(caseTwo(0.51, 1.5), 10);
    const [opLow] = correctedInterval(row, 'operational', 0.52) ?? [NaN];
    expect(opLow).toBeCloseTo(caseTwo(0.05 / Math.sqrt(0.52), 1.5), 10);
    const [, opHigh] =
      correctedInterval(
        detail({ ciLow: 0.5, ciHigh: 0.95, applicantSd: 0.9, hiredSd: 0.6 }),
        'operational',
        0.52,
      ) ?? [];
    expect(opHigh).toBe(1);
    expect(correctedInterval(detail({ ciLow: 0.1, ciHigh: 0.4 }), 'range', 0.52)).toBeNull();
  });

  it('sorts by the chosen measure, missing values last', () => {
    const rows = [
      { criterion: 'a', v: 0.1 },
      { criterion: 'b', v: null },
      { criterion: 'c', v: 0.3 },
      { criterion: 'd', v: 0.3 },
    ];
    expect(sortByMeasure(rows, (row) => row.v).map((row) => row.criterion)).toEqual(['c', 'd', 'a', 'b']);
  });

  it('names the strength of a correlation', () => {
    expect(strengthWord(0.05)).toBe('negligible');
    expect(strengthWord(-0.2)).toBe('weak');
    expect(strengthWord(0.35)).toBe('moderate');
    expect(strengthWord(0.6)).toBe('strong');
    expect(strengthWord(null)).toBe('unknown');
  });
});
