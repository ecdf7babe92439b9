/*
 * Plain-language readings of the dashboard's statistics: the sentences a talent leader or a recruiter reads first,
 * with the technical detail one click away. Pure functions, no Angular; the thresholds and their sources are in
 * docs/statistics.md ("Plain-language readings") and pinned by plain-language.spec.ts.
 */
// Types only: a value import from the shared barrel would pull its zod record schemas into the bundle.
import type {
  AdverseImpactStagesReport,
  CriterionValidityDetail,
  ExportSummary,
  FairnessGrouping,
  FunnelStage,
  ImportRunSummary,
  InterviewerCalibration,
  Outcome,
} from '@hiresignal/shared';
import { GROUPING_NOUNS } from '../fairness/fairness-format';
import { formatDays, formatPercent } from '../funnel/funnel-format';
import { leniencyVerdict } from '../interviewers/interviewers-format';
import { formatCorrelation as formatR, formatSigned } from '../validity/validity-format';

/**
 * Cohen (1988, ch. 3, pp. 79-81): for a correlation, r = .10 is a small effect, .30 a medium one and .50 a large
 * one. We say "moderate" for Cohen's "medium", and call anything under .10 negligible.
 */
export const EFFECT_SMALL = 0.1;
export const EFFECT_MEDIUM = 0.3;
export const EFFECT_LARGE = 0.5;

export type EffectSize = 'negligible' | 'small' | 'moderate' | 'large';

/** Cohen's (1988) convention for |r|: under .10 negligible, .10 small, .30 moderate (his "medium"), .50 large. */
export function effectSize(r: number): EffectSize {
  const a = Math.abs(r);
  if (a < EFFECT_SMALL) return 'negligible';
  if (a < EFFECT_MEDIUM) return 'small';
  return a < EFFECT_LARGE ? 'moderate' : 'large';
}

/**
 * How sure we are, read off the 95% interval:
 * - insufficient: fewer hires with an outcome than the organization's minimum sample (the product's rule);
 * - sure: the interval excludes 0 (equivalently p < .05, two-sided), "we are fairly sure";
 * - sure-negligible: the interval lies inside (-.10, .10), so any effect is smaller than Cohen's small one: an
 *   equivalence reading with .10 as the smallest effect of interest (Lakens 2017);
 * - unsure: the interval includes 0 and reaches past ±.10, "we can't tell yet".
 */
export type Certainty = 'insufficient' | 'sure' | 'sure-negligible' | 'unsure';

export function certaintyOf(
  row: Pick<CriterionValidityDetail, 'r' | 'ciLow' | 'ciHigh' | 'sufficient'>,
): Certainty {
  if (!row.sufficient || row.r === null || row.ciLow === null || row.ciHigh === null) return 'insufficient';
  if (row.ciLow > 0 || row.ciHigh < 0) return 'sure';
  return row.ciLow > -EFFECT_SMALL && row.ciHigh < EFFECT_SMALL ? 'sure-negligible' : 'unsure';
}

/**
 * What to do with a criterion: keep it (a validity of at least .10 whose interval excludes 0), consider dropping it
 * (the top of its 95% interval is below .10, so the data rule out even a small useful validity, or it is a small or
 * larger effect in the wrong direction that we are sure of), wait for the minimum sample, or keep watching.
 */
export type CriterionVerdict = 'keep' | 'drop' | 'unclear' | 'wait';

interface OutcomeWords {
  /** What candidates who score high do when the correlation is positive. */
  better: string;
  worse: string;
  /** The outcome as a noun phrase. */
  noun: string;
}

export const OUTCOME_WORDS: Record<Outcome, OutcomeWords> = {
  performance: {
    better: 'get better performance reviews',
    worse: 'get worse performance reviews',
    noun: 'performance reviews',
  },
  success: {
    better: 'more often turn out to be successful hires',
    worse: 'less often turn out to be successful hires',
    noun: 'success after hire',
  },
  retention: {
    better: 'more often stay through their first year',
    worse: 'more often leave in their first year',
    noun: 'staying the first year',
  },
};

