import {
  RACE_ETHNICITIES,
  SEXES,
  type AdverseImpactReport,
  type BiasAuditGroup,
  type BiasAuditTable,
  type FairnessGrouping,
  type GroupValidity,
  type DifferentialValidityReport,
  type SelectionGroup,
} from '@hiresignal/shared';
import {
  clearyDifferentialPrediction,
  compareCorrelations,
  correlationHeterogeneity,
  correlationInference,
  impactAnalysis,
  pearson,
} from '@hiresignal/stats';
import { intersectionalKey, suppressFairnessTables, type SuppressionReason } from './fairness-suppression';

/*
 * The fairness reports from aggregate counts, pure (PRODUCT.md "Fairness definitions"). Groups: sex, race/ethnicity
 * and sex x race/ethnicity; unknown (no demographics row, missing or declined) is counted and shown, never part of a
 * ratio, a test or the 2% base. Suppression (fairness-suppression.ts) is decided over the three groupings of one
 * table together, so no combination of the three answers recovers a suppressed cell.
 */

/** One cell of a decision's sex x race/ethnicity cross-tabulation; null = unknown. */
export interface DecisionCell {
  sex: string | null;
  race: string | null;
  applicants: number;
  selected: number;
}

const SEX_LABELS: Record<string, string> = { female: 'Female', male: 'Male', another: 'Another sex' };
const RACE_LABELS: Record<string, string> = {
  hispanic_or_latino: 'Hispanic or Latino',
  white: 'White',
  black_or_african_american: 'Black or African American',
  native_hawaiian_or_other_pacific_islander: 'Native Hawaiian or Other Pacific Islander',
  asian: 'Asian',
  american_indian_or_alaska_native: 'American Indian or Alaska Native',
  two_or_more_races: 'Two or more races',
};

export function groupLabel(grouping: FairnessGrouping, group: string): string {
  if (grouping === 'sex') return SEX_LABELS[group] ?? group;
  if (grouping === 'race_ethnicity') return RACE_LABELS[group] ?? group;
  const [sex, race] = group.split('|');
  return `${SEX_LABELS[sex] ?? sex}, ${RACE_LABELS[race] ?? race}`;
}

/** The group of a cell under a grouping; null = unknown. */
export function groupOf(grouping: FairnessGrouping, sex: string | null, race: string | null): string | null {
  if (grouping === 'sex') return sex;
  if (grouping === 'race_ethnicity') return race;
  return sex !== null && race !== null ? intersectionalKey(sex, race) : null;
}

const order = (list: readonly string[], value: string) => {
  const i = list.indexOf(value);
  return i < 0 ? list.length : i;
};

/** Canonical order: sexes as SEXES, races as RACE_ETHNICITIES, intersectional by sex then race. */
function compareGroups(grouping: FairnessGrouping, a: string, b: string): number {
  const [sa, ra] = grouping === 'race_ethnicity' ? ['', a] : a.split('|');
  const [sb, rb] = grouping === 'race_ethnicity' ? ['', b] : b.split('|');
  return (
    order(SEXES, sa) - order(SEXES, sb) ||
    order(RACE_ETHNICITIES, ra ?? '') - order(RACE_ETHNICITIES, rb ?? '') ||
    (a < b ? -1 : a > b ? 1 : 0)
  );
}

interface GroupTotals {
  group: string;
  applicants: number;
  selected: number;
}

/** Per group of the grouping: applicants and selected; and the unknown group's. */
function totalsBy(
  cells: readonly DecisionCell[],
  grouping: FairnessGrouping,
): { groups: GroupTotals[]; unknown: { applicants: number; selected: number } } {
  const byGroup = new Map<string, GroupTotals>();
  const unknown = { applicants: 0, selected: 0 };
  for (const cell of cells) {
    const group = groupOf(grouping, cell.sex, cell.race);
    if (group === null) {
      unknown.applicants += cell.applicants;
      unknown.selected += cell.selected;
      continue;
    }
    const entry = byGroup.get(group) ?? { group, applicants: 0, selected: 0 };
    entry.applicants += cell.applicants;
    entry.selected += cell.selected;
    byGroup.set(group, entry);
  }
  const groups = [...byGroup.values()]
    .filter((g) => g.applicants > 0)
    .sort((a, b) => compareGroups(grouping, a.group, b.group));
  return { groups, unknown };
}

/** A rate table of one grouping: the common part of a selection table and a bias-audit table. */
export interface RateTable {
  applicants: number;
  unknown: number | null;
  unknownSuppressed: boolean;
  referenceGroup: string | null;
  chiSquare: AdverseImpactReport['chiSquare'];
  groups: SelectionGroup[];
}

