/*
 * The fairness contract between the API and the dashboard (PRODUCT.md "Fairness definitions"; README "Fairness").
 * Routes: GET /api/v1/analytics/adverse-impact, /adverse-impact/stages, /bias-audit, /differential-validity.
 * A suppressed cell (fewer than k people, or recoverable by subtraction from shown totals) carries no count, rate or
 * ratio: those fields are null and `suppressed` is true. null elsewhere means "does not apply or cannot be computed".
 */

export const FAIRNESS_GROUPINGS = ['sex', 'race_ethnicity', 'intersectional'] as const;
export type FairnessGrouping = (typeof FAIRNESS_GROUPINGS)[number];

/** The decision a selection rate is taken at: 'hire' (the final decision) or a pipeline stage's name. */
export const HIRE_DECISION = 'hire';

/** Filters of the fairness views: the analytics filters, with the cohort chosen by application date. */
export interface FairnessFilters {
  jobId?: string;
  department?: string;
  source?: string;
  rubric?: string;
  rubricVersion?: number;
  appliedFrom?: string;
  appliedTo?: string;
  hiredFrom?: string;
  hiredTo?: string;
}

/** One group's row of a selection-rate (or scoring-rate) table. */
export interface SelectionGroup {
  /** Canonical value: 'female', 'asian', or 'female|asian' for intersectional. */
  group: string;
  label: string;
  /** null when suppressed. */
  applicants: number | null;
  selected: number | null;
  selectionRate: number | null;
  /** selectionRate / the reference group's rate; null for excluded, suppressed, or when the reference rate is 0. */
  impactRatio: number | null;
  /** 5 x selected_g x applicants_ref < 4 x selected_ref x applicants_g (exact integer comparison). */
  fourFifthsFlag: boolean;
  /** Against the reference group: two-sided Fisher exact p, pooled two-proportion z-test p (no continuity correction). */
  fisherP: number | null;
  zP: number | null;
  /**
   * Under 2% of the applicants at this decision (listed with count and rate, not part of ratios or tests). Always
   * false on a suppressed row: stating it would narrow the hidden count.
   */
  excluded: boolean;
  /** Fewer than k people in the cell, or recoverable by subtraction: no count, rate or ratio shown. */
  suppressed: boolean;
  /** Always null: which rule hid a cell (under k, or its complement) would tell its size. Kept for older clients. */
  suppressedReason?: 'small' | 'complement' | null;
  /** Whether this row is the reference group. */
  reference: boolean;
}

export interface ChiSquareResult {
  statistic: number;
  df: number;
  p: number;
}

/** GET /api/v1/analytics/adverse-impact?decision=hire|<stage>&groupBy=sex|race_ethnicity|intersectional */
export interface AdverseImpactReport {
  filters: FairnessFilters;
  dataVersion: string;
  computedAt: string | Date;
  decision: string;
  groupBy: FairnessGrouping;
  /** Applicants at this decision (all groups, unknown included). */
  applicants: number;
  /** Applicants with no demographics row, or a missing or declined value: shown, never in a ratio or test. */
  unknown: number | null;
  unknownSuppressed?: boolean;
  /** The group with the highest selection rate among groups holding at least 2% of the applicants. */
  referenceGroup: string | null;
  /** Test of independence across the included (not excluded, not suppressed) groups; null with fewer than 2. */
  chiSquare: ChiSquareResult | null;
  /** The organization's small-cell threshold. */
  k: number;
  groups: SelectionGroup[];
}

/** GET /api/v1/analytics/adverse-impact/stages?groupBy=...: every stage and the hire decision, in funnel order. */
export interface AdverseImpactStagesReport {
  filters: FairnessFilters;
  dataVersion: string;
  computedAt: string | Date;
  groupBy: FairnessGrouping;
  k: number;
  /**
   * One entry per decision: the implicit 'applied' step (applicants = advanced to a stage or closed without one),
   * each pipeline stage in order, then 'hire'.
   */
  decisions: Omit<AdverseImpactReport, 'filters' | 'dataVersion' | 'computedAt' | 'groupBy' | 'k'>[];
}