export interface CriterionReading {
  criterion: string;
  label: string;
  r: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  /** Hires with a score and a known outcome. */
  n: number;
  effect: EffectSize | null;
  certainty: Certainty;
  verdict: CriterionVerdict;
  /** Hires with an outcome still missing to reach the minimum sample (0 when reached). */
  moreNeeded: number;
  /** The plain sentence. */
  sentence: string;
  /** The numbers behind it: "r = .32, 95% CI .22 to .41, n = 312 hires". */
  detail: string;
}

function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/**
 * One criterion's validity in words, e.g. "Candidates who score high on Fundamentals get better performance
 * reviews: a moderate effect, and we are fairly sure." The effect size is judged on the observed r (never on a
 * corrected one), the certainty on its 95% interval.
 */
export function readCriterion(
  row: Pick<CriterionValidityDetail, 'criterion' | 'label' | 'n' | 'r' | 'ciLow' | 'ciHigh' | 'sufficient'>,
  outcome: Outcome,
  minimumSample: number,
): CriterionReading {
  const words = OUTCOME_WORDS[outcome];
  const certainty = certaintyOf(row);
  const moreNeeded = Math.max(0, minimumSample - row.n);
  const detail =
    row.r === null
      ? `n = ${plural(row.n, 'hire', 'hires')}`
      : `r = ${formatR(row.r)}${
          row.ciLow !== null && row.ciHigh !== null
            ? `, 95% CI ${formatR(row.ciLow)} to ${formatR(row.ciHigh)}`
            : ''
        }, n = ${plural(row.n, 'hire', 'hires')}`;
  const base = {
    criterion: row.criterion,
    label: row.label,
    r: row.r,
    ciLow: row.ciLow,
    ciHigh: row.ciHigh,
    n: row.n,
    moreNeeded,
    detail,
  };
  if (certainty === 'insufficient' || row.r === null) {
    const missing = moreNeeded > 0 ? moreNeeded : Math.max(1, 4 - row.n);
    return {
      ...base,
      effect: row.r === null ? null : effectSize(row.r),
      certainty: 'insufficient',
      verdict: 'wait',
      sentence: `${row.label}: not enough data yet. ${plural(missing, 'more hire', 'more hires')} with known ${words.noun} needed.`,
    };
  }
  // Judged on r as the screens print it (two decimals), so a shown .10 reads as small, not negligible.
  const shown = Math.round(row.r * 100) / 100;
  const effect = effectSize(shown);
  const ciLow = row.ciLow ?? 0;
  const ciHigh = row.ciHigh ?? 0;
  // Even the top of the 95% interval is below Cohen's small effect: the data rule out a useful positive validity.
  const useless = ciHigh < EFFECT_SMALL;
  const reading = (verdict: CriterionVerdict, sentence: string): CriterionReading => ({
    ...base,
    effect,
    certainty,
    verdict,
    sentence,
  });
  if (shown <= -EFFECT_SMALL) {
    const opening = `Candidates who score high on ${row.label} ${words.worse}: a ${effect} effect in the wrong direction`;
    if (certainty === 'sure') return reading('drop', `${opening}, and we are fairly sure.`);
    return useless
      ? reading('drop', `${opening}. We can't be sure it hurts, but we are fairly sure it does not help.`)
      : reading('unclear', `${opening}, but we can't tell yet.`);
  }
  if (effect === 'negligible') {
    const opening = `Scores on ${row.label} tell us little or nothing about ${words.noun}`;
    if (certainty === 'sure-negligible') {
      return reading('drop', `${opening}: we are fairly sure any effect is negligible.`);
    }
    if (useless) return reading('drop', `${opening}: we are fairly sure it does not help.`);
    return certainty === 'sure' && ciLow > 0
      ? reading('unclear', `${opening}: a negligible effect, though we are fairly sure it is not zero.`)
      : reading('unclear', `${opening} so far, but we can't rule out a small effect yet.`);
  }
  return certainty === 'sure'
    ? reading(
        'keep',
        `Candidates who score high on ${row.label} ${words.better}: a ${effect} effect, and we are fairly sure.`,
      )
    : reading(
        'unclear',
        `Candidates who score high on ${row.label} ${words.better}: a ${effect} effect, but we can't tell yet (no effect is still possible).`,
      );
}

