import type {
  AnalyticsFilters,
  CriterionReliability,
  IntervalEstimate,
  InterviewerCalibration,
  InterviewersReport,
  OrganizationSettings,
  Outcome,
  ReliabilityReport,
} from '@hiresignal/shared';
import {
  correlationInference,
  iccOneWayUnbalanced,
  iccShroutFleiss,
  krippendorffAlpha,
  pearson,
  tQuantile,
  type IccEstimate,
} from '@hiresignal/stats';
import { classifyOutcome, type HireOutcomeFacts } from './outcomes';

export interface InterviewerActivityRow {
  interviewerId: string;
  name: string | null;
  interviews: number;
  candidates: number;
  decisions: number;
  agreements: number;
  /** Candidates with at least one co-panelist on a shared criterion, and the mean and n-1 SD of their differences. */
  leniencyN: number;
  leniencyMean: number | null;
  leniencySd: number | null;
}

export interface InterviewerHireScoreRow extends HireOutcomeFacts {
  interviewerId: string;
  applicationId: string;
  /** This interviewer's mean score over the criteria they scored for the hire. */
  score: number;
}

/** Mean with a t interval on n - 1 df from its n-1 SD; no interval below two observations. */
export function meanWithTInterval(
  n: number,
  meanValue: number | null,
  sd: number | null,
): IntervalEstimate | null {
  if (n < 1 || meanValue === null || !Number.isFinite(meanValue)) return null;
  if (n < 2 || sd === null || !Number.isFinite(sd)) return { value: meanValue, ciLow: null, ciHigh: null };
  const half = (tQuantile(0.975, n - 1) * sd) / Math.sqrt(n);
  return { value: meanValue, ciLow: meanValue - half, ciHigh: meanValue + half };
}

export function buildInterviewersReport(input: {
  outcome: Outcome;
  filters: AnalyticsFilters;
  settings: OrganizationSettings;
  dataVersion: string;
  asOf: Date;
  activity: InterviewerActivityRow[];
  hireScores: InterviewerHireScoreRow[];
}): InterviewersReport {
  const pairs = new Map<string, { xs: number[]; ys: number[] }>();
  for (const row of input.hireScores) {
    const c = classifyOutcome(input.outcome, row, {
      asOf: input.asOf,
      successThreshold: input.settings.successThreshold,
    });
    if (c.status !== 'known') continue;
    let p = pairs.get(row.interviewerId);
    if (!p) pairs.set(row.interviewerId, (p = { xs: [], ys: [] }));
    p.xs.push(row.score);
    p.ys.push(c.value);
  }
  const interviewers: InterviewerCalibration[] = input.activity.map((a) => {
    const p = pairs.get(a.interviewerId) ?? { xs: [], ys: [] };
    const n = p.xs.length;
    const r = pearson(p.xs, p.ys);
    const inf = r === null ? { ciLow: null, ciHigh: null, pValue: null } : correlationInference(r, n);
    return {
      interviewerId: a.interviewerId,
      name: a.name,
      interviews: a.interviews,
      candidates: a.candidates,
      leniency: meanWithTInterval(a.leniencyN, a.leniencyMean, a.leniencySd),
      nCoPanelComparisons: a.leniencyN,
      agreementWithDecision: a.decisions > 0 ? a.agreements / a.decisions : null,
      nDecisions: a.decisions,
      validity: { n, r, ...inf, sufficient: n >= input.settings.minimumSample },
    };
  });
  return {
    outcome: input.outcome,
    filters: input.filters,
    minimumSample: input.settings.minimumSample,
    interviewers,
    dataVersion: input.dataVersion,
  };
}

export interface ReliabilityRow {
  kind: 'values' | 'panel';
  criterion: string;
  ratings: number[];
  n: number;
  panel: string[] | null;
}

export const RELIABILITY_METHOD =
  'Units are (application, criterion); an interviewer who scored a unit more than once contributes the mean of ' +
  'those scores as one rating. ICC(1,1) is the one-way random-effects ICC for unbalanced panels (unequal numbers ' +
  'of different interviewers per candidate), with k0 = (N - sum n_i^2 / N) / (a - 1) in place of k (Snedecor and ' +
  'Cochran 1989) and the balanced-design F interval with k0, an approximation. ICC(2,1) and ICC(2,k) (two-way ' +
  'random effects, absolute agreement, Shrout and Fleiss 1979; ICC(2,k) interval per McGraw and Wong 1996) need ' +
  'every interviewer to rate every candidate, so they are computed on the complete block formed by the candidates ' +
  'rated by the most common panel (the same set of at least two interviewers) for that criterion, with k = that ' +
  "panel's size; the report's twoWay field names the panel and its candidates, and they are null when fewer than 3 candidates share " +
  "it. Krippendorff's alpha (interval and ordinal metrics, Krippendorff 2011) uses every unit with at least two " +
  'ratings and handles missing ratings natively. Rows are limited to the filters; hire-date filters do not apply.';

const MIN_TWO_WAY_CANDIDATES = 3;

function interval(e: IccEstimate | null | undefined): IntervalEstimate | null {
  if (!e || e.value === null) return null;
  return { value: e.value, ciLow: e.ciLow, ciHigh: e.ciHigh };
}

export function buildReliabilityReport(input: {
  filters: AnalyticsFilters;
  dataVersion: string;
  criteria: { key: string; label: string }[];
  rows: ReliabilityRow[];
}): ReliabilityReport {
  const criteria: CriterionReliability[] = input.criteria.map(({ key, label }) => {
    // Units arrive compressed (each distinct set of ratings once, with its count) and stay so: the statistics take
    // the counts as weights, so the work is proportional to the distinct rating patterns, not to the candidates.
    const units: number[][] = [];
    const counts: number[] = [];
    const panelRows: number[][] = [];
    let panel: string[] | null = null;
    for (const row of input.rows) {
      if (row.criterion !== key) continue;
      if (row.kind === 'values') {
        units.push(row.ratings);
        counts.push(row.n);
      } else {
        panelRows.push(row.ratings);
        panel = row.panel;
      }
    }
    const nCandidates = counts.reduce((a, n) => a + n, 0);
    const nRatings = units.reduce((a, u, i) => a + counts[i] * u.length, 0);
    const oneWay = iccOneWayUnbalanced(units, counts);
    const twoWay =
      panel !== null && panelRows.length >= MIN_TWO_WAY_CANDIDATES ? iccShroutFleiss(panelRows) : null;
    return {
      criterion: key,
      label,
      nCandidates,
      nRatings,
      meanRatersPerCandidate: nCandidates > 0 ? nRatings / nCandidates : 0,
      icc11: interval(oneWay?.icc1),
      icc21: interval(twoWay?.icc21),
      icc2k: interval(twoWay?.icc2k),
      alphaInterval: krippendorffAlpha(units, 'interval', counts).alpha,
      alphaOrdinal: krippendorffAlpha(units, 'ordinal', counts).alpha,
      twoWay: panel === null ? null : { interviewers: panel, nCandidates: panelRows.length },
    };
  });
  return { filters: input.filters, method: RELIABILITY_METHOD, criteria, dataVersion: input.dataVersion };
}
