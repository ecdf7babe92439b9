/*
 * The analytics contract between the API and the dashboard (issue: criterion validity and interviewer
 * calibration). Definitions follow PRODUCT.md and the README; null means "does not apply or cannot be computed".
 */

export const OUTCOMES = ['performance', 'success', 'retention'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface AnalyticsFilters {
  jobId?: string;
  department?: string;
  rubric?: string;
  rubricVersion?: number;
  source?: string;
  /** ISO dates, inclusive, on the hire date. */
  hiredFrom?: string;
  hiredTo?: string;
}

export interface OrganizationSettings {
  /** r_yy for the operational-validity correction (default .52). */
  criterionReliability: number;
  /** Latest rating at or above which a hire counts as a success (default 4 of 5). */
  successThreshold: number;
  /** Hires with outcomes below which a criterion is flagged insufficient (default 30). */
  minimumSample: number;
}

export interface ScoreLevelOutcome {
  /** Criterion score rounded to the rubric's scale point. */
  score: number;
  n: number;
  /** Mean outcome (rating, or proportion for binary outcomes) with its 95% interval. */
  mean: number;
  ciLow: number | null;
  ciHigh: number | null;
}

export interface CriterionValidityDetail {
  criterion: string;
  label: string;
  /** Hired applications with a score on the criterion and a known outcome. */
  n: number;
  /** Applicant pool: applications with a score on the criterion (inside the filters). */
  nApplicants: number;
  r: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  pValue: number | null;
  spearman: number | null;
  applicantSd: number | null;
  hiredSd: number | null;
  /** Thorndike Case II: r corrected for direct range restriction, U = applicantSd / hiredSd. */
  rRangeCorrected: number | null;
  /**
   * 95% interval of rRangeCorrected: the ends of the observed Fisher-z interval (ciLow, ciHigh) corrected the same
   * way (Hunter and Schmidt 2004).
   */
  rRangeCorrectedCiLow: number | null;
  rRangeCorrectedCiHigh: number | null;
  /** Operational validity: r corrected for criterion unreliability (r_yy), then Case II; null for retention. */
  rOperational: number | null;
  /** 95% interval of rOperational: the observed interval's ends with the same two corrections. */
  rOperationalCiLow: number | null;
  rOperationalCiHigh: number | null;
  /** Binary outcomes only. */
  auc: number | null;
  aucCiLow: number | null;
  aucCiHigh: number | null;
  pointBiserial: number | null;
  sufficient: boolean;
  nNeededR20: number;
  nNeededR30: number;
  /** Drill-down: mean outcome at each score level. */
  byScoreLevel: ScoreLevelOutcome[];
}

export interface RegressionPredictor {
  criterion: string;
  beta: number;
  betaCiLow: number;
  betaCiHigh: number;
  deltaRSquared: number;
  deltaF: number;
  deltaP: number;
  /** Johnson (2000) relative weight, and its share of R squared (the recommended rubric weight). */
  relativeWeight: number;
  recommendedWeight: number;
}

export interface RegressionSummary {
  n: number;
  r: number;
  rSquared: number;
  adjustedRSquared: number;
  fValue: number;
  pValue: number;
  crossValidatedR: number | null;
  folds: number;
  predictors: RegressionPredictor[];
  /** One sentence for a talent leader. */
  recommendation: string;
}

export interface HaloMatrix {
  criteria: string[];
  /** Pearson r between criterion scores in the applicant pool; r[i][j]. */
  r: (number | null)[][];
  n: number[][];
}

export interface CohortCorrelation {
  n: number;
  r: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  /** n is at least the organization's minimum sample. */
  sufficient: boolean;
}

export interface CohortValidity {
  /** Hire quarter, e.g. 2025-Q3. */
  cohort: string;
  nHires: number;
  /**
   * The quarter's composite has at least the organization's minimum sample of hires with outcomes; below it the
   * cohort's correlations are shown but flagged (a quarter of 3 hires can give r = -1.00).
   */
  sufficient: boolean;
  criteria: (CohortCorrelation & { criterion: string })[];
  composite: CohortCorrelation;
}

/** GET /api/v1/analytics/validity */
export interface ValidityReport {
  outcome: Outcome;
  filters: AnalyticsFilters;
  rubric: { name: string; version: number; scaleMin: number; scaleMax: number } | null;
  settings: OrganizationSettings;
  nApplicants: number;
  nHires: number;
  /** Hires too recent to judge the outcome, left out and counted. */
  nExcludedTooRecent: number;
  criteria: CriterionValidityDetail[];
  composite: CriterionValidityDetail | null;
  regression: RegressionSummary | null;
  halo: HaloMatrix | null;
  byCohort: CohortValidity[];
  dataVersion: string;
  computedAt: string;
}

export interface IntervalEstimate {
  value: number;
  ciLow: number | null;
  ciHigh: number | null;
}

export interface InterviewerCalibration {
  interviewerId: string;
  interviews: number;
  candidates: number;
  /** Mean of (own score - mean of co-panelists' scores on the same candidate and criterion). */
  leniency: IntervalEstimate | null;
  nCoPanelComparisons: number;
  /** Share of this interviewer's recommendations (yes/strong_yes vs no/strong_no) that match the final decision. */
  agreementWithDecision: number | null;
  nDecisions: number;
  /** This interviewer's own scores (mean over criteria) against the outcome, in the hired sample. */
  validity: {
    n: number;
    r: number | null;
    ciLow: number | null;
    ciHigh: number | null;
    pValue: number | null;
    sufficient: boolean;
  };
}

/** GET /api/v1/analytics/interviewers */
export interface InterviewersReport {
  outcome: Outcome;
  filters: AnalyticsFilters;
  minimumSample: number;
  interviewers: InterviewerCalibration[];
  dataVersion: string;
}

export interface CriterionReliability {
  criterion: string;
  label: string;
  nCandidates: number;
  nRatings: number;
  meanRatersPerCandidate: number;
  icc11: IntervalEstimate | null;
  icc21: IntervalEstimate | null;
  icc2k: IntervalEstimate | null;
  alphaInterval: number | null;
  alphaOrdinal: number | null;
  /** The complete block ICC(2,1) and ICC(2,k) were computed on: the most common panel and its candidates. */
  twoWay?: { interviewers: string[]; nCandidates: number } | null;
}

/** GET /api/v1/analytics/reliability */
export interface ReliabilityReport {
  filters: AnalyticsFilters;
  /** How unbalanced panels were handled, in words (also in the README). */
  method: string;
  criteria: CriterionReliability[];
  dataVersion: string;
}