export interface ValidityReading {
  /** Every criterion, highest observed r first (criteria without enough data last). */
  criteria: CriterionReading[];
  composite: CriterionReading | null;
  /** Criteria with enough data that predict nothing useful or predict the wrong way. */
  drop: CriterionReading[];
  /** The headline: which criterion to consider dropping, or that none stands out. */
  headline: string;
}

/** The validity report in words: a sentence per criterion, the composite, and which criterion to drop. */
export function readValidity(
  criteria: readonly Pick<
    CriterionValidityDetail,
    'criterion' | 'label' | 'n' | 'r' | 'ciLow' | 'ciHigh' | 'sufficient'
  >[],
  composite: Pick<
    CriterionValidityDetail,
    'criterion' | 'label' | 'n' | 'r' | 'ciLow' | 'ciHigh' | 'sufficient'
  > | null,
  outcome: Outcome,
  minimumSample: number,
): ValidityReading {
  const rank = (c: CriterionReading) => (c.verdict === 'wait' || c.r === null ? -2 : c.r);
  const readings = criteria
    .map((row) => readCriterion(row, outcome, minimumSample))
    .sort((a, b) => rank(b) - rank(a) || a.label.localeCompare(b.label));
  const compositeReading = composite
    ? readCriterion({ ...composite, label: 'the composite (all criteria averaged)' }, outcome, minimumSample)
    : null;
  // Worst first: the one predicting the wrong way, then the weakest.
  const drop = readings.filter((c) => c.verdict === 'drop').sort((a, b) => (a.r ?? 0) - (b.r ?? 0));
  const noun = OUTCOME_WORDS[outcome].noun;
  let headline: string;
  if (readings.length === 0) {
    headline = 'No criterion has been scored for these filters yet.';
  } else if (readings.every((c) => c.verdict === 'wait')) {
    const most = Math.max(0, ...criteria.map((c) => c.n));
    headline = `Not enough hires with known ${noun} to judge any criterion yet: at most ${most} of the ${minimumSample} needed.`;
  } else if (drop.length === 0) {
    const weakest = [...readings].reverse().find((c) => c.verdict === 'unclear');
    headline = weakest
      ? `No criterion to drop yet: none is clearly useless. The weakest so far is ${weakest.label} (r = ${formatR(
          weakest.r,
        )}); more hires will tell.`
      : `No criterion to drop: every criterion with enough data predicts ${noun}.`;
  } else {
    const names = drop.map((c) => c.label);
    const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
    const wrongWay = drop.filter((c) => c.effect !== 'negligible' && (c.r ?? 0) < 0).map((c) => c.label);
    const worse =
      wrongWay.length === 0
        ? ''
        : `; high scores on ${wrongWay.length === names.length && names.length === 1 ? 'it' : wrongWay.join(' and ')} even go with worse ${noun}`;
    headline = `Consider dropping ${list}: we are fairly sure ${names.length === 1 ? 'it does' : 'they do'} not predict ${noun} usefully${worse}.`;
  }
  return { criteria: readings, composite: compositeReading, drop, headline };
}

// ---------- Funnel ----------

/** Considerations at a stage that have concluded: the pass-through rate's denominator. */
export function concluded(stage: Pick<FunnelStage, 'advanced' | 'exited'>): number {
  return stage.advanced + stage.exited;
}

/**
 * The weakest step: the lowest pass-through rate among stages with at least `minimumN` concluded considerations
 * (fewer are too noisy to single out); ties go to the earlier stage. null when no stage qualifies.
 */
export function weakestStep<T extends Pick<FunnelStage, 'advanced' | 'exited' | 'passThroughRate'>>(
  stages: readonly T[],
  minimumN: number,
): T | null {
  let weakest: T | null = null;
  for (const stage of stages) {
    if (stage.passThroughRate === null || concluded(stage) < minimumN) continue;
    if (weakest === null || stage.passThroughRate < (weakest.passThroughRate ?? 1)) weakest = stage;
  }
  return weakest;
}

/**
 * The slowest stage: the highest median days in stage among stages with at least `minimumN` candidates who moved on
 * from it; ties go to the earlier stage. null when no stage qualifies.
 */
