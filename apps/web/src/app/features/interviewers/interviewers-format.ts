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

/** The name to show for an interviewer: the display name an import gave, else the id (which stays the key). */
export function interviewerLabel(
  row: Pick<InterviewerCalibration, 'interviewerId'> & { name?: string | null },
): string {
  const name = row.name?.trim();
  return name ? name : row.interviewerId;
}

/** "A", "A and B", "A, B and C". */
export function listNames(names: readonly string[]): string {
  if (names.length <= 1) {
    return names[0] ?? '';
  }
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/**
 * Which candidates the same-panel ICCs of a criterion use, in words: "41 candidates scored by Ada Lovelace and Chen
 * Wei"; null when the criterion has no complete panel.
 */
export function panelText(
  twoWay: CriterionReliability['twoWay'],
  nameOf: (interviewerId: string) => string,
): string | null {
  if (!twoWay || twoWay.interviewers.length === 0) {
    return null;
  }
  const candidates = `${twoWay.nCandidates} ${twoWay.nCandidates === 1 ? 'candidate' : 'candidates'}`;
  return `${candidates} scored by ${listNames(twoWay.interviewers.map(nameOf))}`;
}
