import { fCdf, fQuantile } from './distributions';

/** One intraclass correlation with its F test of ICC = 0 and 95% interval. Fields are null when undefined. */
export interface IccEstimate {
  value: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  f: number | null;
  df1: number;
  df2: number;
  pValue: number | null;
}

/** Mean squares of the two-way targets x judges ANOVA, named as in Shrout & Fleiss (1979, Table 1). */
export interface IccMeanSquares {
  /** between targets */
  bms: number;
  /** within targets (judges + residual, the one-way error term) */
  wms: number;
  /** between judges */
  jms: number;
  /** residual (targets x judges interaction + error) */
  ems: number;
}

export interface ShroutFleissIcc {
  n: number;
  k: number;
  meanSquares: IccMeanSquares;
  /** ICC(1,1): one-way random effects, single rating. */
  icc11: IccEstimate;
  /** ICC(2,1): two-way random effects (judges random), absolute agreement, single rating. */
  icc21: IccEstimate;
  /** ICC(3,1): two-way mixed effects (judges fixed), consistency, single rating. */
  icc31: IccEstimate;
  /** ICC(1,k): one-way random effects, mean of k ratings. */
  icc1k: IccEstimate;
  /** ICC(2,k): two-way random effects, absolute agreement, mean of k ratings. */
  icc2k: IccEstimate;
  /** ICC(3,k): two-way mixed effects, consistency, mean of k ratings. */
  icc3k: IccEstimate;
}

const ALPHA = 0.05;

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function upperTail(f: number, df1: number, df2: number): number | null {
  if (!Number.isFinite(f)) return f === Number.POSITIVE_INFINITY ? 0 : null;
  return 1 - fCdf(f, df1, df2);
}

/**
 * Intraclass correlations of Shrout & Fleiss (1979, Psychological Bulletin 86, 420-428) for a complete matrix of
 * ratings, one row per target (candidate) and one column per judge (interviewer), every judge rating every target.
 *
 * Method: two-way ANOVA gives BMS, WMS, JMS and EMS; the six ICCs follow Shrout & Fleiss equations 2-4 (single
 * rating) and their "k" versions (mean of the k judges). 95% intervals are those of Shrout & Fleiss (Table 4 and
 * the Satterthwaite approximation for ICC(2,1)), with ICC(2,k) from McGraw & Wong (1996, Psychological Methods 1,
 * Table 7). F tests: ICC(1,·) uses F = BMS/WMS on (n-1, n(k-1)) df; ICC(2,·) and ICC(3,·) use F = BMS/EMS on
 * (n-1, (n-1)(k-1)) df.
 *
 * Throws a RangeError for fewer than 2 targets or 2 judges, a ragged matrix, or non-finite ratings; use
 * `iccOneWayUnbalanced` for panels where judges differ between targets.
 */
