import { buildReliabilityReport, meanWithTInterval, RELIABILITY_METHOD } from './calibration-reports';

describe('meanWithTInterval', () => {
  it('uses the t quantile on n - 1 df', () => {
    // t(.975, 5) = 2.570582
    const e = meanWithTInterval(6, 5 / 6, Math.sqrt(1 / 6));
    expect(e?.ciLow).toBeCloseTo(5 / 6 - (2.570582 * Math.sqrt(1 / 6)) / Math.sqrt(6), 5);
    expect(meanWithTInterval(1, 0.5, null)).toEqual({ value: 0.5, ciLow: null, ciHigh: null });
    expect(meanWithTInterval(0, null, null)).toBeNull();
  });
});

describe('buildReliabilityReport', () => {
  it('expands compressed units and computes the two-way ICCs on the panel block only', () => {
    const report = buildReliabilityReport({
      filters: {},
      dataVersion: '1',
      criteria: [{ key: 'a', label: 'A' }],
      rows: [
        { kind: 'values', criterion: 'a', ratings: [1, 2], n: 2, panel: null },
        { kind: 'values', criterion: 'a', ratings: [3, 4], n: 2, panel: null },
        { kind: 'values', criterion: 'a', ratings: [2], n: 1, panel: null },
        { kind: 'panel', criterion: 'a', ratings: [1, 2], n: 1, panel: ['x', 'y'] },
        { kind: 'panel', criterion: 'a', ratings: [2, 1], n: 1, panel: ['x', 'y'] },
        { kind: 'panel', criterion: 'a', ratings: [3, 4], n: 1, panel: ['x', 'y'] },
        { kind: 'panel', criterion: 'a', ratings: [4, 3], n: 1, panel: ['x', 'y'] },
      ],
    });
    const [a] = report.criteria;
    expect(a).toMatchObject({ nCandidates: 5, nRatings: 9, meanRatersPerCandidate: 9 / 5 });
    expect(a.twoWay).toEqual({ interviewers: ['x', 'y'], nCandidates: 4 });
    expect(a.icc11?.value).toBeGreaterThan(0);
    expect(a.icc21?.value).toBeGreaterThan(0);
    expect(a.alphaInterval).not.toBeNull();
  });
});

describe('RELIABILITY_METHOD', () => {
  it('is plain text for the screen, without markdown', () => {
    expect(RELIABILITY_METHOD).not.toMatch(/`|\*\*/);
    expect(RELIABILITY_METHOD).toContain('most common panel');
  });
});
