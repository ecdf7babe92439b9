import type { CriterionValidityDetail } from '@hiresignal/shared';
import {
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
    expect(report.settings).toEqual({
      criterionReliability: 0.52,
      successThreshold: 4,
      minimumSample: 25,
      smallCellK: 5,
    });
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

  it('picks the corrected r the API computed', () => {
    const row = detail({ rRangeCorrected: 0.42, rOperational: 0.55 });
    expect(correctedR(row, 'none')).toBe(0.3);
    expect(correctedR(row, 'range')).toBe(0.42);
    expect(correctedR(row, 'operational')).toBe(0.55);
  });

  it('shows the interval the API computed for the chosen correction, never one of its own', () => {
    const row = detail({
      ciLow: 0.05,
      ciHigh: 0.51,
      rRangeCorrectedCiLow: 0.07,
      rRangeCorrectedCiHigh: 0.66,
      rOperationalCiLow: 0.1,
      rOperationalCiHigh: 0.8,
    });
    expect(correctedInterval(row, 'none')).toEqual([0.05, 0.51]);
    expect(correctedInterval(row, 'range')).toEqual([0.07, 0.66]);
    expect(correctedInterval(row, 'operational')).toEqual([0.1, 0.8]);
    // An API answer without the corrected interval (an older API, or no applicant SD): no interval is drawn.
    expect(
      correctedInterval(detail({ ciLow: 0.1, ciHigh: 0.4, applicantSd: 0.9, hiredSd: 0.6 }), 'range'),
    ).toBeNull();
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
