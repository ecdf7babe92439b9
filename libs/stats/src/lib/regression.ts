import {
  EigenvalueDecomposition,
  Matrix,
  QrDecomposition,
  SingularValueDecomposition,
  inverse,
} from 'ml-matrix';
import { pearson } from './correlation';
import { mean, sampleSd } from './descriptive';
import { fCdf, tCdf, tQuantile } from './distributions';

export interface Coefficient {
  estimate: number;
  se: number;
  t: number;
  pValue: number;
  ciLow: number;
  ciHigh: number;
}

export interface PredictorResult {
  /** index of the predictor's column */
  index: number;
  /** unstandardized slope with its t test and 95% interval */
  b: Coefficient;
  /** standardized beta; its interval is b's interval times SD(x)/SD(y), treating the sample SDs as fixed */
  beta: { estimate: number; ciLow: number; ciHigh: number };
  /** R² of the full model minus R² without this predictor (squared semipartial correlation) */
  deltaR2: number;
  /** F test of ΔR² on (1, n - k - 1) df; equals the slope's t² */
  deltaR2F: number;
  deltaR2P: number;
  /** Johnson (2000) relative weight; the weights sum to R² */
  relativeWeight: number;
  /** relative weight as a share of R² */
  relativeWeightShare: number;
}

export interface OlsResult {
  n: number;
  k: number;
  intercept: Coefficient;
  predictors: PredictorResult[];
  r: number;
  r2: number;
  adjustedR2: number;
  /** overall F test of R² on (k, n - k - 1) df */
  f: number;
  fPValue: number;
  residualDf: number;
  /** residual standard error, sqrt(SSE / (n - k - 1)) */
  sigma: number;
}

const ALPHA = 0.05;

function column(rows: readonly (readonly number[])[], j: number): number[] {
  return rows.map((row) => row[j]);
}

interface Fit {
  /** intercept first, then one slope per predictor, on the original scale */
  coefficients: number[];
  sse: number;
  /** (X'X)⁻¹ for the design [1 X] on the original scale; times MSE it is the coefficients' covariance */
  unscaledCovariance: Matrix;
}

/**
 * Least squares with an intercept; null when the predictors are constant or (nearly) collinear.
 * Columns are centered and scaled to unit SD before the QR solve and the results mapped back, so the rank test
 * and the conditioning do not depend on the predictors' units.
 */
function fitOls(rows: readonly (readonly number[])[], y: readonly number[]): Fit | null {
  const k = rows[0].length;
  const centers = Array.from({ length: k }, (_, j) => mean(column(rows, j)));
  const scales = Array.from({ length: k }, (_, j) => sampleSd(column(rows, j)));
  if (scales.some((sd) => !(sd > 0))) return null;
  const design = new Matrix(rows.map((row) => [1, ...row.map((x, j) => (x - centers[j]) / scales[j])]));
  // QR's own rank test only catches exact zeros; SVD with its default tolerance also catches near-collinearity.
  if (new SingularValueDecomposition(design, { computeLeftSingularVectors: false }).rank < design.columns) {
    return null;
  }
  const standardized = new QrDecomposition(design).solve(Matrix.columnVector([...y])).getColumn(0);
  // b_j = b*_j / s_j and b_0 = b*_0 - Σ b*_j m_j / s_j, i.e. b = T b* with T below.
  const transform = Matrix.eye(k + 1);
  for (let j = 0; j < k; j++) {
    transform.set(0, j + 1, -centers[j] / scales[j]);
    transform.set(j + 1, j + 1, 1 / scales[j]);
  }
  const coefficients = transform.mmul(Matrix.columnVector(standardized)).getColumn(0);
  const unscaledCovariance = transform
    .mmul(inverse(design.transpose().mmul(design)))
    .mmul(transform.transpose());
  let sse = 0;
  design.to2DArray().forEach((row, i) => {
    const predicted = row.reduce((a, z, j) => a + z * standardized[j], 0);
    sse += (y[i] - predicted) ** 2;
  });
  return { coefficients, sse, unscaledCovariance };
}

function sumOfSquaredDeviations(y: readonly number[]): number {
  const m = mean(y);
  return y.reduce((a, v) => a + (v - m) ** 2, 0);
}

function rSquared(rows: readonly (readonly number[])[], y: readonly number[], sst: number): number | null {
  const result = fitOls(rows, y);
  return result === null ? null : 1 - result.sse / sst;
}

function validate(rows: readonly (readonly number[])[], y: readonly number[]): number {
  if (rows.length !== y.length) {
    throw new RangeError(
      `predictor rows and y must have the same length (got ${rows.length} and ${y.length})`,
    );
  }
  const k = rows.length > 0 ? rows[0].length : 0;
  for (const row of rows) {
    if (row.length !== k) throw new RangeError('Every row must have the same number of predictors');
    for (const x of row) if (!Number.isFinite(x)) throw new RangeError('Predictors must be finite numbers');
  }
  for (const v of y) if (!Number.isFinite(v)) throw new RangeError('Outcomes must be finite numbers');
  return k;
}

