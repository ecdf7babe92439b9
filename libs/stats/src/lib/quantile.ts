/**
 * The p-quantile by linear interpolation between order statistics: Hyndman and Fan (1996) definition 7, the
 * default of numpy.percentile / numpy.quantile and of R's quantile(), and what PostgreSQL's percentile_cont
 * computes. With the sorted sample x[0..n-1]: h = (n - 1) p, quantile = x[⌊h⌋] + (h - ⌊h⌋)(x[⌊h⌋ + 1] - x[⌊h⌋]).
 * NaN for an empty sample.
 */
export function quantileLinear(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError('p must lie in [0, 1]');
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}
