import type {
  AdverseImpactStagesReport,
  BiasAuditGroup,
  BiasAuditReport,
  BiasAuditTable,
  CohortFilters,
  DifferentialValidityReport,
  SelectionGroup,
  ExportReport,
  FunnelReport,
  InterviewersReport,
  ReliabilityReport,
  ValidityReport,
} from '@hiresignal/shared';
import type { ExportColumn, ExportValue } from './export-writers';

/*
 * The aggregate reports as tables: each screen's table behind its main chart, one row per entry, every figure at
 * full precision. The column names are the report's JSON field names (nested ones joined with an underscore), so a
 * file and GET /api/v1/analytics/<report> read alike.
 */

export interface ReportTable {
  columns: ExportColumn[];
  rows: ExportValue[][];
}

type Getter<T> = [string, ExportColumn['type'], (row: T) => ExportValue | boolean | undefined];

function table<T>(getters: Getter<T>[], items: T[]): ReportTable {
  return {
    columns: getters.map(([key, type]) => ({ key, type })),
    rows: items.map((item) =>
      getters.map(([, , get]) => {
        const v = get(item);
        if (v === undefined) return null;
        if (typeof v === 'boolean') return v ? 'true' : 'false';
        return v;
      }),
    ),
  };
}

export function validityTable(report: ValidityReport): ReportTable {
  type D = ValidityReport['criteria'][number];
  const rows: D[] = [...report.criteria, ...(report.composite ? [report.composite] : [])];
  const getters: Getter<D>[] = [
    ['criterion', 'text', (d) => d.criterion],
    ['label', 'text', (d) => d.label],
    ['n', 'number', (d) => d.n],
    ['nApplicants', 'number', (d) => d.nApplicants],
    ['r', 'number', (d) => d.r],
    ['ciLow', 'number', (d) => d.ciLow],
    ['ciHigh', 'number', (d) => d.ciHigh],
    ['pValue', 'number', (d) => d.pValue],
    ['spearman', 'number', (d) => d.spearman],
    ['applicantSd', 'number', (d) => d.applicantSd],
    ['hiredSd', 'number', (d) => d.hiredSd],
    ['rRangeCorrected', 'number', (d) => d.rRangeCorrected],
    ['rRangeCorrectedCiLow', 'number', (d) => d.rRangeCorrectedCiLow],
    ['rRangeCorrectedCiHigh', 'number', (d) => d.rRangeCorrectedCiHigh],
    ['rOperational', 'number', (d) => d.rOperational],
    ['rOperationalCiLow', 'number', (d) => d.rOperationalCiLow],
    ['rOperationalCiHigh', 'number', (d) => d.rOperationalCiHigh],
    ['auc', 'number', (d) => d.auc],
    ['aucCiLow', 'number', (d) => d.aucCiLow],
    ['aucCiHigh', 'number', (d) => d.aucCiHigh],
    ['pointBiserial', 'number', (d) => d.pointBiserial],
    ['sufficient', 'text', (d) => d.sufficient],
    ['nNeededR20', 'number', (d) => d.nNeededR20],
    ['nNeededR30', 'number', (d) => d.nNeededR30],
  ];
  return table(getters, rows);
}

export function interviewersTable(report: InterviewersReport): ReportTable {
  type I = InterviewersReport['interviewers'][number];
  const getters: Getter<I>[] = [
    ['interviewerId', 'text', (i) => i.interviewerId],
    ['name', 'text', (i) => i.name],
    ['interviews', 'number', (i) => i.interviews],
    ['candidates', 'number', (i) => i.candidates],
    ['leniency', 'number', (i) => i.leniency?.value ?? null],
    ['leniency_ciLow', 'number', (i) => i.leniency?.ciLow ?? null],
    ['leniency_ciHigh', 'number', (i) => i.leniency?.ciHigh ?? null],
    ['nCoPanelComparisons', 'number', (i) => i.nCoPanelComparisons],
    ['agreementWithDecision', 'number', (i) => i.agreementWithDecision],
    ['nDecisions', 'number', (i) => i.nDecisions],
    ['validity_n', 'number', (i) => i.validity.n],
    ['validity_r', 'number', (i) => i.validity.r],
    ['validity_ciLow', 'number', (i) => i.validity.ciLow],
    ['validity_ciHigh', 'number', (i) => i.validity.ciHigh],
    ['validity_pValue', 'number', (i) => i.validity.pValue],
    ['validity_sufficient', 'text', (i) => i.validity.sufficient],
  ];
  return table(getters, report.interviewers);
}

