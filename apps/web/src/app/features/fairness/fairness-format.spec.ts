import type { SelectionGroup } from '@hiresignal/shared';
import {
  auditBelowFourFifths,
  auditSummary,
  auditTables,
  auditStatus,
  barPercent,
  dateRangeText,
  decisionLabel,
  formatP,
  formatRate,
  formatRatio,
  groupRows,
  heatCell,
  listInWords,
  selectionStatus,
  significanceWord,
  suppressedText,
} from './fairness-format';

function group(patch: Partial<SelectionGroup>): SelectionGroup {
  return {
    group: 'female',
    label: 'Female',
    applicants: 100,
    selected: 30,
    selectionRate: 0.3,
    impactRatio: 0.75,
    fourFifthsFlag: true,
    fisherP: 0.004,
    zP: 0.003,
    excluded: false,
    suppressed: false,
    reference: false,
    ...patch,
  };
}

describe('fairness formatting', () => {
  it('says why a suppressed cell has no number, never a count', () => {
    expect(suppressedText(5)).toBe('suppressed: fewer than 5 people, or would reveal such a group');
    expect(suppressedText(10)).toBe('suppressed: fewer than 10 people, or would reveal such a group');
    expect(suppressedText(5)).not.toMatch(/\d+ (applicants|selected)/);
  });

  it('prints ratios, rates and p-values, with a dash when nothing applies', () => {
    expect(formatRatio(0.7512)).toBe('0.75');
    expect(formatRatio(null)).toBe('—');
    // A flagged 0.7989 is not shown as "0.80"; an unflagged exact 0.80 is.
    expect(formatRatio(0.7989, true)).toBe('0.799');
    expect(formatRatio(0.79951, true)).toBe('0.799');
    expect(formatRatio(0.8, false)).toBe('0.80');
    expect(formatRatio(0.75, true)).toBe('0.75');
    expect(formatRate(0.41666)).toBe('41.7%');
    expect(formatRate(undefined)).toBe('—');
    expect(formatP(0.0004)).toBe('<.001');
    expect(formatP(0.0342)).toBe('.034');
    expect(formatP(null)).toBe('—');
    expect(significanceWord(0.049)).toBe('significant');
    expect(significanceWord(0.05)).toBe('not significant');
    expect(significanceWord(null)).toBeNull();
  });

  it('names decisions in plain words', () => {
    expect(decisionLabel('hire')).toBe('Hire decision');
    expect(decisionLabel('inference_latency')).toBe('Inference latency');
  });

  it('gives each group one status, suppression first', () => {
    expect(selectionStatus(group({}))).toBe('flagged');
    expect(selectionStatus(group({ fourFifthsFlag: false }))).toBe('compared');
    expect(selectionStatus(group({ reference: true, fourFifthsFlag: false }))).toBe('reference');
    expect(selectionStatus(group({ excluded: true }))).toBe('excluded');
    expect(selectionStatus(group({ excluded: true, suppressed: true }))).toBe('suppressed');
  });

  it('flags a bias-audit row below four-fifths exactly from its counts (UGESP Q&A rates)', () => {
    // Uniform Guidelines Questions and Answers (Q. 12): rates 60% (reference), 45%, 48%, 51%: ratios .75, .80, .85.
    const reference = { applicants: 100, aboveMedian: 60 };
    const row = (above: number, ratio: number) => ({
      applicants: 100,
      aboveMedian: above,
      impactRatio: ratio,
      excluded: false,
      suppressed: false,
      reference: false,
    });
    expect(auditBelowFourFifths(row(45, 0.75), reference)).toBe(true);
    // Exactly 0.80 is not flagged (5 x 48 x 100 = 4 x 60 x 100).
    expect(auditBelowFourFifths(row(48, 0.8), reference)).toBe(false);
    expect(auditBelowFourFifths(row(51, 0.85), reference)).toBe(false);
    // A rounded ratio of .80 that is really .7999 is flagged from the counts.
    expect(auditBelowFourFifths({ ...row(0, 0.8), applicants: 10000, aboveMedian: 4799 }, reference)).toBe(
      true,
    );
    // Without the reference's counts, the ratio decides.
    expect(auditBelowFourFifths(row(45, 0.75), null)).toBe(true);
    expect(auditBelowFourFifths({ ...row(45, 0.75), suppressed: true }, reference)).toBe(false);
    expect(auditBelowFourFifths({ ...row(45, 0.75), excluded: true }, reference)).toBe(false);
    expect(auditStatus({ reference: false, excluded: false, suppressed: false }, true)).toBe('flagged');
    expect(auditStatus({ reference: true, excluded: false, suppressed: false }, false)).toBe('reference');
  });

  it('fills the stage grid with words for suppressed and excluded cells', () => {
    expect(heatCell(group({}), 5, 'system_design')).toEqual({
      text: '0.75 ▼',
      detail: 'Female at System design: impact ratio 0.75, below 0.8, Fisher p .004 (significant)',
      tone: 'flag',
    });
    expect(heatCell(group({ fourFifthsFlag: false, impactRatio: 0.85, fisherP: 0.3 }), 5, 'hire').tone).toBe(
      'near',
    );
    expect(heatCell(group({ fourFifthsFlag: false, impactRatio: 0.95 }), 5, 'hire').tone).toBe('ok');
    expect(heatCell(group({ reference: true, fourFifthsFlag: false, impactRatio: 1 }), 5, 'hire').text).toBe(
      '1.00 ref.',
    );
    const suppressed = heatCell(
      group({ suppressed: true, applicants: null, selected: null, selectionRate: null, impactRatio: null }),
      5,
      'hire',
    );
    expect(suppressed.text).toBe('suppressed');
    expect(suppressed.detail).toBe(
      'Female at Hire decision: suppressed: fewer than 5 people, or would reveal such a group',
    );
    expect(heatCell(group({ excluded: true, impactRatio: null }), 5, 'hire').text).toBe('excluded');
    expect(heatCell(undefined, 5, 'hire').text).toBe('—');
  });

  it('unites the groups of every decision in order of first appearance', () => {
    expect(
      groupRows([
        { groups: [group({ group: 'male', label: 'Male' }), group({})] },
        { groups: [group({}), group({ group: 'another', label: 'Another' })] },
      ]),
    ).toEqual([
      { group: 'male', label: 'Male' },
      { group: 'female', label: 'Female' },
      { group: 'another', label: 'Another' },
    ]);
  });

  it('describes the date range and lists in words', () => {
    expect(dateRangeText(null, null)).toBe('All application dates');
    expect(dateRangeText('2026-01-01', '2026-06-30')).toBe('Applied 2026-01-01 to 2026-06-30');
    expect(dateRangeText('2026-01-01', null)).toBe('Applied from 2026-01-01');
    expect(dateRangeText(null, '2026-06-30')).toBe('Applied until 2026-06-30');
    expect(listInWords(['a'])).toBe('a');
    expect(listInWords(['a', 'b', 'c'])).toBe('a, b and c');
  });

  it('sizes bars on the axis, clamped', () => {
    expect(barPercent(0.72, 1)).toBe(72);
    expect(barPercent(1.4, 1)).toBe(100);
    expect(barPercent(-0.1, 1)).toBe(0);
    expect(barPercent(null, 1)).toBe(0);
  });

  it('lists the six bias-audit tables with captions naming the score', () => {
    const table = { unknown: 0, referenceGroup: null, groups: [] };
    const report = {
      criterion: 'deployment_at_scale',
      bySex: table,
      byRaceEthnicity: table,
      intersectional: table,
      selection: { bySex: table, byRaceEthnicity: table, intersectional: table },
    } as unknown as Parameters<typeof auditTables>[0];
    const tables = auditTables(report);
    expect(tables.map((t) => t.kind)).toEqual([
      'scoring',
      'scoring',
      'scoring',
      'selection',
      'selection',
      'selection',
    ]);
    expect(tables[0]?.caption).toBe('Scoring rates by sex: deployment at scale score');
    expect(auditTables({ ...report, criterion: 'composite' })[2]?.caption).toBe(
      'Scoring rates by sex and race/ethnicity: composite score',
    );
  });

  it('summarizes the bias-audit tables in words', () => {
    const g = (group: string, applicants: number, above: number, ratio: number, reference = false) => ({
      group,
      label: group,
      applicants,
      aboveMedian: above,
      scoringRate: above / applicants,
      impactRatio: ratio,
      excluded: false,
      suppressed: false,
      reference,
    });
    const table = {
      unknown: 3,
      referenceGroup: 'a',
      groups: [g('a', 100, 60, 1, true), g('b', 100, 45, 0.75), g('c', 100, 48, 0.8)],
    };
    expect(auditSummary([{ caption: 'By sex', table }])).toEqual(['By sex: b 0.75 below 0.8.']);
    expect(
      auditSummary([{ caption: 'By sex', table: { ...table, groups: table.groups.slice(0, 1) } }]),
    ).toEqual(['No group is below 0.8 in any of the six tables.']);
  });
});