/**
 * The selection (or scoring) rate table of a grouping at one decision, suppressed with threshold k: every cell with
 * fewer than k people (and every cell recoverable by subtraction, over the three groupings) is shown without count,
 * rate or ratio, and takes no part in the reference, the ratios or the tests.
 */
export function rateTables(cells: readonly DecisionCell[], k: number): Record<FairnessGrouping, RateTable> {
  const suppression = suppressFairnessTables(
    cells.map((c) => ({ sex: c.sex, race: c.race, count: c.applicants, selected: c.selected })),
    k,
  );
  const applicants = cells.reduce((s, c) => s + c.applicants, 0);
  const table = (grouping: FairnessGrouping): RateTable => {
    const { groups, unknown } = totalsBy(cells, grouping);
    const reasons = suppression[grouping];
    const reasonOf = (group: string): SuppressionReason | null => reasons.groups.get(group) ?? null;
    const analysis = impactAnalysis(groups.map((g) => ({ ...g, withheld: reasonOf(g.group) !== null })));
    const rows = analysis.groups.map((g): SelectionGroup => {
      const reason = reasonOf(g.group);
      const label = groupLabel(grouping, g.group);
      if (reason !== null) {
        return {
          group: g.group,
          label,
          applicants: null,
          selected: null,
          selectionRate: null,
          impactRatio: null,
          fourFifthsFlag: false,
          fisherP: null,
          zP: null,
          // Neither whether the group is under 2% nor which rule hid it is stated: each would narrow its size.
          excluded: false,
          suppressed: true,
          suppressedReason: null,
          reference: false,
        };
      }
      return {
        group: g.group,
        label,
        applicants: g.applicants,
        selected: g.selected,
        selectionRate: g.rate,
        impactRatio: g.impactRatio,
        fourFifthsFlag: g.fourFifthsFlag,
        fisherP: g.fisherP,
        zP: g.zP,
        excluded: g.excluded,
        suppressed: false,
        suppressedReason: null,
        reference: g.reference,
      };
    });
    return {
      applicants,
      unknown: reasons.unknown === null ? unknown.applicants : null,
      unknownSuppressed: reasons.unknown !== null,
      referenceGroup: analysis.referenceGroup,
      chiSquare: analysis.chiSquare,
      groups: rows,
    };
  };
  return {
    sex: table('sex'),
    race_ethnicity: table('race_ethnicity'),
    intersectional: table('intersectional'),
  };
}

/** The same table in the bias audit's shape (applicants, aboveMedian, scoringRate). */
export function biasAuditTable(table: RateTable): BiasAuditTable {
  return {
    unknown: table.unknown,
    unknownSuppressed: table.unknownSuppressed,
    referenceGroup: table.referenceGroup,
    groups: table.groups.map(
      (g): BiasAuditGroup => ({
        group: g.group,
        label: g.label,
        applicants: g.applicants,
        aboveMedian: g.selected,
        scoringRate: g.selectionRate,
        impactRatio: g.impactRatio,
        excluded: g.excluded,
        suppressed: g.suppressed,
        suppressedReason: g.suppressedReason,
        reference: g.reference,
      }),
    ),
  };
}

/** One row of the selection read: applications by furthest stage, status, sex and race/ethnicity. */
export interface ShapeRow {
  furthest: number;
  status: string;
  sex: string | null;
  race: string | null;
  n: number;
}

const EXITED = new Set(['rejected', 'withdrawn', 'offer_declined']);

/**
 * The cross-tabulated applicants and selected of every decision, in funnel order: the implicit 'applied' step
 * (position 0), each stage of the list (1..K), then 'hire'. At position i: selected = advanced (furthest > i);
 * applicants = advanced + exited at i (furthest = i, status rejected, withdrawn or offer_declined); in progress is
 * left out. Hire: applicants = status not active, selected = hired.
 */
export function decisionCells(
  rows: readonly ShapeRow[],
  decisions: readonly string[],
  hireDecision: string,
): Map<string, DecisionCell[]> {
  const out = new Map<string, DecisionCell[]>();
  decisions.forEach((decision, position) => {
    const cells = new Map<string, DecisionCell>();
    for (const row of rows) {
      let applicant: boolean;
      let selected: boolean;
      if (decision === hireDecision) {
        applicant = row.status !== 'active';
        selected = row.status === 'hired';
      } else {
        // A hire has reached the last stage and passed it: selected there too (a list may end before 'hired').
        selected = row.furthest > position || row.status === 'hired';
        applicant = selected || (row.furthest === position && EXITED.has(row.status));
      }
      if (!applicant) continue;
      const key = `${row.sex ?? ''}\u0000${row.race ?? ''}`;
      const cell = cells.get(key) ?? { sex: row.sex, race: row.race, applicants: 0, selected: 0 };
      cell.applicants += row.n;
      if (selected) cell.selected += row.n;
      cells.set(key, cell);
    }
    out.set(decision, [...cells.values()]);
  });
  return out;
}

