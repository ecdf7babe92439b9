import type {
  CohortValidity,
  CriterionValidityDetail,
  OrganizationSettings,
  Outcome,
  RegressionSummary,
  ValidityReport,
} from '@hiresignal/shared';
import type { Correction } from '../analytics/analytics-filters';
import { criterionLabel, formatCorrelation } from './validity-format';

export const DEFAULT_SETTINGS: OrganizationSettings = {
  criterionReliability: 0.52,
  successThreshold: 4,
  minimumSample: 30,
  smallCellK: 5,
};

type Loose<T> = { [K in keyof T]?: T[K] | null };

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** One criterion from whatever the API sent; fields an older API does not send yet become null or empty. */
export function normalizeCriterion(raw: Loose<CriterionValidityDetail>): CriterionValidityDetail {
  const criterion = raw.criterion ?? 'unknown';
  const n = num(raw.n) ?? 0;
  return {
    criterion,
    label: raw.label || criterionLabel(criterion),
    n,
    nApplicants: num(raw.nApplicants) ?? 0,
    r: num(raw.r),
    ciLow: num(raw.ciLow),
    ciHigh: num(raw.ciHigh),
    pValue: num(raw.pValue),
    spearman: num(raw.spearman),
    applicantSd: num(raw.applicantSd),
    hiredSd: num(raw.hiredSd),
    rRangeCorrected: num(raw.rRangeCorrected),
    rRangeCorrectedCiLow: num(raw.rRangeCorrectedCiLow),
    rRangeCorrectedCiHigh: num(raw.rRangeCorrectedCiHigh),
    rOperational: num(raw.rOperational),
    rOperationalCiLow: num(raw.rOperationalCiLow),
    rOperationalCiHigh: num(raw.rOperationalCiHigh),
    auc: num(raw.auc),
    aucCiLow: num(raw.aucCiLow),
    aucCiHigh: num(raw.aucCiHigh),
    pointBiserial: num(raw.pointBiserial),
    sufficient: raw.sufficient ?? false,
    nNeededR20: num(raw.nNeededR20) ?? 0,
    nNeededR30: num(raw.nNeededR30) ?? 0,
    byScoreLevel: Array.isArray(raw.byScoreLevel) ? raw.byScoreLevel : [],
  };
}

/**
 * The validity report with every field present. The API answered an older, smaller shape (criterion, n, r, ciLow,
 * ciHigh, pValue, sufficient and a top-level minimumSample) before the full contract; both read the same here.
 */
export function normalizeValidity(raw: unknown, outcome: Outcome): ValidityReport {
  const report = (raw ?? {}) as Loose<ValidityReport> & { minimumSample?: number };
  const settings: OrganizationSettings = {
    ...DEFAULT_SETTINGS,
    ...(report.settings ?? {}),
    ...(report.settings
      ? {}
      : { minimumSample: num(report.minimumSample) ?? DEFAULT_SETTINGS.minimumSample }),
  };
  const criteria = (report.criteria ?? []).map((c) =>
    normalizeCriterion(c as Loose<CriterionValidityDetail>),
  );
  return {
    outcome: report.outcome ?? outcome,
    filters: report.filters ?? {},
    rubric: report.rubric ?? null,
    settings,
    nApplicants: num(report.nApplicants) ?? 0,
    nHires: num(report.nHires) ?? Math.max(0, ...criteria.map((c) => c.n)),
    nExcludedTooRecent: num(report.nExcludedTooRecent) ?? 0,
    criteria,
    composite: report.composite
      ? normalizeCriterion({ label: 'Composite', ...(report.composite as Loose<CriterionValidityDetail>) })
      : null,
    regression: (report.regression as RegressionSummary | null | undefined) ?? null,
    halo: report.halo ?? null,
    // An API from before the per-quarter flag: judge the quarter by the same rule (composite n >= minimum sample).
    byCohort: ((report.byCohort as Loose<CohortValidity>[] | null | undefined) ?? []).map(
      (c) =>
        ({
          ...c,
          sufficient: c.sufficient ?? (c.composite?.n ?? 0) >= settings.minimumSample,
        }) as CohortValidity,
    ),
    dataVersion: report.dataVersion ?? '',
    computedAt: report.computedAt ?? '',
  };
}

/** The corrected r the API computed for this correction; the observed r for 'none'. */
export function correctedR(row: CriterionValidityDetail, correction: Correction): number | null {
  if (correction === 'range') {
    return row.rRangeCorrected;
  }
  return correction === 'operational' ? row.rOperational : row.r;
}

/**
 * The 95% interval of the r shown for this correction, as the API computed it (the observed Fisher-z interval's
 * ends put through the same correction, Hunter and Schmidt 2004); null when the API has none.
 */
export function correctedInterval(
  row: CriterionValidityDetail,
  correction: Correction,
): [number, number] | null {
  const [low, high] =
    correction === 'range'
      ? [row.rRangeCorrectedCiLow, row.rRangeCorrectedCiHigh]
      : correction === 'operational'
        ? [row.rOperationalCiLow, row.rOperationalCiHigh]
        : [row.ciLow, row.ciHigh];
  return low === null || high === null ? null : [low, high];
}

/** Highest value of the chosen measure first; rows without it last, then alphabetically. */
export function sortByMeasure<T extends { criterion: string }>(
  rows: readonly T[],
  measure: (row: T) => number | null,
): T[] {
  return [...rows].sort((a, b) => {
    const va = measure(a);
    const vb = measure(b);
    if (va === null || vb === null) {
      return va === vb ? a.criterion.localeCompare(b.criterion) : va === null ? 1 : -1;
    }
    return vb - va || a.criterion.localeCompare(b.criterion);
  });
}

export function correctionName(correction: Correction, criterionReliability: number): string {
  if (correction === 'range') {
    return 'corrected for range restriction (Thorndike Case II)';
  }
  if (correction === 'operational') {
    return `operational validity (corrected for criterion unreliability, r_yy = ${formatCorrelation(criterionReliability)}, and range restriction)`;
  }
  return 'observed, uncorrected';
}

/** "needs about 194 hires to detect r = .20 (85 for r = .30)". */
export function sampleNeeded(row: CriterionValidityDetail, minimumSample: number): string {
  const missing = Math.max(0, minimumSample - row.n);
  const base = `${row.n} of the ${minimumSample} hires needed`;
  const power =
    row.nNeededR20 > 0
      ? `; detecting r = .20 reliably takes about ${row.nNeededR20} hires (r = .30: ${row.nNeededR30})`
      : '';
  return missing > 0 ? `${base}${power}` : `${row.n} hires${power}`;
}

/** A plain-language strength word for |r| (Cohen's rough guide). */
export function strengthWord(r: number | null): string {
  if (r === null) {
    return 'unknown';
  }
  const a = Math.abs(r);
  if (a < 0.1) {
    return 'negligible';
  }
  if (a < 0.3) {
    return 'weak';
  }
  return a < 0.5 ? 'moderate' : 'strong';
}