export function reliabilityTable(report: ReliabilityReport): ReportTable {
  type C = ReliabilityReport['criteria'][number];
  const getters: Getter<C>[] = [
    ['criterion', 'text', (c) => c.criterion],
    ['label', 'text', (c) => c.label],
    ['nCandidates', 'number', (c) => c.nCandidates],
    ['nRatings', 'number', (c) => c.nRatings],
    ['meanRatersPerCandidate', 'number', (c) => c.meanRatersPerCandidate],
    ['icc11', 'number', (c) => c.icc11?.value ?? null],
    ['icc11_ciLow', 'number', (c) => c.icc11?.ciLow ?? null],
    ['icc11_ciHigh', 'number', (c) => c.icc11?.ciHigh ?? null],
    ['icc21', 'number', (c) => c.icc21?.value ?? null],
    ['icc21_ciLow', 'number', (c) => c.icc21?.ciLow ?? null],
    ['icc21_ciHigh', 'number', (c) => c.icc21?.ciHigh ?? null],
    ['icc2k', 'number', (c) => c.icc2k?.value ?? null],
    ['icc2k_ciLow', 'number', (c) => c.icc2k?.ciLow ?? null],
    ['icc2k_ciHigh', 'number', (c) => c.icc2k?.ciHigh ?? null],
    ['alphaInterval', 'number', (c) => c.alphaInterval],
    ['alphaOrdinal', 'number', (c) => c.alphaOrdinal],
  ];
  return table(getters, report.criteria);
}

export function funnelTable(report: FunnelReport): ReportTable {
  type S = FunnelReport['stages'][number];
  const getters: Getter<S>[] = [
    ['stage', 'text', (s) => s.stage],
    ['label', 'text', (s) => s.label],
    ['reached', 'number', (s) => s.reached],
    ['advanced', 'number', (s) => s.advanced],
    ['exited', 'number', (s) => s.exited],
    ['inProgress', 'number', (s) => s.inProgress],
    ['passThroughRate', 'number', (s) => s.passThroughRate],
    ['passThroughCiLow', 'number', (s) => s.passThroughCiLow],
    ['passThroughCiHigh', 'number', (s) => s.passThroughCiHigh],
    ['conversionFromApplied', 'number', (s) => s.conversionFromApplied],
    ['daysInStage_n', 'number', (s) => s.daysInStage?.n ?? null],
    ['daysInStage_median', 'number', (s) => s.daysInStage?.median ?? null],
    ['daysInStage_p90', 'number', (s) => s.daysInStage?.p90 ?? null],
  ];
  return table(getters, report.stages);
}

/** The filters each aggregate report takes; any other filter is refused rather than silently ignored. */
export const REPORT_FILTERS: Record<Exclude<ExportReport, 'cohort'>, readonly (keyof CohortFilters)[]> = {
  'adverse-impact': ['jobId', 'department', 'source', 'appliedFrom', 'appliedTo'],
  'bias-audit': ['jobId', 'department', 'source', 'rubric', 'rubricVersion', 'appliedFrom', 'appliedTo'],
  'differential-validity': [
    'jobId',
    'department',
    'source',
    'rubric',
    'rubricVersion',
    'appliedFrom',
    'appliedTo',
    'hiredFrom',
    'hiredTo',
  ],
  validity: ['jobId', 'department', 'source', 'rubric', 'rubricVersion', 'hiredFrom', 'hiredTo'],
  interviewers: ['jobId', 'department', 'source', 'rubric', 'rubricVersion', 'hiredFrom', 'hiredTo'],
  reliability: ['jobId', 'department', 'source', 'rubric', 'rubricVersion', 'hiredFrom', 'hiredTo'],
  funnel: ['jobId', 'department', 'source', 'rubric', 'rubricVersion', 'appliedFrom', 'appliedTo'],
};

/** The options each report takes (anything else is refused). */
export const REPORT_OPTIONS: Record<ExportReport, readonly ('outcome' | 'groupBy' | 'criterion')[]> = {
  cohort: [],
  validity: ['outcome'],
  interviewers: ['outcome'],
  reliability: [],
  funnel: [],
  'adverse-impact': ['groupBy'],
  'bias-audit': ['criterion'],
  'differential-validity': ['outcome', 'groupBy', 'criterion'],
};

/** Every decision (each stage, then hire) and group of the adverse-impact stages view, with the unknown count. */
export function adverseImpactTable(report: AdverseImpactStagesReport): ReportTable {
  type Row = SelectionGroup & { decision: string };
  const rows: Row[] = [];
  for (const d of report.decisions) {
    for (const g of d.groups) rows.push({ ...g, decision: d.decision });
    rows.push(unknownRow(d.decision, d.unknown, d.unknownSuppressed ?? false));
  }
  const getters: Getter<Row>[] = [
    ['decision', 'text', (r) => r.decision],
    ['group', 'text', (r) => r.group],
    ['label', 'text', (r) => r.label],
    ['applicants', 'number', (r) => r.applicants],
    ['selected', 'number', (r) => r.selected],
    ['selectionRate', 'number', (r) => r.selectionRate],
    ['impactRatio', 'number', (r) => r.impactRatio],
    ['fourFifthsFlag', 'text', (r) => r.fourFifthsFlag],
    ['fisherP', 'number', (r) => r.fisherP],
    ['zP', 'number', (r) => r.zP],
    ['reference', 'text', (r) => r.reference],
    ['excluded', 'text', (r) => r.excluded],
    ['suppressed', 'text', (r) => r.suppressed],
    ['suppressedReason', 'text', (r) => r.suppressedReason ?? null],
  ];
  return table(getters, rows);
}

