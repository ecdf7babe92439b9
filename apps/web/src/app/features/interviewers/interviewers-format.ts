import type { CriterionReliability, InterviewerCalibration } from '@hiresignal/shared';

/** Most lenient first; interviewers without a leniency estimate last, then by id for a stable order. */
export function sortByLeniency(rows: readonly InterviewerCalibration[]): InterviewerCalibration[] {
  return [...rows].sort((a, b) => {
    const va = a.leniency?.value ?? null;
    const vb = b.leniency?.value ?? null;
    if (va === null || vb === null) {
      return va === vb ? a.interviewerId.localeCompare(b.interviewerId) : va === null ? 1 : -1;
    }
    return vb - va || a.interviewerId.localeCompare(b.interviewerId);
  });
}

export type LeniencyVerdict = 'lenient' | 'harsh' | 'calibrated' | 'unknown';

/** Lenient or harsh only when the whole 95% interval lies on one side of zero. */
export function leniencyVerdict(row: InterviewerCalibration): LeniencyVerdict {
  const l = row.leniency;
  if (!l || l.ciLow === null || l.ciHigh === null) {
    return 'unknown';
  }
  if (l.ciLow > 0) {
    return 'lenient';
  }
  return l.ciHigh < 0 ? 'harsh' : 'calibrated';
}

/** Koo and Li (2016): below .50 poor, .50 to .75 moderate, .75 to .90 good, above .90 excellent. */
export function iccWord(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return '';
  }
  if (value < 0.5) {
    return 'poor';
  }
  if (value < 0.75) {
    return 'moderate';
  }
  return value < 0.9 ? 'good' : 'excellent';
}

/** Lowest single-rater agreement first: the criteria most in need of clearer anchors. */
export function sortByReliability(rows: readonly CriterionReliability[]): CriterionReliability[] {
  return [...rows].sort((a, b) => {
    const va = a.icc11?.value ?? Number.POSITIVE_INFINITY;
    const vb = b.icc11?.value ?? Number.POSITIVE_INFINITY;
    return va - vb || a.criterion.localeCompare(b.criterion);
  });
}
