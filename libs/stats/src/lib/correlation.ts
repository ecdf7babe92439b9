import { clampCorrelation, isConstant, mean } from './descriptive';
import { tCdf } from './distributions';

/** Two-sided normal critical value for 95% intervals, as fixed by the product definitions. */
export const Z_975 = 1.959964;

function assertSameLength(xs: readonly unknown[], ys: readonly unknown[]): void {
  if (xs.length !== ys.length) {
    throw new RangeError(`Samples must have the same length (got ${xs.length} and ${ys.length})`);
  }
}

/**
 * Ranks starting at 1; tied values receive the average of the ranks they span (the "fractional" ranking
 * Spearman's rho needs).
 */
export function rank(xs: readonly number[]): number[] {
  // A typed-array sort compares numbers natively (no comparator call per comparison): several times faster than
  // sorting indices with a callback on the tens of thousands of hires a validity report ranks. Each distinct value
  // then gets the average of the positions it spans.
  const n = xs.length;
  const sorted = Float64Array.from(xs).sort();
  const averageRank = new Map<number, number>();
  let start = 0;
  while (start < n) {
    let end = start;
    while (end + 1 < n && sorted[end + 1] === sorted[start]) end++;
    averageRank.set(sorted[start], (start + end) / 2 + 1);
    start = end + 1;
  }
  const ranks = new Array<number>(n);
  for (let i = 0; i < n; i++) ranks[i] = averageRank.get(xs[i]) as number;
  return ranks;
}

/**
 * Pearson product-moment correlation, computed on centered values. Null when n < 3 (no inference is possible)
 * or when either variable is constant.
 */
export function pearson(xs: readonly number[], ys: readonly number[]): number | null {
  assertSameLength(xs, ys);
  const n = xs.length;
  if (n < 3 || isConstant(xs) || isConstant(ys)) return null;
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i] - mx;
    const dy = ys[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (!(sxx > 0) || !(syy > 0)) return null;
  const product = sxx * syy;
  // sqrt of the product is exact for identical variances (so r = 1 exactly); the product of square roots is the
  // fallback when the product under- or overflows for extreme-scale data.
  const denominator =
    product > 0 && Number.isFinite(product) ? Math.sqrt(product) : Math.sqrt(sxx) * Math.sqrt(syy);
  return clampCorrelation(sxy / denominator);
}

/** Spearman's rho: Pearson r of the average ranks, so ties are handled exactly rather than by the d² shortcut. */
export function spearman(xs: readonly number[], ys: readonly number[]): number | null {
  assertSameLength(xs, ys);
  return pearson(rank(xs), rank(ys));
}

/** Sufficient statistics of a bivariate sample: n, Σx, Σy, Σx², Σy², Σxy (what a SQL aggregate can return). */
export interface BivariateSums {
  n: number;
  sx: number;
  sy: number;
  sxx: number;
  syy: number;
  sxy: number;
}

/**
 * Pearson r from sufficient statistics, r = (nΣxy - ΣxΣy) / sqrt((nΣx² - (Σx)²)(nΣy² - (Σy)²)).
 * Null when n < 3 or a variance is zero. The raw-moment formula loses precision when the mean is large relative to
 * the spread, so a variance below 1e-12 of nΣx² is treated as zero rather than trusted.
 */
export function pearsonFromSums(sums: BivariateSums): number | null {
  const { n, sx, sy, sxx, syy, sxy } = sums;
  if (!(n >= 3)) return null;
  const vx = n * sxx - sx * sx;
  const vy = n * syy - sy * sy;
  const tolerance = 1e-12;
  if (!(vx > tolerance * n * sxx) || !(vy > tolerance * n * syy)) return null;
  const r = (n * sxy - sx * sy) / Math.sqrt(vx * vy);
  return Number.isFinite(r) ? clampCorrelation(r) : null;
}

export interface CorrelationInference {
  ciLow: number | null;
  ciHigh: number | null;
  pValue: number | null;
}

/**
 * Inference for a correlation r from n pairs:
 * - 95% interval by Fisher's z: tanh(atanh(r) ± 1.959964 / sqrt(n - 3)); null when n < 4.
 * - two-sided p of H0: rho = 0 from t = r sqrt((n - 2) / (1 - r²)) on n - 2 df; null when n < 3; p = 0 when |r| = 1.
 */
export function correlationInference(r: number, n: number): CorrelationInference {
  if (!Number.isFinite(r) || Math.abs(r) > 1 || !Number.isFinite(n)) {
    return { ciLow: null, ciHigh: null, pValue: null };
  }
  let ciLow: number | null = null;
  let ciHigh: number | null = null;
  if (n >= 4) {
    const z = Math.atanh(r);
    const halfWidth = Z_975 / Math.sqrt(n - 3);
    ciLow = Math.tanh(z - halfWidth);
    ciHigh = Math.tanh(z + halfWidth);
  }
  let pValue: number | null = null;
  if (n >= 3) {
    if (Math.abs(r) === 1) {
      pValue = 0;
    } else {
      const t = r * Math.sqrt((n - 2) / (1 - r * r));
      // The lower tail of -|t| keeps precision for tiny p, where 1 - cdf(|t|) would round to 0.
      pValue = Math.min(1, 2 * tCdf(-Math.abs(t), n - 2));
    }
  }
  return { ciLow, ciHigh, pValue };
}

/**
 * Point-biserial correlation between a continuous score and a binary outcome. It is Pearson r with the outcome
 * coded 1 (true) / 0 (false), so it shares Pearson's nulls (n < 3, constant score, or a single class).
 */
export function pointBiserial(scores: readonly number[], outcomes: readonly boolean[]): number | null {
  assertSameLength(scores, outcomes);
  return pearson(
    scores,
    outcomes.map((o) => (o ? 1 : 0)),
  );
}
