import { chisquareCdf, fCdf, normalCdf } from './distributions';
import { olsRegression } from './regression';

export interface CorrelationDifference {
  z: number;
  p: number;
}

/**
 * Difference of two independent correlations by Fisher's z: z = (atanh r1 - atanh r2) / sqrt(1/(n1 - 3) + 1/(n2 - 3)),
 * two-sided normal p. Null when a sample has n <= 3 or |r| = 1.
 */
export function compareCorrelations(
  r1: number,
  n1: number,
  r2: number,
  n2: number,
): CorrelationDifference | null {
  if (!(n1 > 3) || !(n2 > 3) || !(Math.abs(r1) < 1) || !(Math.abs(r2) < 1)) return null;
  const z = (Math.atanh(r1) - Math.atanh(r2)) / Math.sqrt(1 / (n1 - 3) + 1 / (n2 - 3));
  return { z, p: Math.min(1, 2 * normalCdf(-Math.abs(z))) };
}

export interface CorrelationHeterogeneity {
  q: number;
  df: number;
  p: number;
  /** The (n_i - 3)-weighted mean of the Fisher z_i. */
  meanZ: number;
}

/**
 * Heterogeneity of k independent correlations: Q = Σ (n_i - 3)(z_i - z_w)², z_i = atanh r_i, z_w the (n_i - 3)
 * weighted mean of the z_i, referred to chi-square with k - 1 df (Hedges and Olkin 1985). Null with fewer than two
 * samples, or when a sample has n <= 3 or |r| = 1.
 */
export function correlationHeterogeneity(
  samples: readonly { r: number; n: number }[],
): CorrelationHeterogeneity | null {
  if (samples.length < 2) return null;
  if (samples.some((s) => !(s.n > 3) || !(Math.abs(s.r) < 1))) return null;
  const weights = samples.map((s) => s.n - 3);
  const zs = samples.map((s) => Math.atanh(s.r));
  const totalWeight = weights.reduce((a, w) => a + w, 0);
  const meanZ = zs.reduce((a, z, i) => a + weights[i] * z, 0) / totalWeight;
  const q = zs.reduce((a, z, i) => a + weights[i] * (z - meanZ) ** 2, 0);
  const df = samples.length - 1;
  return { q, df, p: Math.max(0, Math.min(1, 1 - chisquareCdf(q, df))), meanZ };
}

export interface NestedTest {
  /** The coefficient's estimate with two groups (null with more: several coefficients are tested at once). */
  estimate: number | null;
  /** Its t statistic with two groups (t² = f). */
  t: number | null;
  f: number;
  df1: number;
  df2: number;
  p: number;
}

export interface ClearyResult {
  groups: string[];
  referenceGroup: string;
  n: number;
  /** Equal slopes: the score x group terms in outcome ~ score + group + score x group. */
  slopeDifference: NestedTest;
  /** Equal intercepts: the group terms in outcome ~ score + group (no interaction). */
  interceptDifference: NestedTest;
  /** Per group, the separate-lines model's intercept and slope. */
  lines: { group: string; intercept: number; slope: number }[];
}

export interface GroupedObservation {
  x: number;
  y: number;
  group: string;
}

/**
 * Cleary (1968) differential prediction: regress the outcome on the score, group dummies (reference group left out)
 * and score x group products. The slope difference is the interaction's test in that model; the intercept difference
 * is the group term's test in the model without the interaction. With two groups these are the coefficients' t tests
 * (estimate = the other group's minus the reference's); with more, nested-model F tests:
 * F = ((SSE_reduced - SSE_full) / q) / (SSE_full / df_full), q = groups - 1. Null when a model cannot be fitted
 * (fewer than two groups, too few observations, a constant outcome, or collinear terms).
 */
export function clearyDifferentialPrediction(
  data: readonly GroupedObservation[],
  groups: readonly string[],
  referenceGroup: string = groups[0],
): ClearyResult | null {
  if (groups.length < 2 || !groups.includes(referenceGroup)) return null;
  const others = groups.filter((g) => g !== referenceGroup);
  const known = new Set(groups);
  const rows = data.filter((d) => known.has(d.group));
  const y = rows.map((d) => d.y);
  const dummies = (d: GroupedObservation) => others.map((g) => (d.group === g ? 1 : 0));
  const full = olsRegression(
    rows.map((d) => [d.x, ...dummies(d), ...dummies(d).map((v) => v * d.x)]),
    y,
  );
  const additive = olsRegression(
    rows.map((d) => [d.x, ...dummies(d)]),
    y,
  );
  const scoreOnly = olsRegression(
    rows.map((d) => [d.x]),
    y,
  );
  if (full === null || additive === null || scoreOnly === null) return null;
  const q = others.length;
  const nested = (reduced: { r2: number }, larger: { r2: number; residualDf: number }) => {
    const f = (larger.r2 - reduced.r2) / q / ((1 - larger.r2) / larger.residualDf);
    const fixed = Math.max(0, f);
    return {
      f: fixed,
      df1: q,
      df2: larger.residualDf,
      p: Number.isFinite(fixed) ? Math.max(0, Math.min(1, 1 - fCdf(fixed, q, larger.residualDf))) : 0,
    };
  };
  const slopeF = nested(additive, full);
  const interceptF = nested(scoreOnly, additive);
  const interaction = full.predictors[1 + q];
  const groupTerm = additive.predictors[1];
  const intercept = full.intercept.estimate;
  const slope = full.predictors[0].b.estimate;
  const lines = [
    { group: referenceGroup, intercept, slope },
    ...others.map((g, j) => ({
      group: g,
      intercept: intercept + full.predictors[1 + j].b.estimate,
      slope: slope + full.predictors[1 + q + j].b.estimate,
    })),
  ];
  const two = q === 1;
  return {
    groups: [referenceGroup, ...others],
    referenceGroup,
    n: rows.length,
    slopeDifference: {
      estimate: two ? interaction.b.estimate : null,
      t: two ? interaction.b.t : null,
      // With one tested term the t test and the F test agree exactly (F = t²); report the t test's p then.
      ...(two ? { ...slopeF, f: interaction.b.t ** 2, p: interaction.b.pValue } : slopeF),
    },
    interceptDifference: {
      estimate: two ? groupTerm.b.estimate : null,
      t: two ? groupTerm.b.t : null,
      ...(two ? { ...interceptF, f: groupTerm.b.t ** 2, p: groupTerm.b.pValue } : interceptF),
    },
    lines: lines.sort((a, b) => groups.indexOf(a.group) - groups.indexOf(b.group)),
  };
}