/**
 * Johnson (2000, Multivariate Behavioral Research 35(1), 1-19) relative weights from the predictor
 * intercorrelations Rxx and validities rxy. With Rxx = V Δ V', Λ = V Δ^½ V' relates the predictors to their
 * closest orthogonal counterparts Z; β = Λ⁻¹ rxy regresses y on Z, and ε_j = Σ_k Λ_jk² β_k².
 * Because Λ is symmetric and Σ_j Λ_jk² = 1, Σ ε_j = Σ β_k² = R².
 */
export function relativeWeights(rxx: readonly (readonly number[])[], rxy: readonly number[]): number[] {
  const evd = new EigenvalueDecomposition(new Matrix(rxx.map((row) => [...row])), { assumeSymmetric: true });
  const vectors = evd.eigenvectorMatrix;
  const sqrtValues = evd.realEigenvalues.map((value) => Math.sqrt(Math.max(0, value)));
  const lambda = vectors.mmul(Matrix.diag(sqrtValues)).mmul(vectors.transpose());
  const beta = inverse(lambda)
    .mmul(Matrix.columnVector([...rxy]))
    .getColumn(0);
  return rxy.map((_, j) => beta.reduce((a, b, k) => a + lambda.get(j, k) ** 2 * b * b, 0));
}

export interface RecommendedWeights {
  /**
   * Per predictor: its relative weight as a share of the R² of the model on the kept predictors (these shares sum to
   * 1), or 0 for a predictor left out. All 0 when no predictor is kept.
   */
  weights: number[];
  /** Whether the predictor is kept: its standardized beta is positive in the model on the kept predictors. */
  kept: boolean[];
  /** R² of the model on the kept predictors (0 when none is kept). */
  r2: number;
}

/**
 * The weights to recommend for a composite of the predictors (rubric criteria) from their intercorrelations Rxx and
 * validities rxy. Johnson's (2000) relative weights split R² among the predictors and are never negative: they say
 * how much each one carries, not in which direction (Tonidandel and LeBreton 2011 advise reading them beside the
 * betas). A predictor whose standardized beta is not positive lowers the predicted outcome as its score rises, given
 * the others; a positive weight for it in a composite of scores would pull the composite the wrong way. So the
 * predictor with the most negative beta (ties: the first) is left out, the betas are recomputed on the rest, and so
 * on until every kept beta is positive (a criterion can turn positive once a suppressor is gone, hence one at a
 * time). The kept predictors share 100% in proportion to their relative weights in the model on them alone; the
 * ones left out get 0. A single predictor is kept when its r is positive.
 */
export function recommendedWeights(
  rxx: readonly (readonly number[])[],
  rxy: readonly number[],
): RecommendedWeights {
  const kept = rxy.map(() => true);
  for (;;) {
    const idx = kept.flatMap((keep, j) => (keep ? [j] : []));
    const weights = rxy.map(() => 0);
    if (idx.length === 0) return { weights, kept, r2: 0 };
    const sub = idx.map((i) => idx.map((j) => rxx[i][j]));
    const subY = idx.map((i) => rxy[i]);
    const beta = inverse(new Matrix(sub)).mmul(Matrix.columnVector(subY)).getColumn(0);
    let worst = -1;
    beta.forEach((b, p) => {
      if (!(b > 0) && (worst < 0 || b < beta[worst])) worst = p;
    });
    if (worst >= 0) {
      kept[idx[worst]] = false;
      continue;
    }
    const rw = relativeWeights(sub, subY);
    const r2 = rw.reduce((a, w) => a + w, 0);
    idx.forEach((j, p) => (weights[j] = r2 > 0 ? rw[p] / r2 : 0));
    return { weights, kept, r2 };
  }
}

/**
 * Ordinary least squares of y on the predictor columns (one row per observation) with an intercept.
 * Returns null when the model cannot be estimated: no predictors, n - k - 1 < 1, a constant outcome, or collinear
 * (rank-deficient) predictors.
 */
