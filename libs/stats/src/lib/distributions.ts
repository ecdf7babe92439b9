import * as chisquareCdfModule from '@stdlib/stats-base-dists-chisquare-cdf';
import * as fCdfModule from '@stdlib/stats-base-dists-f-cdf';
import * as normalCdfModule from '@stdlib/stats-base-dists-normal-cdf';
import * as normalQuantileModule from '@stdlib/stats-base-dists-normal-quantile';
import * as tCdfModule from '@stdlib/stats-base-dists-t-cdf';
import * as tQuantileModule from '@stdlib/stats-base-dists-t-quantile';

/**
 * The @stdlib packages are CommonJS `module.exports = fn`. Depending on the consumer, a namespace import yields the
 * function itself (CommonJS without esModuleInterop), or an object whose `default` is the function (Node ESM,
 * Jest native ESM, webpack, TypeScript's __importStar). Resolving at runtime works in all of them.
 */
function callable<F>(mod: unknown): F {
  if (typeof mod === 'function') return mod as F;
  const inner = (mod as { default?: unknown } | null)?.default;
  if (typeof inner === 'function') return inner as F;
  throw new Error('Could not resolve a callable export from a @stdlib distribution module');
}

type Cdf1 = (x: number, p: number) => number;
type Cdf2 = (x: number, a: number, b: number) => number;

const tCdfFn = callable<Cdf1>(tCdfModule);
const tQuantileFn = callable<Cdf1>(tQuantileModule);
const normalCdfFn = callable<Cdf2>(normalCdfModule);
const normalQuantileFn = callable<Cdf2>(normalQuantileModule);
const fCdfFn = callable<Cdf2>(fCdfModule);
const chisquareCdfFn = callable<Cdf1>(chisquareCdfModule);

export const tCdf = (x: number, df: number): number => tCdfFn(x, df);
export const tQuantile = (p: number, df: number): number => tQuantileFn(p, df);
export const normalCdf = (x: number): number => normalCdfFn(x, 0, 1);
export const normalQuantile = (p: number): number => normalQuantileFn(p, 0, 1);
export const fCdf = (x: number, df1: number, df2: number): number => fCdfFn(x, df1, df2);
export const chisquareCdf = (x: number, df: number): number => chisquareCdfFn(x, df);

/**
 * Quantile of the F distribution. No F quantile package is installed, so the installed F CDF is inverted by
 * bisection; the CDF is monotone in x, which makes bisection safe for the non-integer (Satterthwaite) df ICC
 * intervals need.
 */
export function fQuantile(p: number, df1: number, df2: number): number {
  if (!(p >= 0 && p <= 1) || !(df1 > 0) || !(df2 > 0)) return Number.NaN;
  if (p === 0) return 0;
  if (p === 1) return Number.POSITIVE_INFINITY;
  let low = 0;
  let high = 1;
  while (fCdf(high, df1, df2) < p) {
    low = high;
    high *= 2;
    if (!Number.isFinite(high)) return Number.POSITIVE_INFINITY;
  }
  for (let i = 0; i < 200 && high - low > 1e-14 * high; i++) {
    const mid = (low + high) / 2;
    if (fCdf(mid, df1, df2) < p) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}
