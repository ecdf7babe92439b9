import type {
  AnalyticsFilters,
  CohortValidity,
  CriterionValidityDetail,
  HaloMatrix,
  OrganizationSettings,
  Outcome,
  RegressionSummary,
  ScoreLevelOutcome,
  ValidityReport,
} from '@hiresignal/shared';
import {
  auc,
  correlationInference,
  mean,
  operationalValidity,
  pearson,
  pointBiserial,
  rangeRestrictionCaseII,
  sampleSd,
  sampleSizeForR,
  spearman,
  tQuantile,
  Z_975,
} from '@hiresignal/stats';
import { momentCrossValidatedR, momentOls } from './moment-regression';
import { BINARY_OUTCOMES, classifyOutcome, hireCohort, type HireOutcomeFacts } from './outcomes';

export const COMPOSITE_KEY = 'composite';
export const COMPOSITE_LABEL = 'Composite (unit-weighted)';
export const CV_FOLDS = 5;
export const CV_SEED = 20_001;
const N_NEEDED_R20 = sampleSizeForR(0.2);
const N_NEEDED_R30 = sampleSizeForR(0.3);

export interface RubricInfo {
  name: string;
  version: number;
  scaleMin: number;
  scaleMax: number;
  criteria: { key: string; label: string }[];
}

/** One hired application inside the filters with at least one score on the rubric. */
export interface HireRow extends HireOutcomeFacts {
  applicationId: string;
  /** Candidate criterion scores (mean over interviewers), aligned with the rubric's criteria; null when unscored. */
  scores: (number | null)[];
}

/** Sufficient statistics of the applicant pool, aggregated in SQL. Index k = criterion k; index K = composite. */
export interface PoolStats {
  nApplicants: number;
  n: number[];
  sd: (number | null)[];
  /** Pairwise-complete Pearson r and n between criteria (pool). */
  haloR: (number | null)[][];
  haloN: number[][];
}

export interface ValidityInput {
  outcome: Outcome;
  filters: AnalyticsFilters;
  rubric: RubricInfo | null;
  settings: OrganizationSettings;
  dataVersion: string;
  asOf: Date;
  computedAt: Date;
  pool: PoolStats;
  hires: HireRow[];
}

/** Mean of the scored criteria (null when none): the composite of PRODUCT.md. */
export function compositeScore(scores: readonly (number | null)[]): number | null {
  let sum = 0;
  let count = 0;
  for (const s of scores) {
    if (s === null) continue;
    sum += s;
    count++;
  }
  return count === 0 ? null : sum / count;
}

export function emptyValidityReport(input: Omit<ValidityInput, 'pool' | 'hires' | 'rubric'>): ValidityReport {
  return {
    outcome: input.outcome,
    filters: input.filters,
    rubric: null,
    settings: input.settings,
    nApplicants: 0,
    nHires: 0,
    nExcludedTooRecent: 0,
    criteria: [],
    composite: null,
    regression: null,
    halo: null,
    byCohort: [],
    dataVersion: input.dataVersion,
    computedAt: input.computedAt.toISOString(),
  };
}

export interface JudgedHire {
  row: HireRow;
  composite: number | null;
  y: number;
}

