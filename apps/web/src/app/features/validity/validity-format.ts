import type { CriterionValidityDetail } from '@hiresignal/shared';

/** What sorting and labelling read of a criterion's validity. */
export type ValidityRow = Pick<CriterionValidityDetail, 'criterion' | 'r' | 'sufficient'>;

const EMPTY = '—';
const ACRONYMS = new Set(['ai', 'ml', 'api', 'ats', 'ui', 'ux', 'sql']);

/** "deployment_at_scale" → "Deployment at scale", "responsible_ai" → "Responsible AI". */
export function criterionLabel(criterion: string): string {
  const words = criterion.split(/[_\s-]+/).filter((word) => word.length > 0);
  return words
    .map((word, index) => {
      const lower = word.toLowerCase();
      if (ACRONYMS.has(lower)) {
        return lower.toUpperCase();
      }
      return index === 0 ? lower.charAt(0).toUpperCase() + lower.slice(1) : lower;
    })
    .join(' ');
}

/** Two decimals without the leading zero (APA style for values bounded by 1): .42, -.05, 1.00. */
export function formatCorrelation(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return EMPTY;
  }
  const fixed = value.toFixed(digits);
  if (Number(fixed) === 0) {
    return fixed.replace(/^-?0/, '');
  }
  return fixed.replace(/^(-?)0\./, '$1.');
}

/** 95% interval as "[.18, .61]". */
export function formatInterval(low: number | null | undefined, high: number | null | undefined): string {
  if (low === null || low === undefined || high === null || high === undefined) {
    return EMPTY;
  }
  return `[${formatCorrelation(low)}, ${formatCorrelation(high)}]`;
}

/** p as "<.001", ".034", ">.999". */
export function formatPValue(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return EMPTY;
  }
  if (value < 0.001) {
    return '<.001';
  }
  if (value > 0.999) {
    return '>.999';
  }
  return value.toFixed(3).replace(/^0\./, '.');
}

/** Highest observed r first; criteria without an r last, then alphabetically for a stable order. */
export function sortByValidity<T extends ValidityRow>(criteria: readonly T[]): T[] {
  return [...criteria].sort((a, b) => {
    if (a.r === null || b.r === null) {
      if (a.r === b.r) {
        return a.criterion.localeCompare(b.criterion);
      }
      return a.r === null ? 1 : -1;
    }
    return b.r - a.r || a.criterion.localeCompare(b.criterion);
  });
}

/**
 * What every chart and table says beside a figure from too few people: the words, not only a grey colour, and the
 * sample it needs. "insufficient data: 12 of the 30 hires needed".
 */
export function insufficientNote(n: number, needed: number, unit = 'hires'): string {
  return `insufficient data: ${n} of the ${needed} ${unit} needed`;
}

/** A difference in score points with its sign: "+0.32", "−0.15", "0.00". */
export function formatSigned(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return EMPTY;
  }
  const fixed = Math.abs(value).toFixed(digits);
  if (Number(fixed) === 0) {
    return fixed;
  }
  return `${value > 0 ? '+' : '−'}${fixed}`;
}

/** A plain number with fixed decimals: 3.42; "—" when missing. */
export function formatNumber(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return EMPTY;
  }
  return value.toFixed(digits);
}

/** A proportion as a whole percentage: 0.734 → "73%". */
export function formatPercent(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return EMPTY;
  }
  return `${(value * 100).toFixed(digits)}%`;
}

/** A numeric interval with fixed decimals: "[3.10, 3.62]". */
export function formatNumberInterval(
  low: number | null | undefined,
  high: number | null | undefined,
  digits = 2,
): string {
  if (low === null || low === undefined || high === null || high === undefined) {
    return EMPTY;
  }
  return `[${formatNumber(low, digits)}, ${formatNumber(high, digits)}]`;
}
