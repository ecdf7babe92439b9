/** Arithmetic mean; NaN for an empty sample. */
export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  let sum = 0;
  for (const x of xs) sum += x;
  const m = sum / xs.length;
  // A second pass removes most of the rounding error of the naive sum (Higham 2002, section 4.2 on corrected sums).
  let correction = 0;
  for (const x of xs) correction += x - m;
  return m + correction / xs.length;
}

/** Sum of squared deviations from the mean, computed on centered values to avoid cancellation. */
export function sumOfSquares(xs: readonly number[]): number {
  const m = mean(xs);
  let ss = 0;
  for (const x of xs) ss += (x - m) * (x - m);
  return ss;
}

/** Sample variance with the n - 1 denominator; NaN when n < 2. */
export function sampleVariance(xs: readonly number[]): number {
  if (xs.length < 2) return Number.NaN;
  return sumOfSquares(xs) / (xs.length - 1);
}

/** Sample standard deviation with the n - 1 denominator; NaN when n < 2. */
export function sampleSd(xs: readonly number[]): number {
  return Math.sqrt(sampleVariance(xs));
}

export function isConstant(xs: readonly number[]): boolean {
  for (let i = 1; i < xs.length; i++) if (xs[i] !== xs[0]) return false;
  return true;
}

export function clampCorrelation(r: number): number {
  return Math.max(-1, Math.min(1, r));
}
