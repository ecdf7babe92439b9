import { Z_975 } from './correlation';

export interface ProportionInterval {
  /** successes / trials */
  rate: number;
  ciLow: number;
  ciHigh: number;
}

/**
 * Wilson (1927) score interval for a binomial proportion, without continuity correction (Newcombe 1998, method 3):
 *   centre = (p + z²/2n) / (1 + z²/n),  half-width = z / (1 + z²/n) · sqrt(p(1 - p)/n + z²/4n²).
 * Null when there are no trials. z defaults to 1.959964 (95%).
 */
export function wilsonInterval(successes: number, trials: number, z = Z_975): ProportionInterval | null {
  if (!(trials > 0)) return null;
  if (successes < 0 || successes > trials) throw new RangeError('successes must lie in [0, trials]');
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return {
    rate: p,
    // The ends are exact at 0 and 1 when p is; clamping only removes rounding below 0 or above 1.
    ciLow: successes === 0 ? 0 : Math.max(0, centre - half),
    ciHigh: successes === trials ? 1 : Math.min(1, centre + half),
  };
}
