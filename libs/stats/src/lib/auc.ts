import { rank, Z_975 } from './correlation';

export interface AucResult {
  /** P(score of a random positive > score of a random negative) + ½ P(tie) */
  auc: number;
  /** DeLong standard error; null when a class has a single member (its variance component is undefined) */
  se: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  nPositive: number;
  nNegative: number;
}

function sampleVarianceOf(values: readonly number[], center: number): number {
  let ss = 0;
  for (const v of values) ss += (v - center) ** 2;
  return ss / (values.length - 1);
}

/**
 * Area under the ROC curve of `scores` for the positive class (`labels[i] === true`), counting ties as one half
 * (the Mann-Whitney form), with the DeLong, DeLong & Clarke-Pearson (1988, Biometrics 44, 837-845) standard error.
 *
 * Method: the structural components V10 (one per positive) and V01 (one per negative) are obtained from mid-ranks,
 * following Sun & Xu (2014, IEEE Signal Processing Letters 21, 1389-1393): with T_Z the mid-rank of a score in the
 * pooled sample and T_X, T_Y its mid-rank within its own class,
 *   V10_i = (T_Z(X_i) - T_X(X_i)) / n,   V01_j = 1 - (T_Z(Y_j) - T_Y(Y_j)) / m,
 * (m positives, n negatives), AUC = mean(V10), Var = S10/m + S01/n with S10, S01 the (m-1)- and (n-1)-denominator
 * variances of the components. The 95% interval is AUC ± 1.959964 SE clipped to [0, 1], as in pROC's DeLong
 * interval (Robin et al. 2011).
 *
 * Returns null when either class is empty.
 */
export function auc(scores: readonly number[], labels: readonly boolean[]): AucResult | null {
  if (scores.length !== labels.length) {
    throw new RangeError(
      `scores and labels must have the same length (got ${scores.length} and ${labels.length})`,
    );
  }
  const positives: number[] = [];
  const negatives: number[] = [];
  scores.forEach((s, i) => (labels[i] ? positives : negatives).push(s));
  const m = positives.length;
  const n = negatives.length;
  if (m === 0 || n === 0) return null;

  const pooledRanks = rank([...positives, ...negatives]);
  const positiveRanks = rank(positives);
  const negativeRanks = rank(negatives);
  const v10 = positives.map((_, i) => (pooledRanks[i] - positiveRanks[i]) / n);
  const v01 = negatives.map((_, j) => 1 - (pooledRanks[m + j] - negativeRanks[j]) / m);
  const area = v10.reduce((a, b) => a + b, 0) / m;

  if (m < 2 || n < 2) return { auc: area, se: null, ciLow: null, ciHigh: null, nPositive: m, nNegative: n };
  const variance = sampleVarianceOf(v10, area) / m + sampleVarianceOf(v01, area) / n;
  const se = Math.sqrt(variance);
  return {
    auc: area,
    se,
    ciLow: Math.max(0, area - Z_975 * se),
    ciHigh: Math.min(1, area + Z_975 * se),
    nPositive: m,
    nNegative: n,
  };
}