/** The unknown group as a row: its count (never in a ratio or test), or suppressed. */
function unknownRow(
  decision: string,
  unknown: number | null,
  suppressed: boolean,
): SelectionGroup & { decision: string } {
  return {
    decision,
    group: 'unknown',
    label: 'Unknown (no answer or declined)',
    applicants: unknown,
    selected: null,
    selectionRate: null,
    impactRatio: null,
    fourFifthsFlag: false,
    fisherP: null,
    zP: null,
    excluded: true,
    suppressed,
    suppressedReason: null,
    reference: false,
  };
}

/** The bias audit's six tables (scoring and selection, by each grouping) as rows, with the unknown counts. */
export function biasAuditTable(report: BiasAuditReport): ReportTable {
  type Row = BiasAuditGroup & { table: string; grouping: string };
  const rows: Row[] = [];
  const add = (tableName: string, grouping: string, t: BiasAuditTable) => {
    for (const g of t.groups) rows.push({ ...g, table: tableName, grouping });
    rows.push({
      table: tableName,
      grouping,
      group: 'unknown',
      label: 'Unknown (no answer or declined)',
      applicants: t.unknown,
      aboveMedian: null,
      scoringRate: null,
      impactRatio: null,
      excluded: true,
      suppressed: t.unknownSuppressed ?? false,
      suppressedReason: null,
      reference: false,
    });
  };
  add('scoring', 'sex', report.bySex);
  add('scoring', 'race_ethnicity', report.byRaceEthnicity);
  add('scoring', 'intersectional', report.intersectional);
  add('selection', 'sex', report.selection.bySex);
  add('selection', 'race_ethnicity', report.selection.byRaceEthnicity);
  add('selection', 'intersectional', report.selection.intersectional);
  const getters: Getter<Row>[] = [
    ['table', 'text', (r) => r.table],
    ['grouping', 'text', (r) => r.grouping],
    ['group', 'text', (r) => r.group],
    ['label', 'text', (r) => r.label],
    ['applicants', 'number', (r) => r.applicants],
    ['aboveMedianOrSelected', 'number', (r) => r.aboveMedian],
    ['rate', 'number', (r) => r.scoringRate],
    ['impactRatio', 'number', (r) => r.impactRatio],
    ['reference', 'text', (r) => r.reference],
    ['excluded', 'text', (r) => r.excluded],
    ['suppressed', 'text', (r) => r.suppressed],
    ['suppressedReason', 'text', (r) => r.suppressedReason ?? null],
  ];
  return table(getters, rows);
}

export function differentialValidityTable(report: DifferentialValidityReport): ReportTable {
  type G = DifferentialValidityReport['groups'][number];
  const getters: Getter<G>[] = [
    ['group', 'text', (g) => g.group],
    ['label', 'text', (g) => g.label],
    ['n', 'number', (g) => g.n],
    ['r', 'number', (g) => g.r],
    ['ciLow', 'number', (g) => g.ciLow],
    ['ciHigh', 'number', (g) => g.ciHigh],
    ['insufficient', 'text', (g) => g.insufficient],
    ['suppressed', 'text', (g) => g.suppressed],
  ];
  return table(getters, report.groups);
}

/** The differential-validity tests, for the manifest (one line each). */
export function differentialValidityTests(report: DifferentialValidityReport): [string, string][] {
  const lines: [string, string][] = [];
  if (report.difference) {
    lines.push([
      'difference (z)',
      `${report.difference.groups.join(' vs ')}: z = ${report.difference.z}, p = ${report.difference.p}`,
    ]);
  }
  if (report.heterogeneity) {
    lines.push([
      'heterogeneity (Q)',
      `Q = ${report.heterogeneity.q}, df = ${report.heterogeneity.df}, p = ${report.heterogeneity.p}`,
    ]);
  }
  if (report.cleary) {
    const c = report.cleary;
    lines.push([
      'Cleary slope difference',
      `F = ${c.slopeDifference.f} (${c.slopeDifference.df1}, ${c.slopeDifference.df2}), p = ${c.slopeDifference.p}`,
    ]);
    lines.push([
      'Cleary intercept difference',
      `F = ${c.interceptDifference.f} (${c.interceptDifference.df1}, ${c.interceptDifference.df2}), p = ${c.interceptDifference.p}`,
    ]);
  }
  for (const note of report.notes) lines.push(['note', note]);
  return lines;
}