export function iccShroutFleiss(ratings: readonly (readonly number[])[]): ShroutFleissIcc {
  const n = ratings.length;
  const k = n > 0 ? ratings[0].length : 0;
  if (n < 2 || k < 2) throw new RangeError(`Need at least 2 targets and 2 judges (got ${n} x ${k})`);
  for (const row of ratings) {
    if (row.length !== k) throw new RangeError('Every target must be rated by every judge (ragged matrix)');
    for (const x of row) if (!Number.isFinite(x)) throw new RangeError('Ratings must be finite numbers');
  }

  let total = 0;
  for (const row of ratings) for (const x of row) total += x;
  const grand = total / (n * k);
  const rowMeans = ratings.map((row) => row.reduce((a, b) => a + b, 0) / k);
  const colMeans = Array.from({ length: k }, (_, j) => ratings.reduce((a, row) => a + row[j], 0) / n);

  // Each sum of squares is accumulated directly rather than by subtraction, so exact agreement gives exact zeros.
  let ssWithin = 0;
  let ssResidual = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const x = ratings[i][j];
      ssWithin += (x - rowMeans[i]) ** 2;
      ssResidual += (x - rowMeans[i] - colMeans[j] + grand) ** 2;
    }
  }
  const ssBetween = k * rowMeans.reduce((a, m) => a + (m - grand) ** 2, 0);
  const ssJudges = n * colMeans.reduce((a, m) => a + (m - grand) ** 2, 0);

  const ms: IccMeanSquares = {
    bms: ssBetween / (n - 1),
    wms: ssWithin / (n * (k - 1)),
    jms: ssJudges / (k - 1),
    ems: ssResidual / ((n - 1) * (k - 1)),
  };
  const { bms, wms, jms, ems } = ms;

  const dfB = n - 1;
  const dfW = n * (k - 1);
  const dfE = (n - 1) * (k - 1);

  // One-way model: F = BMS / WMS.
  const f1 = bms / wms;
  const f1Low = f1 / fQuantile(1 - ALPHA / 2, dfB, dfW);
  const f1High = f1 * fQuantile(1 - ALPHA / 2, dfW, dfB);
  const p1 = upperTail(f1, dfB, dfW);

  // Two-way models share F = BMS / EMS.
  const f3 = bms / ems;
  const f3Low = f3 / fQuantile(1 - ALPHA / 2, dfB, dfE);
  const f3High = f3 * fQuantile(1 - ALPHA / 2, dfE, dfB);
  const p3 = upperTail(f3, dfB, dfE);

  const icc21Value = (bms - ems) / (bms + (k - 1) * ems + (k * (jms - ems)) / n);
  const icc2kValue = (bms - ems) / (bms + (jms - ems) / n);

  // Satterthwaite df for the ICC(2,1) interval (Shrout & Fleiss 1979, p. 425; McGraw & Wong 1996, Table 7).
  const fj = jms / ems;
  const a = (k * icc21Value) / (n * (1 - icc21Value));
  const b = 1 + (k * icc21Value * (n - 1)) / (n * (1 - icc21Value));
  const v = (a * jms + b * ems) ** 2 / ((a * jms) ** 2 / (k - 1) + (b * ems) ** 2 / dfE);
  const fStar = fQuantile(1 - ALPHA / 2, dfB, v);
  const fStarStar = fQuantile(1 - ALPHA / 2, v, dfB);
  const twoWayRandomCiValid = Number.isFinite(v) && v > 0 && Number.isFinite(fj);

  const icc21CiLow = (n * (bms - fStar * ems)) / (fStar * (k * jms + (k * n - k - n) * ems) + n * bms);
  const icc21CiHigh = (n * (fStarStar * bms - ems)) / (k * jms + (k * n - k - n) * ems + n * fStarStar * bms);
  const icc2kCiLow = (n * (bms - fStar * ems)) / (fStar * (jms - ems) + n * bms);
  const icc2kCiHigh = (n * (fStarStar * bms - ems)) / (jms - ems + n * fStarStar * bms);

  const single = (fValue: number): number => (fValue - 1) / (fValue + k - 1);
  const average = (fValue: number): number => 1 - 1 / fValue;

  const oneWay = { f: finiteOrNull(f1), df1: dfB, df2: dfW, pValue: p1 };
  const twoWay = { f: finiteOrNull(f3), df1: dfB, df2: dfE, pValue: p3 };

  return {
    n,
    k,
    meanSquares: ms,
    icc11: {
      value: finiteOrNull((bms - wms) / (bms + (k - 1) * wms)),
      ciLow: finiteOrNull(single(f1Low)),
      ciHigh: finiteOrNull(single(f1High)),
      ...oneWay,
    },
    icc21: {
      value: finiteOrNull(icc21Value),
      ciLow: twoWayRandomCiValid ? finiteOrNull(icc21CiLow) : null,
      ciHigh: twoWayRandomCiValid ? finiteOrNull(icc21CiHigh) : null,
      ...twoWay,
    },
    icc31: {
      value: finiteOrNull((bms - ems) / (bms + (k - 1) * ems)),
      ciLow: finiteOrNull(single(f3Low)),
      ciHigh: finiteOrNull(single(f3High)),
      ...twoWay,
    },
    icc1k: {
      value: finiteOrNull((bms - wms) / bms),
      ciLow: finiteOrNull(average(f1Low)),
      ciHigh: finiteOrNull(average(f1High)),
      ...oneWay,
    },
    icc2k: {
      value: finiteOrNull(icc2kValue),
      ciLow: twoWayRandomCiValid ? finiteOrNull(icc2kCiLow) : null,
      ciHigh: twoWayRandomCiValid ? finiteOrNull(icc2kCiHigh) : null,
      ...twoWay,
    },
    icc3k: {
      value: finiteOrNull((bms - ems) / bms),
      ciLow: finiteOrNull(average(f3Low)),
      ciHigh: finiteOrNull(average(f3High)),
      ...twoWay,
    },
  };
}

