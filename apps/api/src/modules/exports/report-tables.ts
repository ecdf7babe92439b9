import type {
  CohortFilters,
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
  validity: ['jobId', 'department', 'source', 'rubric', 'rubricVersion', 'hiredFrom', 'hiredTo'],
  interviewers: ['jobId', 'department', 'source', 'rubric', 'rubricVersion', 'hiredFrom', 'hiredTo'],
  reliability: ['jobId', 'department', 'source', 'rubric', 'rubricVersion', 'hiredFrom', 'hiredTo'],
  funnel: ['jobId', 'department', 'source', 'rubric', 'rubricVersion', 'appliedFrom', 'appliedTo'],
};
