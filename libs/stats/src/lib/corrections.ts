import { clampCorrelation } from './descriptive';
import { normalQuantile } from './distributions';

function assertCorrelation(r: number): void {
  if (!Number.isFinite(r) || Math.abs(r) > 1)
    throw new RangeError(`Correlation must lie in [-1, 1] (got ${r})`);
}

/**
 * Thorndike (1949) Case II correction for direct range restriction on the predictor:
 * r_c = rU / sqrt(1 + r²(U² - 1)), with U = SD(unrestricted) / SD(restricted).
 * For |r| <= 1 and U > 0 the result stays in [-1, 1].
 */
export function rangeRestrictionCaseII(r: number, u: number): number {
  assertCorrelation(r);
  if (!Number.isFinite(u) || u <= 0) throw new RangeError(`U must be a positive finite ratio (got ${u})`);
  return clampCorrelation((r * u) / Math.sqrt(1 + r * r * (u * u - 1)));
}

/**
 * Operational validity: correct r for criterion unreliability in the restricted (hired) sample, r' = r / sqrt(ryy),
 * then apply Case II to r'. With a low ryy, r' can exceed 1 in absolute value, which no correlation can; r' is
 * therefore clamped to [-1, 1] before Case II (which then returns ±1). Such a result signals that the assumed
 * reliability is too low for the observed r, and callers should show the observed r beside it.
 */
export function operationalValidity(r: number, ryy: number, u: number): number {
  assertCorrelation(r);
  if (!Number.isFinite(ryy) || ryy <= 0 || ryy > 1) {
    throw new RangeError(`Criterion reliability must lie in (0, 1] (got ${ryy})`);
  }
  return rangeRestrictionCaseII(clampCorrelation(r / Math.sqrt(ryy)), u);
}

/**
 * Sample size needed to detect a population correlation rho (two-sided test) by Fisher's z approximation:
 * n = ((z_{1-alpha/2} + z_{power}) / atanh(|rho|))² + 3, rounded up.
 */
export function sampleSizeForR(rho: number, alpha = 0.05, power = 0.8): number {
  if (!Number.isFinite(rho) || rho === 0 || Math.abs(rho) >= 1) {
    throw new RangeError(`rho must lie in (-1, 0) or (0, 1) (got ${rho})`);
  }
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must lie in (0, 1) (got ${alpha})`);
  if (!(power > 0 && power < 1)) throw new RangeError(`power must lie in (0, 1) (got ${power})`);
  const ratio = (normalQuantile(1 - alpha / 2) + normalQuantile(power)) / Math.atanh(Math.abs(rho));
  // Guard against 193.00000000000003-style rounding pushing an exact integer up by one.
  return Math.ceil(ratio * ratio + 3 - 1e-9);
}