export function slowestStage<T extends Pick<FunnelStage, 'daysInStage'>>(
  stages: readonly T[],
  minimumN: number,
): T | null {
  let slowest: T | null = null;
  for (const stage of stages) {
    const days = stage.daysInStage;
    if (!days || days.median === null || days.n < minimumN) continue;
    if (slowest === null || days.median > (slowest.daysInStage?.median ?? -1)) slowest = stage;
  }
  return slowest;
}

export function weakestStepSentence(
  stage: Pick<
    FunnelStage,
    'label' | 'advanced' | 'exited' | 'passThroughRate' | 'passThroughCiLow' | 'passThroughCiHigh'
  > | null,
  minimumN: number,
): string {
  if (!stage) {
    return `No step has ${minimumN} or more concluded candidates yet, so none can be singled out as the weakest.`;
  }
  const rate = formatPercent(stage.passThroughRate);
  return `The weakest step is ${stage.label}: ${rate} of the candidates whose consideration there has concluded moved on (95% CI ${formatPercent(
    stage.passThroughCiLow,
  )} to ${formatPercent(stage.passThroughCiHigh)}, ${plural(concluded(stage), 'candidate', 'candidates')}).`;
}

export function slowestStageSentence(
  stage: Pick<FunnelStage, 'label' | 'daysInStage'> | null,
  minimumN: number,
): string {
  const days = stage?.daysInStage;
  if (!stage || !days) {
    return `No stage has ${minimumN} or more candidates who moved on from it yet, so none can be called the slowest.`;
  }
  return `The slowest stage is ${stage.label}: candidates spend a median of ${formatDays(days.median)} days there (1 in 10 takes more than ${formatDays(
    days.p90,
  )} days; ${plural(days.n, 'candidate', 'candidates')}).`;
}

// ---------- Interviewer calibration ----------

export interface CalibrationReading<T> {
  /** Most lenient first. */
  lenient: T[];
  /** Harshest first. */
  harsh: T[];
  /** Interviewers with too few shared panels to tell. */
  unknown: number;
  total: number;
  headline: string;
}

/** The calibration outliers: interviewers whose leniency interval lies wholly above or below zero. */
export function readCalibration<T extends InterviewerCalibration>(
  rows: readonly T[],
  name: (row: T) => string = (row) => row.name ?? row.interviewerId,
): CalibrationReading<T> {
  const value = (row: T) => row.leniency?.value ?? 0;
  const lenient = rows.filter((r) => leniencyVerdict(r) === 'lenient').sort((a, b) => value(b) - value(a));
  const harsh = rows.filter((r) => leniencyVerdict(r) === 'harsh').sort((a, b) => value(a) - value(b));
  const unknown = rows.filter((r) => leniencyVerdict(r) === 'unknown').length;
  const total = rows.length;
  let headline: string;
  if (total === 0) {
    headline = 'No interviewer has scored a candidate for these filters yet.';
  } else if (lenient.length + harsh.length === 0) {
    headline =
      unknown === total
        ? 'Too few shared panels to compare any interviewer with their co-panelists yet.'
        : `${total === 1 ? 'The one interviewer scores' : `All ${total} interviewers score`} in line with their co-panelists: no one is clearly more lenient or harsher.`;
  } else {
    const named = (list: T[]) =>
      list
        .slice(0, 3)
        .map((r) => `${name(r)} ${formatSigned(r.leniency?.value)}`)
        .join(', ') + (list.length > 3 ? ', …' : '');
    const parts: string[] = [];
    if (lenient.length > 0) parts.push(`${lenient.length} more leniently (${named(lenient)})`);
    if (harsh.length > 0) parts.push(`${harsh.length} more harshly (${named(harsh)})`);
    headline = `${lenient.length + harsh.length} of ${total} interviewers score out of line with their co-panelists: ${parts.join(
      ' and ',
    )}, in score points against the same candidates.`;
  }
  return { lenient, harsh, unknown, total, headline };
}

// ---------- Fairness ----------

export interface FairnessFlag {
  grouping: FairnessGrouping;
  decision: string;
  group: string;
  groupLabel: string;
  referenceLabel: string;
  impactRatio: number | null;
  fisherP: number | null;
  /** Fisher's exact p below .05. */
  significant: boolean;
}