export function buildValidityReport(input: ValidityInput): ValidityReport {
  const { rubric, outcome, settings } = input;
  if (!rubric) return emptyValidityReport(input);
  const binary = BINARY_OUTCOMES.has(outcome);
  const judged: JudgedHire[] = [];
  let tooRecent = 0;
  for (const row of input.hires) {
    const c = classifyOutcome(outcome, row, {
      asOf: input.asOf,
      successThreshold: settings.successThreshold,
    });
    if (c.status === 'too_recent') tooRecent++;
    if (c.status !== 'known') continue;
    judged.push({ row, composite: compositeScore(row.scores), y: c.value });
  }
  const k = rubric.criteria.length;
  const scoreOf = (h: JudgedHire, index: number) => (index === k ? h.composite : h.row.scores[index]);
  const detail = (index: number, key: string, label: string): CriterionValidityDetail => {
    const xs: number[] = [];
    const ys: number[] = [];
    for (const h of judged) {
      const x = scoreOf(h, index);
      if (x === null) continue;
      xs.push(x);
      ys.push(h.y);
    }
    return criterionDetail({
      criterion: key,
      label,
      xs,
      ys,
      binary,
      outcome,
      nApplicants: input.pool.n[index] ?? 0,
      applicantSd: input.pool.sd[index] ?? null,
      settings,
      scale: rubric,
    });
  };
  const criteria = rubric.criteria.map((c, i) => detail(i, c.key, c.label));
  return {
    outcome,
    filters: input.filters,
    rubric: {
      name: rubric.name,
      version: rubric.version,
      scaleMin: rubric.scaleMin,
      scaleMax: rubric.scaleMax,
    },
    settings,
    nApplicants: input.pool.nApplicants,
    nHires: input.hires.length,
    nExcludedTooRecent: tooRecent,
    criteria,
    composite: detail(k, COMPOSITE_KEY, COMPOSITE_LABEL),
    regression: regressionSummary(rubric.criteria, judged, settings.minimumSample),
    halo: haloMatrix(
      rubric.criteria.map((c) => c.key),
      input.pool,
    ),
    byCohort: cohorts(
      input.hires,
      judged,
      rubric.criteria.map((c) => c.key),
      settings.minimumSample,
    ),
    dataVersion: input.dataVersion,
    computedAt: input.computedAt.toISOString(),
  };
}

export interface CriterionDetailInput {
  criterion: string;
  label: string;
  /** Hired sample: criterion score and outcome (1/0 for binary outcomes). */
  xs: number[];
  ys: number[];
  binary: boolean;
  outcome: Outcome;
  nApplicants: number;
  applicantSd: number | null;
  settings: OrganizationSettings;
  scale: { scaleMin: number; scaleMax: number };
}

/** Observed and corrected validity of one predictor (PRODUCT.md "Statistical definitions"). */
export function criterionDetail(input: CriterionDetailInput): CriterionValidityDetail {
  const { xs, ys, binary, settings } = input;
  const n = xs.length;
  const r = pearson(xs, ys);
  const inference = r === null ? { ciLow: null, ciHigh: null, pValue: null } : correlationInference(r, n);
  const hiredSd = n >= 2 ? finite(sampleSd(xs)) : null;
  const applicantSd =
    input.applicantSd !== null && Number.isFinite(input.applicantSd) ? input.applicantSd : null;
  const u =
    applicantSd !== null && hiredSd !== null && hiredSd > 0 && applicantSd > 0 ? applicantSd / hiredSd : null;
  const rRangeCorrected = r !== null && u !== null ? rangeRestrictionCaseII(r, u) : null;
  // The r_yy correction is for rating-based criteria (performance, and success which is a rating threshold);
  // retention is a recorded fact, to which the interrater reliability of supervisory ratings does not apply.
  const operational = u !== null && input.outcome !== 'retention';
  const rOperational =
    r !== null && operational ? operationalValidity(r, settings.criterionReliability, u) : null;
  // Intervals of the corrected coefficients: the observed Fisher-z interval's ends put through the same correction
  // (Hunter and Schmidt 2004, ch. 3, confidence intervals for corrected correlations; Schmidt and Hunter 1996).
  // Both corrections increase monotonically in r, so the corrected ends stay ordered.
  const rangeEnd = (end: number | null) =>
    end !== null && u !== null ? rangeRestrictionCaseII(end, u) : null;
  const operationalEnd = (end: number | null) =>
    end !== null && operational ? operationalValidity(end, settings.criterionReliability, u) : null;
  const labels = ys.map((y) => y === 1);
  const aucResult = binary ? auc(xs, labels) : null;
  return {
    criterion: input.criterion,
    label: input.label,
    n,
    nApplicants: input.nApplicants,
    r,
    ciLow: inference.ciLow,
    ciHigh: inference.ciHigh,
    pValue: inference.pValue,
    spearman: spearman(xs, ys),
    applicantSd,
    hiredSd,
    rRangeCorrected,
    rRangeCorrectedCiLow: rangeEnd(inference.ciLow),
    rRangeCorrectedCiHigh: rangeEnd(inference.ciHigh),
    rOperational,
    rOperationalCiLow: operationalEnd(inference.ciLow),
    rOperationalCiHigh: operationalEnd(inference.ciHigh),
    auc: aucResult?.auc ?? null,
    aucCiLow: aucResult?.ciLow ?? null,
    aucCiHigh: aucResult?.ciHigh ?? null,
    pointBiserial: binary ? pointBiserial(xs, labels) : null,
    sufficient: n >= settings.minimumSample,
    nNeededR20: N_NEEDED_R20,
    nNeededR30: N_NEEDED_R30,
    byScoreLevel: byScoreLevel(xs, ys, binary, input.scale),
  };
}

