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
  /** Small-cell threshold k (default 5): an aggregate cell of fewer than k people is shown suppressed. */
  smallCellK: number;
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
  /** Johnson (2000) relative weight in the model on all criteria; the weights sum to R squared and are never negative. */
  relativeWeight: number;
  /**
   * The rubric weight to recommend, 0 to 1: criteria with a positive beta share 100% by their relative weights in the
   * model on them alone; a criterion whose beta is not positive gets 0 (see docs/statistics.md, "weights rule").
   */
  recommendedWeight: number;
  /** False when the criterion is left out of the recommended weights because its beta is not positive. */
  recommended: boolean;
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
  /** The key: the interviewer's id as imported. */
  interviewerId: string;
  /** Display name from the latest import that gave one (interview_scores.interviewer_name); null when none did. */
  name: string | null;
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

/*
 * The recruiter funnel (PRODUCT.md "Funnel definitions"; README "Funnel"). GET /api/v1/analytics/funnel.
 */

/** Filters of the funnel: the applied-date filters choose the cohort (inclusive UTC dates on applied_at). */
export interface FunnelFilters {
  jobId?: string;
  department?: string;
  source?: string;
  /** Accepted so one filter bar's URL works on every screen; the funnel counts applications, not scores. */
  rubric?: string;
  rubricVersion?: number;
  appliedFrom?: string;
  appliedTo?: string;
}

/** Median and 90th percentile (linear interpolation, numpy's default) of a duration in days, with n. */
export interface DaysSummary {
  n: number;
  median: number | null;
  p90: number | null;
}

export interface FunnelStage {
  /** The stage key; the first entry is the implicit 'applied' step. */
  stage: string;
  label: string;
  /** True for 'applied', the step every application is in at applied_at. */
  implicit: boolean;
  /** Applications that have an event at this stage or a later one (a hire has reached the last stage). */
  reached: number;
  /** Reached a stage after this one. */
  advanced: number;
  /** Furthest stage reached is this one and the status is rejected, withdrawn or offer_declined. */
  exited: number;
  /** Furthest stage reached is this one and the status is active: not in the pass-through denominator. */
  inProgress: number;
  /** advanced / (advanced + exited); null when no consideration at this stage has concluded. */
  passThroughRate: number | null;
  /** 95% Wilson interval of passThroughRate. */
  passThroughCiLow: number | null;
  passThroughCiHigh: number | null;
  /** reached / applications. */
  conversionFromApplied: number | null;
  /** Days from entering this stage to the earliest event at a later stage; null where no one advanced. */
  daysInStage: DaysSummary | null;
}

export interface FunnelGroup {
  /** Source, job id, department, or null for applications without one. */
  key: string | null;
  label: string;
  applications: number;
  hires: number;
  /** Applications still active: their outcome is not known yet. */
  inProgress: number;
  /** hires / applications with its 95% Wilson interval. */
  hireRate: number | null;
  hireRateCiLow: number | null;
  hireRateCiHigh: number | null;
  /** Mean rating of the latest performance review of the hires that have one, and how many have one. */
  meanLatestRating: number | null;
  meanLatestRatingN: number;
  /** Share of hires with a known success outcome (the validity report's definition) who succeeded, and how many. */
  successRate: number | null;
  successN: number;
  successCiLow: number | null;
  successCiHigh: number | null;
  /** Hires too recent to judge for success (left out of successN). */
  successExcludedTooRecent: number;
}

export interface FunnelMonth {
  /** Application month (UTC), YYYY-MM: the cohort. */
  month: string;
  applications: number;
  hires: number;
  /** Still active: a recent month has many of these and few hires yet. */
  inProgress: number;
  hireRate: number | null;
  hireRateCiLow: number | null;
  hireRateCiHigh: number | null;
}

export interface FunnelReport {
  filters: FunnelFilters;
  dataVersion: string;
  /** Judgement day of the success outcome (start of the current UTC day). */
  asOf: string | Date;
  computedAt: string | Date;
  successThreshold: number;
  /** Where the stage list comes from: the organization's setting, or the order seen in the data. */
  stagesSource: 'settings' | 'data';
  applications: number;
  /** Stage events of the cohort on stages that are not in the list: kept, counted here, not in any stage. */
  unmappedEvents: number;
  unmappedStages: { stage: string; events: number }[];
  stages: FunnelStage[];
  /** hired_at - applied_at in days, over hires with a hire date. */
  timeToHire: DaysSummary;
  /** hired / (hired + offer_declined) with its 95% Wilson interval. */
  offerAcceptance: {
    hired: number;
    declined: number;
    rate: number | null;
    ciLow: number | null;
    ciHigh: number | null;
  };
  bySource: FunnelGroup[];
  byJob: FunnelGroup[];
  byDepartment: FunnelGroup[];
  byMonth: FunnelMonth[];
}

/** GET /api/v1/settings/pipeline-stages. */
export interface PipelineStagesSetting {
  /** The list the funnel uses. */
  stages: string[];
  source: 'settings' | 'data';
  /** The organization's own list, null when it follows the data. */
  configured: string[] | null;
  /** Every stage name seen in the stage events, in their usual order, with its event count and whether it is mapped. */
  seen: { stage: string; events: number; mapped: boolean }[];
}