/** One grouping's table of the bias audit: scoring or selection rates. */
export interface BiasAuditTable {
  unknown: number | null;
  unknownSuppressed?: boolean;
  referenceGroup: string | null;
  groups: BiasAuditGroup[];
}

export interface BiasAuditGroup {
  group: string;
  label: string;
  /** Scored applications of the group (for the selection table: applicants at the hire decision). */
  applicants: number | null;
  /** Strictly above the median (for the selection table: hired). */
  aboveMedian: number | null;
  scoringRate: number | null;
  impactRatio: number | null;
  excluded: boolean;
  suppressed: boolean;
  suppressedReason?: 'small' | 'complement' | null;
  reference: boolean;
}

/** GET /api/v1/analytics/bias-audit?criterion=<criterion>|composite: NYC Local Law 144 (6 RCNY 5-301) tables. */
export interface BiasAuditReport {
  filters: FairnessFilters;
  dataVersion: string;
  computedAt: string | Date;
  criterion: string;
  rubric: { name: string; version: number } | null;
  /** Median of the candidate scores of every scored application inside the filters (unknown group included). */
  median: number | null;
  scoredApplications: number;
  k: number;
  bySex: BiasAuditTable;
  byRaceEthnicity: BiasAuditTable;
  intersectional: BiasAuditTable;
  /** The hire decision's selection-rate tables (selected = hired), in the same three groupings. */
  selection: {
    bySex: BiasAuditTable;
    byRaceEthnicity: BiasAuditTable;
    intersectional: BiasAuditTable;
  };
  /** Plain statements of the definitions used, for the printable summary. */
  definitions: string[];
}

export interface GroupValidity {
  group: string;
  label: string;
  n: number | null;
  r: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  /** n below the organization's minimum sample: shown, not part of the tests. */
  insufficient: boolean;
  suppressed: boolean;
}

/** GET /api/v1/analytics/differential-validity?outcome=&groupBy=&criterion= */
export interface DifferentialValidityReport {
  filters: FairnessFilters;
  dataVersion: string;
  computedAt: string | Date;
  outcome: string;
  groupBy: FairnessGrouping;
  criterion: string;
  minimumSample: number;
  k: number;
  /** Hires with a known outcome and an unknown group; null when suppressed. */
  unknown: number | null;
  unknownSuppressed?: boolean;
  groups: GroupValidity[];
  /** Two sufficient groups: z = (z1 - z2) / sqrt(1/(n1-3) + 1/(n2-3)), two-sided p. */
  difference: { z: number; p: number; groups: [string, string] } | null;
  /** More than two sufficient groups: Q = sum (n_i - 3)(z_i - z_w)^2, chi-square with k - 1 df. */
  heterogeneity: { q: number; df: number; p: number } | null;
  /**
   * Cleary (1968) differential prediction over the sufficient groups, hired sample: outcome on score, group and
   * score x group. Slope difference: the interaction's test in that model; intercept difference: the group term's test
   * in the model without the interaction. With two groups t tests (and F = t^2); with more, F tests.
   */
  cleary: {
    groups: string[];
    referenceGroup: string;
    n: number;
    slopeDifference: {
      estimate: number | null;
      t: number | null;
      f: number;
      df1: number;
      df2: number;
      p: number;
    };
    interceptDifference: {
      estimate: number | null;
      t: number | null;
      f: number;
      df1: number;
      df2: number;
      p: number;
    };
    /** Per group intercept and slope of the separate-lines model. */
    lines: { group: string; intercept: number; slope: number }[];
  } | null;
  /** Why a test is missing, in plain words (e.g. fewer than two groups with the minimum sample). */
  notes: string[];
}