/**
 * Mean outcome per score level (score rounded to the nearest scale point): a t interval for ratings, a Wilson
 * interval for proportions; null intervals below 2 observations.
 */
export function byScoreLevel(
  xs: readonly number[],
  ys: readonly number[],
  binary: boolean,
  scale: { scaleMin: number; scaleMax: number },
): ScoreLevelOutcome[] {
  const groups = new Map<number, number[]>();
  xs.forEach((x, i) => {
    const level = Math.min(scale.scaleMax, Math.max(scale.scaleMin, Math.round(x)));
    const g = groups.get(level);
    if (g) g.push(ys[i]);
    else groups.set(level, [ys[i]]);
  });
  return [...groups.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([score, values]) => {
      const n = values.length;
      const m = mean(values);
      let ciLow: number | null = null;
      let ciHigh: number | null = null;
      if (n >= 2 && binary) {
        const z = Z_975;
        const center = (m + (z * z) / (2 * n)) / (1 + (z * z) / n);
        const half = (z / (1 + (z * z) / n)) * Math.sqrt((m * (1 - m)) / n + (z * z) / (4 * n * n));
        ciLow = Math.max(0, center - half);
        ciHigh = Math.min(1, center + half);
      } else if (n >= 2) {
        const half = (tQuantile(0.975, n - 1) * sampleSd(values)) / Math.sqrt(n);
        ciLow = m - half;
        ciHigh = m + half;
      }
      return { score, n, mean: m, ciLow, ciHigh };
    });
}

function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/**
 * Outcome regressed on all criteria in the hired sample, complete cases only (hires scored on every criterion and
 * with a known outcome). Null when the model cannot be estimated.
 */
export function regressionSummary(
  criteria: readonly { key: string; label: string }[],
  judged: readonly { row: HireRow; y: number }[],
  minimumSample: number,
): RegressionSummary | null {
  const keys = criteria.map((c) => c.key);
  const rows: number[][] = [];
  const y: number[] = [];
  for (const h of judged) {
    if (h.row.scores.some((s) => s === null)) continue;
    rows.push(h.row.scores as number[]);
    y.push(h.y);
  }
  if (keys.length === 0 || rows.length < keys.length + 2) return null;
  const model = momentOls(rows, y);
  if (!model) return null;
  const folds = Math.min(CV_FOLDS, rows.length);
  const crossValidatedR = momentCrossValidatedR(rows, y, folds, CV_SEED);
  const predictors = model.predictors.map((p) => ({
    criterion: keys[p.index],
    beta: p.beta,
    betaCiLow: p.betaCiLow,
    betaCiHigh: p.betaCiHigh,
    deltaRSquared: p.deltaR2,
    deltaF: p.deltaR2F,
    deltaP: p.deltaR2P,
    relativeWeight: p.relativeWeight,
    recommendedWeight: p.recommendedWeight,
    recommended: p.recommended,
  }));
  return {
    n: model.n,
    r: model.r,
    rSquared: model.r2,
    adjustedRSquared: model.adjustedR2,
    fValue: model.f,
    pValue: model.fPValue,
    crossValidatedR,
    folds,
    predictors,
    recommendation: recommendation(
      predictors,
      new Map(criteria.map((c) => [c.key, c.label])),
      model.n,
      minimumSample,
      model.fPValue,
    ),
  };
}

