// Types only: a value import from the shared barrel would pull its zod record schemas into the bundle.
import type {
  BiasAuditGroup,
  BiasAuditReport,
  BiasAuditTable,
  FairnessGrouping,
  SelectionGroup,
} from '@hiresignal/shared';
import { criterionLabel, formatPValue } from '../validity/validity-format';

export const EMPTY = '—';

/** The four-fifths rule of thumb. */
export const FOUR_FIFTHS = 0.8;

/** Below this p a difference is called statistically significant on the screen (two-sided). */
export const ALPHA = 0.05;

/** What a suppressed cell says instead of any number. */
/**
 * What a suppressed cell says: the API does not tell which rule hid it (that would narrow its size), so the words
 * cover both: a count of fewer than k people, or one that would let such a count be worked out.
 */
export function suppressedText(k: number): string {
  return `suppressed: fewer than ${k} people, or would reveal such a group`;
}

/**
 * An impact ratio with two decimals ("0.72"); a dash when it does not apply. A flagged ratio that two decimals would
 * round up to "0.80" gets a third ("0.799"), so a flag never sits beside a number that looks like it passes.
 */
export function formatRatio(value: number | null | undefined, flagged = false): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return EMPTY;
  const fixed = value.toFixed(2);
  if (!flagged || Number(fixed) < FOUR_FIFTHS) return fixed;
  const three = value.toFixed(3);
  // 0.7995 would round to "0.800": rounded down instead, it reads "0.799".
  return Number(three) < FOUR_FIFTHS ? three : (Math.floor(value * 1000) / 1000).toFixed(3);
}

/** A rate as a percentage with one decimal ("41.7%"). */
export function formatRate(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return EMPTY;
  return `${(value * 100).toFixed(1)}%`;
}

export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return EMPTY;
  return value.toLocaleString('en-US');
}

/** p as "<.001", ".034", ">.999"; a dash when no test applies. */
export function formatP(value: number | null | undefined): string {
  return formatPValue(value);
}

/** A test statistic with two decimals. */
export function formatStat(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return EMPTY;
  return value.toFixed(digits);
}

export function isSignificant(p: number | null | undefined): boolean {
  return p !== null && p !== undefined && Number.isFinite(p) && p < ALPHA;
}

/** "significant" or "not significant" at .05, or null when there is no test. */
export function significanceWord(p: number | null | undefined): string | null {
  if (p === null || p === undefined || !Number.isFinite(p)) return null;
  return p < ALPHA ? 'significant' : 'not significant';
}

/** "hire" → "Hire decision", "recruiter_screen" → "Recruiter screen". */
export function decisionLabel(decision: string): string {
  return decision === 'hire' ? 'Hire decision' : criterionLabel(decision);
}

/** "composite" → "Composite (mean of all criteria)", else the criterion in plain words. */
export function criterionName(criterion: string): string {
  return criterion === 'composite' ? 'Composite (mean of all criteria)' : criterionLabel(criterion);
}

export const GROUPING_NOUNS: Record<FairnessGrouping, string> = {
  sex: 'sex',
  race_ethnicity: 'race/ethnicity',
  intersectional: 'sex and race/ethnicity',
};

/** How a group takes part in the comparison: one word for the table's status column. */
export type GroupStatus = 'reference' | 'flagged' | 'excluded' | 'suppressed' | 'compared';

export function selectionStatus(
  group: Pick<SelectionGroup, 'reference' | 'fourFifthsFlag' | 'excluded' | 'suppressed'>,
): GroupStatus {
  if (group.suppressed) return 'suppressed';
  if (group.excluded) return 'excluded';
  if (group.reference) return 'reference';
  return group.fourFifthsFlag ? 'flagged' : 'compared';
}

/**
 * The four-fifths flag of a bias-audit row, which has counts but no flag: exact when both counts are shown
 * (5 x selected_g x applicants_ref < 4 x selected_ref x applicants_g, so exactly 0.80 is not flagged), else from
 * the ratio. Never for the reference, an excluded or a suppressed group.
 */
export function auditBelowFourFifths(
  group: Pick<
    BiasAuditGroup,
    'applicants' | 'aboveMedian' | 'impactRatio' | 'excluded' | 'suppressed' | 'reference'
  >,
  reference: Pick<BiasAuditGroup, 'applicants' | 'aboveMedian'> | null | undefined,
): boolean {
  if (group.suppressed || group.excluded || group.reference || group.impactRatio === null) return false;
  if (
    reference &&
    reference.applicants !== null &&
    reference.aboveMedian !== null &&
    group.applicants !== null &&
    group.aboveMedian !== null
  ) {
    return 5 * group.aboveMedian * reference.applicants < 4 * reference.aboveMedian * group.applicants;
  }
  return group.impactRatio < FOUR_FIFTHS;
}

export function auditStatus(
  group: Pick<BiasAuditGroup, 'reference' | 'excluded' | 'suppressed'>,
  below: boolean,
): GroupStatus {
  if (group.suppressed) return 'suppressed';
  if (group.excluded) return 'excluded';
  if (group.reference) return 'reference';
  return below ? 'flagged' : 'compared';
}

export const STATUS_TEXT: Record<GroupStatus, string> = {
  reference: 'Reference (highest rate)',
  flagged: 'Below 0.8',
  excluded: 'Excluded: under 2% of applicants',
  suppressed: 'Suppressed',
  compared: 'At or above 0.8',
};