export function olsRegression(
  predictors: readonly (readonly number[])[],
  y: readonly number[],
): OlsResult | null {
  const k = validate(predictors, y);
  const n = y.length;
  const residualDf = n - k - 1;
  if (k < 1 || residualDf < 1) return null;
  const sst = sumOfSquaredDeviations(y);
  if (!(sst > 0)) return null;
  const full = fitOls(predictors, y);
  if (full === null) return null;

  const mse = full.sse / residualDf;
  const tCritical = tQuantile(1 - ALPHA / 2, residualDf);
  const coefficient = (j: number): Coefficient => {
    const estimate = full.coefficients[j];
    const se = Math.sqrt(mse * full.unscaledCovariance.get(j, j));
    const t = estimate / se;
    return {
      estimate,
      se,
      t,
      pValue: se === 0 ? 0 : Math.min(1, 2 * tCdf(-Math.abs(t), residualDf)),
      ciLow: estimate - tCritical * se,
      ciHigh: estimate + tCritical * se,
    };
  };

  const r2 = Math.max(0, Math.min(1, 1 - full.sse / sst));
  const sdY = sampleSd(y);
  const columns = Array.from({ length: k }, (_, j) => column(predictors, j));
  const rxx = columns.map((a) => columns.map((b) => (a === b ? 1 : (pearson(a, b) ?? 0))));
  const rxy = columns.map((c) => pearson(c, y) ?? 0);
  const weights = relativeWeights(rxx, rxy);

  const predictorResults = columns.map((values, j): PredictorResult => {
    const b = coefficient(j + 1);
    const scale = sampleSd(values) / sdY;
    const reducedRows = predictors.map((row) => row.filter((_, c) => c !== j));
    const reducedR2 = k === 1 ? 0 : (rSquared(reducedRows, y, sst) ?? 0);
    const deltaR2 = Math.max(0, r2 - reducedR2);
    const deltaR2F = deltaR2 / ((1 - r2) / residualDf);
    return {
      index: j,
      b,
      beta: { estimate: b.estimate * scale, ciLow: b.ciLow * scale, ciHigh: b.ciHigh * scale },
      deltaR2,
      deltaR2F,
      deltaR2P: Number.isFinite(deltaR2F) ? 1 - fCdf(deltaR2F, 1, residualDf) : 0,
      relativeWeight: weights[j],
      relativeWeightShare: r2 > 0 ? weights[j] / r2 : 0,
    };
  });

  const f = r2 / k / ((1 - r2) / residualDf);
  return {
    n,
    k,
    intercept: coefficient(0),
    predictors: predictorResults,
    r: Math.sqrt(r2),
    r2,
    adjustedR2: 1 - ((1 - r2) * (n - 1)) / residualDf,
    f,
    fPValue: Number.isFinite(f) ? 1 - fCdf(f, k, residualDf) : 0,
    residualDf,
    sigma: Math.sqrt(mse),
  };
}

/** Deterministic 32-bit PRNG (mulberry32) so fold assignment is reproducible from a seed. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Fold (0 .. folds-1) of each observation: a seeded Fisher-Yates shuffle of the indices, then fold = shuffled
 * position mod folds, so fold sizes differ by at most one and the same seed always gives the same folds.
 */
export function foldAssignment(n: number, folds: number, seed: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  const random = mulberry32(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const assignment = new Array<number>(n);
  order.forEach((observation, position) => (assignment[observation] = position % folds));
  return assignment;
}

export interface CrossValidatedR {
  /** Pearson r between out-of-fold predictions and observed y; null if undefined */
  r: number | null;
  folds: number;
  n: number;
  /** out-of-fold prediction per observation, in input order */
  predictions: number[];
}

/**
 * k-fold cross-validated multiple R: each fold is predicted by the OLS model fitted to the other folds, and R is
 * the correlation of all out-of-fold predictions with the observed outcomes (shrinkage-free estimate of how the
 * composite will validate on new hires). Returns null when some training set is too small or rank deficient to fit
 * (it needs more than k + 1 observations) or folds is not in [2, n].
 */
export function crossValidatedR(
  predictors: readonly (readonly number[])[],
  y: readonly number[],
  options: { folds?: number; seed?: number } = {},
): CrossValidatedR | null {
  const k = validate(predictors, y);
  const n = y.length;
  const folds = options.folds ?? 5;
  const seed = options.seed ?? 1;
  if (!Number.isInteger(folds) || folds < 2 || folds > n || k < 1) return null;
  const assignment = foldAssignment(n, folds, seed);
  const predictions = new Array<number>(n);
  for (let fold = 0; fold < folds; fold++) {
    const trainRows: (readonly number[])[] = [];
    const trainY: number[] = [];
    assignment.forEach((f, i) => {
      if (f !== fold) {
        trainRows.push(predictors[i]);
        trainY.push(y[i]);
      }
    });
    if (trainY.length <= k + 1) return null;
    const model = fitOls(trainRows, trainY);
    if (model === null) return null;
    assignment.forEach((f, i) => {
      if (f === fold) {
        predictions[i] =
          model.coefficients[0] + predictors[i].reduce((a, x, j) => a + x * model.coefficients[j + 1], 0);
      }
    });
  }
  return { r: pearson(predictions, y), folds, n, predictions };
}