/** The plain-language recommendation; criteria are named by their rubric labels, as the screens show them. */
function recommendation(
  predictors: RegressionSummary['predictors'],
  labels: ReadonlyMap<string, string>,
  n: number,
  minimumSample: number,
  pValue: number,
): string {
  if (n < minimumSample) {
    return `Only ${n} hires have every score and an outcome (minimum ${minimumSample}): collect more outcomes before reweighting the rubric.`;
  }
  if (pValue >= 0.05) {
    // Three decimals, as the screens write p: .053 rounded to "0.05" would read as significant.
    const p = pValue > 0.999 ? '>.999' : `= ${pValue.toFixed(3).replace(/^0\./, '.')}`;
    return `The criteria together do not predict the outcome reliably yet (p ${p}): keep equal weights.`;
  }
  const label = (key: string) => labels.get(key) ?? key;
  const ranked = [...predictors].sort((a, b) => b.recommendedWeight - a.recommendedWeight);
  const kept = ranked.filter((p) => p.recommended);
  const dropped = ranked.filter((p) => !p.recommended);
  if (kept.length === 0) {
    return 'No criterion goes with better outcomes once the others are known: review the rubric before weighting it.';
  }
  const weights = kept
    .map((p) => `${label(p.criterion)} ${Math.round(p.recommendedWeight * 100)}%`)
    .join(', ');
  const weak = kept.filter((p) => p.deltaP >= 0.05).map((p) => label(p.criterion));
  const names = dropped.map((p) => label(p.criterion)).join(', ');
  return (
    `Suggested weights (relative importance): ${weights}.` +
    (weak.length > 0
      ? ` ${weak.join(', ')} add${weak.length === 1 ? 's' : ''} no significant unique prediction.`
      : '') +
    (dropped.length > 0
      ? ` Not recommended: ${names} (0%). ${dropped.length === 1 ? 'Its' : 'Their'} scores go with worse outcomes once the other criteria are known; consider dropping ${dropped.length === 1 ? 'it' : 'them'} or checking whether ${dropped.length === 1 ? 'it is' : 'they are'} scored the wrong way round.`
      : '')
  );
}

export function haloMatrix(keys: string[], pool: PoolStats): HaloMatrix | null {
  if (keys.length === 0) return null;
  return {
    criteria: keys,
    r: keys.map((_, i) =>
      keys.map((__, j) => (i === j ? (pool.n[i] > 1 ? 1 : null) : (pool.haloR[i]?.[j] ?? null))),
    ),
    n: keys.map((_, i) => keys.map((__, j) => (i === j ? pool.n[i] : (pool.haloN[i]?.[j] ?? 0)))),
  };
}

/**
 * Validity per hire quarter: drift shows as cohorts whose intervals move apart. A cohort is `sufficient` when its
 * composite has at least the organization's minimum sample of hires with outcomes (each criterion carries its own
 * flag); below it a quarter's r (say -1.00 from three hires) is noise and the screen marks it so.
 */
export function cohorts(
  hires: readonly HireRow[],
  judged: readonly JudgedHire[],
  keys: readonly string[],
  minimumSample: number,
): CohortValidity[] {
  const k = keys.length;
  const hiresPer = new Map<string, number>();
  for (const h of hires) {
    if (!h.hiredAt) continue;
    const c = hireCohort(h.hiredAt);
    hiresPer.set(c, (hiresPer.get(c) ?? 0) + 1);
  }
  const judgedPer = new Map<string, JudgedHire[]>();
  for (const h of judged) {
    if (!h.row.hiredAt) continue;
    const c = hireCohort(h.row.hiredAt);
    const list = judgedPer.get(c);
    if (list) list.push(h);
    else judgedPer.set(c, [h]);
  }
  const one = (list: readonly JudgedHire[], index: number) => {
    const xs: number[] = [];
    const ys: number[] = [];
    for (const h of list) {
      const x = index === k ? h.composite : h.row.scores[index];
      if (x === null) continue;
      xs.push(x);
      ys.push(h.y);
    }
    const r = pearson(xs, ys);
    const inf = r === null ? { ciLow: null, ciHigh: null } : correlationInference(r, xs.length);
    return { n: xs.length, r, ciLow: inf.ciLow, ciHigh: inf.ciHigh, sufficient: xs.length >= minimumSample };
  };
  return [...hiresPer.keys()].sort().map((cohort) => {
    const list = judgedPer.get(cohort) ?? [];
    const composite = one(list, k);
    return {
      cohort,
      nHires: hiresPer.get(cohort) ?? 0,
      sufficient: composite.sufficient,
      criteria: keys.map((criterion, i) => ({ criterion, ...one(list, i) })),
      composite,
    };
  });
}
