import {
  criterionLabel,
  formatCorrelation,
  formatInterval,
  formatNumber,
  formatNumberInterval,
  formatPValue,
  insufficientNote,
  formatPercent,
  formatSigned,
  sortByValidity,
  type ValidityRow,
} from './validity-format';

function row(criterion: string, r: number | null, sufficient = true): ValidityRow {
  return { criterion, r, sufficient };
}

describe('validity formatting', () => {
  it('labels criteria in plain words, keeping acronyms', () => {
    expect(criterionLabel('deployment_at_scale')).toBe('Deployment at scale');
    expect(criterionLabel('responsible_ai')).toBe('Responsible AI');
    expect(criterionLabel('fundamentals')).toBe('Fundamentals');
  });

  it('prints r with two decimals and no leading zero', () => {
    expect(formatCorrelation(0.4149)).toBe('.41');
    expect(formatCorrelation(-0.05)).toBe('-.05');
    expect(formatCorrelation(-0.001)).toBe('.00');
    expect(formatCorrelation(1)).toBe('1.00');
    expect(formatCorrelation(null)).toBe('—');
  });

  it('prints the interval and p in APA style', () => {
    expect(formatInterval(-0.351, 0.5)).toBe('[-.35, .50]');
    expect(formatInterval(null, 0.5)).toBe('—');
    expect(formatPValue(0.0000041)).toBe('<.001');
    expect(formatPValue(0.026)).toBe('.026');
    expect(formatPValue(0.9996)).toBe('>.999');
    expect(formatPValue(null)).toBe('—');
  });

  it('says "insufficient data" with the sample it has and the sample it needs', () => {
    expect(insufficientNote(12, 30)).toBe('insufficient data: 12 of the 30 hires needed');
    expect(insufficientNote(3, 5, 'candidates')).toBe('insufficient data: 3 of the 5 candidates needed');
  });

  it('sorts by r descending with missing r last', () => {
    const sorted = sortByValidity([row('a', 0.1), row('b', null), row('c', 0.3), row('d', -0.2)]);
    expect(sorted.map((item) => item.criterion)).toEqual(['c', 'a', 'd', 'b']);
  });
});

describe('number formatting', () => {
  it('signs differences, and formats numbers and percentages', () => {
    expect(formatSigned(0.321)).toBe('+0.32');
    expect(formatSigned(-0.15)).toBe('−0.15');
    expect(formatSigned(0.001)).toBe('0.00');
    expect(formatSigned(null)).toBe('—');
    expect(formatNumber(3.456)).toBe('3.46');
    expect(formatNumber(3.456, 1)).toBe('3.5');
    expect(formatPercent(0.734)).toBe('73%');
    expect(formatNumberInterval(3.1, 3.62)).toBe('[3.10, 3.62]');
    expect(formatNumberInterval(null, 3)).toBe('—');
  });

  it('prints small values with more digits when asked', () => {
    expect(formatCorrelation(0.0304, 3)).toBe('.030');
  });
});