/** One cell of the "where gaps open" grid: what it says and how it is coloured. */
export interface HeatCell {
  text: string;
  /** A longer reading for screen readers and the tooltip. */
  detail: string;
  tone: 'flag' | 'near' | 'ok' | 'reference' | 'none';
}

export function heatCell(group: SelectionGroup | undefined, k: number, decision: string): HeatCell {
  const where = decisionLabel(decision);
  if (!group) return { text: EMPTY, detail: `${where}: no applicants in this group`, tone: 'none' };
  const name = group.label;
  if (group.suppressed)
    return {
      text: 'suppressed',
      detail: `${name} at ${where}: ${suppressedText(k)}`,
      tone: 'none',
    };
  if (group.excluded)
    return {
      text: 'excluded',
      detail: `${name} at ${where}: excluded, under 2% of the applicants (selection rate ${formatRate(group.selectionRate)})`,
      tone: 'none',
    };
  if (group.reference)
    return {
      text: '1.00 ref.',
      detail: `${name} at ${where}: the reference group, selection rate ${formatRate(group.selectionRate)}`,
      tone: 'reference',
    };
  if (group.impactRatio === null)
    return { text: EMPTY, detail: `${name} at ${where}: no impact ratio`, tone: 'none' };
  const ratio = formatRatio(group.impactRatio, group.fourFifthsFlag);
  const significance = significanceWord(group.fisherP);
  const tests = significance ? `, Fisher p ${formatP(group.fisherP)} (${significance})` : '';
  if (group.fourFifthsFlag)
    return {
      text: `${ratio} ▼`,
      detail: `${name} at ${where}: impact ratio ${ratio}, below 0.8${tests}`,
      tone: 'flag',
    };
  return {
    text: ratio,
    detail: `${name} at ${where}: impact ratio ${ratio}${tests}`,
    tone: group.impactRatio < 0.9 ? 'near' : 'ok',
  };
}

/** "All application dates", "Applied 2026-01-01 to 2026-06-30", "Applied from 2026-01-01", "Applied until …". */
export function dateRangeText(from: string | null, to: string | null): string {
  if (from && to) return `Applied ${from} to ${to}`;
  if (from) return `Applied from ${from}`;
  if (to) return `Applied until ${to}`;
  return 'All application dates';
}

/** A list in words: "a", "a and b", "a, b and c". */
export function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The union of the groups of several decisions, in order of first appearance: the rows of the stage grid. */
export function groupRows(
  decisions: readonly { groups: readonly SelectionGroup[] }[],
): { group: string; label: string }[] {
  const seen = new Map<string, string>();
  for (const decision of decisions) {
    for (const g of decision.groups) if (!seen.has(g.group)) seen.set(g.group, g.label);
  }
  return [...seen].map(([group, label]) => ({ group, label }));
}

/** Width of a bar on a 0..max axis as a CSS percentage, clamped. */
export function barPercent(value: number | null | undefined, max: number): number {
  if (value === null || value === undefined || !Number.isFinite(value) || max <= 0) return 0;
  return Math.round(Math.max(0, Math.min(1, value / max)) * 1000) / 10;
}

/** The six tables of the bias audit, in the order of the audit summary. */
export function auditTables(
  report: BiasAuditReport,
): { id: string; caption: string; kind: 'scoring' | 'selection'; table: BiasAuditTable }[] {
  const what =
    report.criterion === 'composite'
      ? 'composite score'
      : `${criterionLabel(report.criterion).toLowerCase()} score`;
  return [
    { id: 'scoring-sex', caption: `Scoring rates by sex: ${what}`, kind: 'scoring', table: report.bySex },
    {
      id: 'scoring-race',
      caption: `Scoring rates by race/ethnicity: ${what}`,
      kind: 'scoring',
      table: report.byRaceEthnicity,
    },
    {
      id: 'scoring-intersectional',
      caption: `Scoring rates by sex and race/ethnicity: ${what}`,
      kind: 'scoring',
      table: report.intersectional,
    },
    {
      id: 'selection-sex',
      caption: 'Selection rates (hired) by sex',
      kind: 'selection',
      table: report.selection.bySex,
    },
    {
      id: 'selection-race',
      caption: 'Selection rates (hired) by race/ethnicity',
      kind: 'selection',
      table: report.selection.byRaceEthnicity,
    },
    {
      id: 'selection-intersectional',
      caption: 'Selection rates (hired) by sex and race/ethnicity',
      kind: 'selection',
      table: report.selection.intersectional,
    },
  ];
}

/** One sentence per bias-audit table with a group below four-fifths; a single sentence when there is none. */
export function auditSummary(tables: readonly { caption: string; table: BiasAuditTable }[]): string[] {
  const lines = tables.flatMap(({ caption, table }) => {
    const reference = table.groups.find((g) => g.reference);
    const below = table.groups.filter((g) => auditBelowFourFifths(g, reference));
    if (below.length === 0) return [];
    const named = below.slice(0, 3).map((g) => `${g.label} ${formatRatio(g.impactRatio, true)}`);
    const more = below.length > 3 ? [`${below.length - 3} more`] : [];
    return [`${caption}: ${listInWords([...named, ...more])} below 0.8.`];
  });
  return lines.length > 0 ? lines : ['No group is below 0.8 in any of the six tables.'];
}