export interface UnbalancedIcc {
  /** targets with at least one rating */
  targets: number;
  /** ratings used */
  ratings: number;
  /** the "average" group size k0 that replaces k in the ICC formula */
  k0: number;
  bms: number;
  wms: number;
  /** ICC(1) for a single rating, with the F test and approximate 95% interval */
  icc1: IccEstimate;
  /** reliability of the mean of k0 ratings, (BMS - WMS) / BMS */
  icc1k0: IccEstimate;
}

/**
 * ICC(1) for unbalanced panels, where each target (candidate) is rated by a different, differently sized set of
 * judges, so the two-way models cannot be fitted. Rows are targets; `null`, NaN and missing cells are ignored, so a
 * targets x judges matrix with gaps and a ragged list of ratings per target both work.
 *
 * Method: one-way random-effects ANOVA with unequal group sizes n_i (N ratings on a targets):
 *   BMS = Σ n_i (mean_i - grand)² / (a - 1), WMS = ΣΣ (x - mean_i)² / (N - a),
 *   k0 = (N - Σ n_i² / N) / (a - 1)   (Snedecor & Cochran 1989, section 13.11),
 *   ICC(1) = (BMS - WMS) / (BMS + (k0 - 1) WMS), ICC(1,k0) = (BMS - WMS) / BMS.
 * The F test uses F = BMS / WMS on (a - 1, N - a) df. The 95% interval is the balanced-design formula with k0 in
 * place of k, an approximation whose accuracy degrades as group sizes grow more unequal (Donner 1986, International
 * Statistical Review 54, 67-82). With equal group sizes everything reduces to Shrout & Fleiss ICC(1,1) and ICC(1,k).
 *
 * `counts` (optional) gives each row's multiplicity: row i stands for counts[i] targets with the same ratings, so
 * a data set compressed to its distinct rating patterns gives exactly the result of the expanded one.
 *
 * Returns null when fewer than 2 targets are rated or no target has 2 ratings (no within-target variation exists).
 */
export function iccOneWayUnbalanced(
  ratings: readonly (readonly (number | null)[])[],
  counts?: readonly number[],
): UnbalancedIcc | null {
  const groups: number[][] = [];
  const weights: number[] = [];
  ratings.forEach((row, i) => {
    const g = row.filter((x): x is number => x !== null && Number.isFinite(x));
    const w = counts ? counts[i] : 1;
    if (g.length > 0 && w > 0) {
      groups.push(g);
      weights.push(w);
    }
  });
  let a = 0;
  let total = 0;
  let sum = 0;
  groups.forEach((g, i) => {
    a += weights[i];
    total += weights[i] * g.length;
    for (const x of g) sum += weights[i] * x;
  });
  if (a < 2 || total - a < 1) return null;

  const grand = sum / total;
  let ssBetween = 0;
  let ssWithin = 0;
  let sumSquaredSizes = 0;
  groups.forEach((g, i) => {
    const w = weights[i];
    const m = g.reduce((s, x) => s + x, 0) / g.length;
    ssBetween += w * g.length * (m - grand) ** 2;
    let within = 0;
    for (const x of g) within += (x - m) ** 2;
    ssWithin += w * within;
    sumSquaredSizes += w * g.length ** 2;
  });
  const df1 = a - 1;
  const df2 = total - a;
  const bms = ssBetween / df1;
  const wms = ssWithin / df2;
  const k0 = (total - sumSquaredSizes / total) / df1;

  const f = bms / wms;
  const fLow = f / fQuantile(1 - ALPHA / 2, df1, df2);
  const fHigh = f * fQuantile(1 - ALPHA / 2, df2, df1);
  const test = { f: finiteOrNull(f), df1, df2, pValue: upperTail(f, df1, df2) };
  const single = (fValue: number): number => (fValue - 1) / (fValue + k0 - 1);
  const average = (fValue: number): number => 1 - 1 / fValue;

  return {
    targets: a,
    ratings: total,
    k0,
    bms,
    wms,
    icc1: {
      value: finiteOrNull((bms - wms) / (bms + (k0 - 1) * wms)),
      ciLow: finiteOrNull(single(fLow)),
      ciHigh: finiteOrNull(single(fHigh)),
      ...test,
    },
    icc1k0: {
      value: finiteOrNull((bms - wms) / bms),
      ciLow: finiteOrNull(average(fLow)),
      ciHigh: finiteOrNull(average(fHigh)),
      ...test,
    },
  };
}