/** One hire of the differential-validity sample with a known outcome. */
export interface ValidityObservation {
  sex: string | null;
  race: string | null;
  score: number;
  outcome: number;
}

export function differentialValidity(input: {
  observations: readonly ValidityObservation[];
  grouping: FairnessGrouping;
  minimumSample: number;
  k: number;
}): Pick<
  DifferentialValidityReport,
  'unknown' | 'groups' | 'difference' | 'heterogeneity' | 'cleary' | 'notes'
> {
  const { observations, grouping, minimumSample, k } = input;
  const cross = new Map<string, { sex: string | null; race: string | null; count: number }>();
  for (const o of observations) {
    const key = `${o.sex ?? ''}\u0000${o.race ?? ''}`;
    const cell = cross.get(key) ?? { sex: o.sex, race: o.race, count: 0 };
    cell.count++;
    cross.set(key, cell);
  }
  const suppression = suppressFairnessTables([...cross.values()], k)[grouping];
  const byGroup = new Map<string, ValidityObservation[]>();
  let unknown = 0;
  for (const o of observations) {
    const group = groupOf(grouping, o.sex, o.race);
    if (group === null) {
      unknown++;
      continue;
    }
    const list = byGroup.get(group) ?? [];
    list.push(o);
    byGroup.set(group, list);
  }
  const names = [...byGroup.keys()].sort((a, b) => compareGroups(grouping, a, b));
  const groups = names.map((group): GroupValidity => {
    const list = byGroup.get(group) ?? [];
    const suppressed = (suppression.groups.get(group) ?? null) !== null;
    const n = list.length;
    const r = pearson(
      list.map((o) => o.score),
      list.map((o) => o.outcome),
    );
    const ci = r === null ? null : correlationInference(r, n);
    return {
      group,
      label: groupLabel(grouping, group),
      n: suppressed ? null : n,
      r: suppressed ? null : r,
      ciLow: suppressed ? null : (ci?.ciLow ?? null),
      ciHigh: suppressed ? null : (ci?.ciHigh ?? null),
      // On a suppressed group, whether it has the minimum sample is not stated (it would bound its size).
      insufficient: suppressed ? true : n < minimumSample,
      suppressed,
    };
  });
  const notes: string[] = [];
  const sufficient = groups.filter(
    (g): g is GroupValidity & { n: number; r: number } =>
      !g.insufficient && !g.suppressed && g.n !== null && g.r !== null,
  );
  let difference: DifferentialValidityReport['difference'] = null;
  let heterogeneity: DifferentialValidityReport['heterogeneity'] = null;
  if (sufficient.length < 2) {
    notes.push(
      `Fewer than two groups have the minimum sample of ${minimumSample} hires with a known outcome and a ` +
        'correlation: no test of the difference and no differential prediction.',
    );
  } else if (sufficient.length === 2) {
    const [a, b] = sufficient;
    const z = compareCorrelations(a.r, a.n, b.r, b.n);
    if (z) difference = { z: z.z, p: z.p, groups: [a.group, b.group] };
  } else {
    const q = correlationHeterogeneity(sufficient.map((g) => ({ r: g.r, n: g.n })));
    if (q) heterogeneity = { q: q.q, df: q.df, p: q.p };
  }
  let cleary: DifferentialValidityReport['cleary'] = null;
  if (sufficient.length >= 2) {
    // Reference: the largest group (ties: canonical order).
    const reference = [...sufficient].sort((a, b) => b.n - a.n)[0].group;
    const included = sufficient.map((g) => g.group);
    const data = included.flatMap((group) =>
      (byGroup.get(group) ?? []).map((o) => ({ x: o.score, y: o.outcome, group })),
    );
    const result = clearyDifferentialPrediction(data, included, reference);
    if (result) cleary = result;
    else
      notes.push(
        'The Cleary regression could not be fitted (a constant outcome or score, or too few hires).',
      );
  }
  if (groups.some((g) => g.suppressed)) {
    notes.push(
      'Groups with fewer hires than the small-cell threshold are suppressed and left out of every test.',
    );
  }
  return {
    unknown: (suppression.unknown ?? null) === null ? unknown : null,
    groups,
    difference,
    heterogeneity,
    cleary,
    notes,
  };
}