/** Every group below four-fifths of the reference group's selection rate, at every decision of the reports. */
export function fairnessFlags(reports: readonly AdverseImpactStagesReport[]): FairnessFlag[] {
  const flags: FairnessFlag[] = [];
  for (const report of reports) {
    for (const decision of report.decisions) {
      const reference = decision.groups.find((g) => g.reference);
      for (const group of decision.groups) {
        if (!group.fourFifthsFlag || group.suppressed || group.excluded) continue;
        flags.push({
          grouping: report.groupBy,
          decision: decision.decision,
          group: group.group,
          groupLabel: group.label,
          referenceLabel: reference?.label ?? decision.referenceGroup ?? 'the reference group',
          impactRatio: group.impactRatio,
          fisherP: group.fisherP,
          significant: group.fisherP !== null && group.fisherP < 0.05,
        });
      }
    }
  }
  return flags;
}

export function fairnessHeadline(
  flags: readonly FairnessFlag[],
  groupings: readonly FairnessGrouping[],
): string {
  const by = groupings.map((g) => GROUPING_NOUNS[g]).join(' and by ');
  if (flags.length === 0) {
    return `No group's selection rate falls below four-fifths of the highest group's at any step (by ${by}).`;
  }
  const significant = flags.filter((f) => f.significant).length;
  const chance =
    significant === 0
      ? 'none of the gaps is statistically significant (Fisher p ≥ .05), so they may be chance'
      : significant === flags.length
        ? `${flags.length === 1 ? 'it is' : 'all are'} statistically significant (Fisher p < .05)`
        : `${significant} of them statistically significant (Fisher p < .05)`;
  return `${plural(flags.length, 'group falls', 'groups fall')} below four-fifths of the highest group's selection rate at some step (by ${by}): ${chance}.`;
}

// ---------- Data freshness and exports ----------

/** "just now", "5 minutes ago", "3 hours ago", "2 days ago", from two instants. */
export function timeAgo(iso: string | null | undefined, now: Date): string {
  if (!iso) return 'never';
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return iso;
  const minutes = Math.floor((now.getTime() - then) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${plural(minutes, 'minute', 'minutes')} ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${plural(hours, 'hour', 'hours')} ago`;
  return `${plural(Math.floor(hours / 24), 'day', 'days')} ago`;
}

/** The newest import that finished writing, newest first as the API lists them. */
export function lastCompletedImport<T extends Pick<ImportRunSummary, 'status' | 'finishedAt'>>(
  runs: readonly T[],
): T | null {
  let latest: T | null = null;
  for (const run of runs) {
    if (run.status !== 'completed' || !run.finishedAt) continue;
    if (latest === null || run.finishedAt > (latest.finishedAt ?? '')) latest = run;
  }
  return latest;
}

export function freshnessSentence(
  runs: readonly Pick<ImportRunSummary, 'status' | 'finishedAt' | 'inserted' | 'updated'>[],
  now: Date,
): string {
  const last = lastCompletedImport(runs);
  const failed = runs.filter((r) => r.status === 'failed').length;
  const running = runs.filter((r) => r.status === 'queued' || r.status === 'running').length;
  const parts = [
    last
      ? `Data last arrived ${timeAgo(last.finishedAt, now)}: ${plural(last.inserted + last.updated, 'record', 'records')} added or changed.`
      : 'No import has completed yet.',
  ];
  if (running > 0) parts.push(`${plural(running, 'import is', 'imports are')} still running.`);
  if (failed > 0) parts.push(`${plural(failed, 'recent import', 'recent imports')} failed.`);
  return parts.join(' ');
}

export function exportsSentence(
  exports: readonly Pick<ExportSummary, 'status' | 'createdAt'>[],
  now: Date,
): string {
  if (exports.length === 0) return 'No export has been made yet.';
  const failed = exports.filter((e) => e.status === 'failed').length;
  const active = exports.filter((e) => e.status === 'queued' || e.status === 'running').length;
  const newest = exports.reduce((a, b) => (b.createdAt > a.createdAt ? b : a));
  const parts = [`The last export was asked for ${timeAgo(newest.createdAt, now)}.`];
  if (active > 0) parts.push(`${plural(active, 'export is', 'exports are')} being written.`);
  if (failed > 0) parts.push(`${plural(failed, 'export', 'exports')} failed.`);
  return parts.join(' ');
}
