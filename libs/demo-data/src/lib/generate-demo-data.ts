import type {
  ApplicationRecord,
  ApplicationStatus,
  DemographicRecord,
  InterviewScoreRecord,
  PerformanceReviewRecord,
  Recommendation,
  RecordByKind,
  RecordKind,
  SeparationRecord,
  SeparationType,
  StageEventRecord,
} from '@hiresignal/shared';
import {
  DEFAULT_CRITERION_VALIDITY,
  DEMO_CRITERIA,
  DEMO_JOBS,
  DEMO_ORGANIZATION_NAME,
  DEMO_RUBRIC,
  DEMO_SKIPPED_STAGE,
  DEMO_SKIPPED_STAGE_RATE,
  DEMO_SOURCES,
  DEMO_STAGES,
  DEMO_UNMAPPED_RATE,
  DEMO_UNMAPPED_STAGE,
  INTERVIEW_STAGE_DEFINITIONS,
  RACE_ETHNICITY_DISTRIBUTION,
  SEX_DISTRIBUTION,
  type DemoCriterion,
  type DemoJob,
  type DemoRubric,
  type DemoSource,
  type DemoStage,
  type InterviewStageDefinition,
  STAGE_DECISION_WAIT_DAYS,
  STAGE_INTERVIEW_WAIT_DAYS,
  STAGE_WITHDRAWAL_FACTOR,
} from './demo-model';
import { IsoFormatter } from './iso-time';
import { cumulativeWeights, Rng } from './random';

export interface DemoDataOptions {
  /** Number of applications to generate. */
  applications: number;
  seed: number;
  /** The "today" of the data set: nothing happens after it, and applications span the 3 years before it. */
  asOf: Date;
  /**
   * Points on the latent scale that interviewers subtract from female candidates' criterion impressions, to exercise
   * the fairness statistics. 0 (the default) means no scoring bias; the demographics then carry the demo's fairness
   * signals instead (assignFairnessSignals: adverse impact at one stage, differential validity of one criterion),
   * drawn after everything else so that no other record changes.
   */
  scoringBias?: number;
  /** Overrides of the true validities; each v must satisfy v^2 + generalFactorLoading^2 <= 1. */
  criterionValidity?: Partial<Record<DemoCriterion, number>>;
}

export interface DemoInterviewer {
  interviewerId: string;
  /** Display name, written with every score (interviewer_name); the id stays the key. */
  name: string;
  panel: 'recruiter' | 'engineer';
  /** Added to every impression this interviewer forms, on the latent (SD 1) scale. */
  leniency: number;
  /** SD of this interviewer's independent error per score, on the latent scale. */
  noiseSd: number;
  /** Relative interview load. */
  load: number;
}

export interface DemoTruth {
  seed: number;
  applications: number;
  asOf: string;
  /** The correlation of each criterion's true score with latent performance, in the whole applicant population. */
  criterionValidity: Record<DemoCriterion, number>;
  /**
   * Loading of every true criterion score on a candidate factor unrelated to performance (interview polish): it makes
   * criteria intercorrelate (true corr = v_i v_j + loading^2) without adding validity.
   */
  generalFactorLoading: number;
  scoringBias: number;
  /** Score = clamp(round(center + scale * impression), 1, 4), impression = true score + leniency + interview + noise. */
  scoreModel: { center: number; scale: number; leniencySd: number; interviewImpressionSd: number };
  /** Share of a single continuous impression's variance that is true score (before rounding to the scale). */
  singleRatingReliability: number;
  interviewers: DemoInterviewer[];
  interviewStages: InterviewStageDefinition[];
  jobs: DemoJob[];
  sources: DemoSource[];
  hiring: { offerRateOfFinalists: number; committeeNoiseSd: number; offerDeclineRate: number };
  /** Rating = clamp(round(center + scale * (performance + manager + occasion)), 1, 5). */
  performanceModel: {
    center: number;
    scale: number;
    managerSd: number;
    occasionSd: number;
    /** Share of rating variance due to performance in the unrestricted population (cf. .52 in the literature). */
    ratingReliability: number;
  };
  /** Annual hazards; involuntary scales with exp(-involuntaryPerformanceSlope * performance). */
  separationModel: {
    voluntaryHazard: number;
    involuntaryHazard: number;
    involuntaryPerformanceSlope: number;
  };
}

export type DemoRecords = { [K in RecordKind]: RecordByKind[K][] };

/** Per-application latent values, aligned by index with `records.applications`; for tests, never exported as CSV. */
export interface DemoLatent {
  performance: number[];
  trueScores: Record<DemoCriterion, number[]>;
}

export interface DemoData {
  organization: { name: string };
  rubric: DemoRubric;
  stages: DemoStage[];
  truth: DemoTruth;
  records: DemoRecords;
  latent: DemoLatent;
}

const DAY_MS = 86_400_000;
const YEARS_OF_HISTORY = 3;

const GENERAL_FACTOR_LOADING = 0.35;
const LENIENCY_SD = 0.35;
const INTERVIEW_IMPRESSION_SD = 0.3;
const NOISE_SD_RANGE = [0.45, 0.85] as const;
const SCORE_CENTER = 2.6;
const SCORE_SCALE = 0.8;
const RECRUITER_COUNT = 6;
const ENGINEER_COUNT = 19;

/** Logistic advancement after each interview stage but the last: p = 1 / (1 + exp(-(intercept + slope (c - 2.5)))). */
const ADVANCE_INTERCEPTS = [2.0, 1.9, 1.9, 2.2] as const;
const ADVANCE_SLOPE = 2.5;
const OFFER_RATE_OF_FINALISTS = 0.26;
const COMMITTEE_NOISE_SD = 0.35;
const OFFER_DECLINE_RATE = 0.12;
const REAPPLY_RATE = 0.05;
const REAPPLY_MIN_GAP_DAYS = 120;
const NO_DEMOGRAPHICS_RATE = 0.03;

const RATING_CENTER = 2.95;
const RATING_SCALE = 0.65;
const MANAGER_SD = 0.6;
const OCCASION_SD = 0.75;

const VOLUNTARY_HAZARD = 0.11;
const INVOLUNTARY_HAZARD = 0.05;
const INVOLUNTARY_PERFORMANCE_SLOPE = 1.2;
const MIN_TENURE_DAYS = 30;

const OUTCOME_ACTIVE = 0;
const OUTCOME_REJECTED = 1;
const OUTCOME_WITHDRAWN = 2;
const OUTCOME_FINALIST = 3;

const STAGE_COUNT = DEMO_STAGES.length;
const OFFER_STAGE = DEMO_STAGES.indexOf('offer');
const HIRED_STAGE = DEMO_STAGES.indexOf('hired');
const CRITERION_COUNT = DEMO_CRITERIA.length;

export function generateDemoData(options: DemoDataOptions): DemoData {
  const n = options.applications;
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`applications must be a whole number >= 0, got ${n}`);
  const asOfMs = options.asOf.getTime();
  if (Number.isNaN(asOfMs)) throw new RangeError('asOf must be a valid date');
  const scoringBias = options.scoringBias ?? 0;
  const validity = { ...DEFAULT_CRITERION_VALIDITY };
  for (const c of DEMO_CRITERIA) {
    const v = options.criterionValidity?.[c] ?? DEFAULT_CRITERION_VALIDITY[c];
    validity[c] = v;
    if (!(Math.abs(v) <= 1) || v * v + GENERAL_FACTOR_LOADING ** 2 > 1) {
      throw new RangeError(
        `criterionValidity.${c} must satisfy v^2 + ${GENERAL_FACTOR_LOADING}^2 <= 1, got ${v}`,
      );
    }
  }
  const validities = DEMO_CRITERIA.map((c) => validity[c]);
  const uniqueLoadings = validities.map((v) => Math.sqrt(1 - v * v - GENERAL_FACTOR_LOADING ** 2));

  const iso = new IsoFormatter();
  const rng = new Rng(options.seed);
  const interviewers = makeInterviewers(rng);
  const recruiters = interviewers.filter((i) => i.panel === 'recruiter');
  const engineers = interviewers.filter((i) => i.panel === 'engineer');
  const recruiterLoad = cumulativeWeights(recruiters.map((i) => i.load));
  const engineerLoad = cumulativeWeights(engineers.map((i) => i.load));
  const jobLoad = cumulativeWeights(DEMO_JOBS.map((j) => j.weight));
  const sourceLoad = cumulativeWeights(DEMO_SOURCES.map((s) => s.weight));
  const sexLoad = cumulativeWeights(SEX_DISTRIBUTION.map((s) => s.weight));
  const raceLoad = cumulativeWeights(RACE_ETHNICITY_DISTRIBUTION.map((s) => s.weight));
  const seniorJob = DEMO_JOBS.findIndex((j) => j.jobId === 'req-ai-102');
  const universitySource = DEMO_SOURCES.findIndex((s) => s.source === 'university');
  const linkedinSource = DEMO_SOURCES.findIndex((s) => s.source === 'linkedin');
  const stageCriteria = INTERVIEW_STAGE_DEFINITIONS.map((d) =>
    d.criteria.map((c) => DEMO_CRITERIA.indexOf(c)),
  );

  const width = Math.max(6, String(n).length);
  const applicationIds = new Array<string>(n);
  for (let i = 0; i < n; i++) applicationIds[i] = `app-${String(i + 1).padStart(width, '0')}`;

  // Applications arrive uniformly over the history window; sorted so that index order is arrival order.
  const appliedAt = new Float64Array(n);
  const historyStart = asOfMs - YEARS_OF_HISTORY * 365 * DAY_MS;
  for (let i = 0; i < n; i++) appliedAt[i] = roundToMinute(rng.uniform(historyStart, asOfMs));
  appliedAt.sort();

  const candidatePerformance: number[] = [];
  const candidateTrueScores: number[] = [];
  const candidateFemale: boolean[] = [];
  const candidateAvailableFrom: number[] = [];
  const reapplyPool: number[] = [];

  const appCandidate = new Int32Array(n);
  const appJob = new Uint8Array(n);
  const appSource = new Uint8Array(n);
  const appOutcome = new Uint8Array(n);
  const appDecidedAt = new Float64Array(n).fill(Number.NaN);
  const appRejectedAfter = new Int8Array(n).fill(-1);
  const appHireScore = new Float64Array(n).fill(Number.NaN);
  const stageEnteredAt = new Float64Array(n * STAGE_COUNT).fill(Number.NaN);

  const sexes: (DemographicRecord['sex'] | null)[] = [];
  const races: DemographicRecord['raceEthnicity'][] = [];

  const scores: InterviewScoreRecord[] = [];
  const sums = new Float64Array(CRITERION_COUNT);
  const counts = new Int32Array(CRITERION_COUNT);
  const usedEngineers: number[] = [];
  const stageScores: number[] = [];

  for (let i = 0; i < n; i++) {
    const applied = appliedAt[i];
    const job = rng.pickIndex(jobLoad);
    let source = rng.pickIndex(sourceLoad);
    if (job === seniorJob && source === universitySource) source = linkedinSource;
    appJob[i] = job;
    appSource[i] = source;

    let candidate = -1;
    if (reapplyPool.length > 0 && rng.chance(REAPPLY_RATE)) {
      const previous = reapplyPool[rng.int(0, reapplyPool.length - 1)];
      if (candidateAvailableFrom[previous] <= applied) candidate = previous;
    }
    if (candidate < 0) {
      candidate = candidatePerformance.length;
      const performance = DEMO_SOURCES[source].abilityShift + rng.normal();
      const general = rng.normal();
      candidatePerformance.push(performance);
      for (let c = 0; c < CRITERION_COUNT; c++) {
        candidateTrueScores.push(
          validities[c] * performance + GENERAL_FACTOR_LOADING * general + uniqueLoadings[c] * rng.normal(),
        );
      }
      // Demographics are drawn independently of ability: the model has no true group differences.
      if (rng.chance(NO_DEMOGRAPHICS_RATE)) {
        sexes.push(null);
        races.push(undefined);
      } else {
        sexes.push(SEX_DISTRIBUTION[rng.pickIndex(sexLoad)].value);
        races.push(RACE_ETHNICITY_DISTRIBUTION[rng.pickIndex(raceLoad)].value);
      }
      candidateFemale.push(sexes[candidate] === 'female');
      candidateAvailableFrom.push(Number.POSITIVE_INFINITY);
    }
    candidateAvailableFrom[candidate] = Number.POSITIVE_INFINITY;
    appCandidate[i] = candidate;
    const performance = candidatePerformance[candidate];
    const trueBase = candidate * CRITERION_COUNT;
    const bias = candidateFemale[candidate] ? scoringBias : 0;
    const withdrawalRate = DEMO_SOURCES[source].withdrawalRate * (1 + 0.3 * performance);
    const applicationId = applicationIds[i];

    sums.fill(0);
    counts.fill(0);
    usedEngineers.length = 0;
    let outcome = OUTCOME_ACTIVE;
    let entered = scheduleAfter(applied, 1, 10, rng);

    for (let s = 0; s < INTERVIEW_STAGE_DEFINITIONS.length; s++) {
      if (entered > asOfMs) break;
      stageEnteredAt[i * STAGE_COUNT + s] = entered;
      const definition = INTERVIEW_STAGE_DEFINITIONS[s];
      const interviewed = scheduleAfter(
        entered,
        STAGE_INTERVIEW_WAIT_DAYS[s][0],
        STAGE_INTERVIEW_WAIT_DAYS[s][1],
        rng,
      );
      if (interviewed > asOfMs) break;

      let interviewer: DemoInterviewer;
      if (definition.panel === 'recruiter') {
        interviewer = recruiters[rng.pickIndex(recruiterLoad)];
      } else {
        let e = rng.pickIndex(engineerLoad);
        while (usedEngineers.includes(e)) e = rng.pickIndex(engineerLoad);
        usedEngineers.push(e);
        interviewer = engineers[e];
      }
      // One impression per interview, shared by its criteria: the within-interview halo.
      const impression = rng.normal(0, INTERVIEW_IMPRESSION_SD);
      const criteria = stageCriteria[s];
      stageScores.length = 0;
      let scoreSum = 0;
      for (const c of criteria) {
        const latent =
          candidateTrueScores[trueBase + c] +
          interviewer.leniency +
          impression +
          rng.normal(0, interviewer.noiseSd) -
          bias;
        const score = Math.min(4, Math.max(1, Math.round(SCORE_CENTER + SCORE_SCALE * latent)));
        stageScores.push(score);
        scoreSum += score;
        sums[c] += score;
        counts[c] += 1;
      }
      const recommendation = recommendationFor(scoreSum / criteria.length);
      const interviewId = `iv-${applicationId.slice(4)}-${s + 1}`;
      const interviewedAt = iso.minute(interviewed);
      for (let k = 0; k < criteria.length; k++) {
        scores.push({
          applicationId,
          interviewId,
          interviewerId: interviewer.interviewerId,
          interviewerName: interviewer.name,
          criterion: DEMO_CRITERIA[criteria[k]],
          score: stageScores[k],
          stage: definition.stage,
          interviewedAt,
          rubric: DEMO_RUBRIC.name,
          rubricVersion: DEMO_RUBRIC.version,
          recommendation,
        });
      }

      const decided = scheduleAfter(
        interviewed,
        STAGE_DECISION_WAIT_DAYS[s][0],
        STAGE_DECISION_WAIT_DAYS[s][1],
        rng,
      );
      if (decided > asOfMs) break;
      if (rng.chance(withdrawalRate * STAGE_WITHDRAWAL_FACTOR[s])) {
        outcome = OUTCOME_WITHDRAWN;
        appDecidedAt[i] = decided;
        break;
      }
      const composite = compositeOf(sums, counts);
      if (s === INTERVIEW_STAGE_DEFINITIONS.length - 1) {
        outcome = OUTCOME_FINALIST;
        appDecidedAt[i] = decided;
        appHireScore[i] = composite + rng.normal(0, COMMITTEE_NOISE_SD);
        break;
      }
      const advance = 1 / (1 + Math.exp(-(ADVANCE_INTERCEPTS[s] + ADVANCE_SLOPE * (composite - 2.5))));
      if (!rng.chance(advance)) {
        outcome = OUTCOME_REJECTED;
        appDecidedAt[i] = decided;
        appRejectedAfter[i] = s;
        break;
      }
      entered = decided;
    }
    appOutcome[i] = outcome;
    if (outcome === OUTCOME_REJECTED || outcome === OUTCOME_WITHDRAWN) {
      candidateAvailableFrom[candidate] = appDecidedAt[i] + REAPPLY_MIN_GAP_DAYS * DAY_MS;
      reapplyPool.push(candidate);
    }
  }

  const offerCutoff = quantile(
    appHireScore.filter((v) => !Number.isNaN(v)),
    1 - OFFER_RATE_OF_FINALISTS,
  );

  // Second pass, in application order: offers (which need every finalist's score for the cutoff), post-hire outcomes.
  const post = new Rng(options.seed ^ 0x5bd1e995);
  // The funnel's recording quirks (unmapped and skipped stage events) draw from a stream of their own, so they
  // shift none of the draws above.
  const quirks = new Rng(options.seed ^ 0x27d4eb2f);
  const skippedIndex = DEMO_STAGES.indexOf(DEMO_SKIPPED_STAGE as DemoStage);
  const applications: ApplicationRecord[] = new Array<ApplicationRecord>(n);
  const stageEvents: StageEventRecord[] = [];
  const reviews: PerformanceReviewRecord[] = [];
  const separations: SeparationRecord[] = [];
  const latentPerformance = new Array<number>(n);
  const latentTrueScores = Object.fromEntries(DEMO_CRITERIA.map((c) => [c, new Array<number>(n)])) as Record<
    DemoCriterion,
    number[]
  >;

  for (let i = 0; i < n; i++) {
    const applicationId = applicationIds[i];
    const candidate = appCandidate[i];
    const performance = candidatePerformance[candidate];
    latentPerformance[i] = performance;
    for (let c = 0; c < CRITERION_COUNT; c++) {
      latentTrueScores[DEMO_CRITERIA[c]][i] = candidateTrueScores[candidate * CRITERION_COUNT + c];
    }

    let status: ApplicationStatus = 'active';
    let decidedAt: number = appDecidedAt[i];
    let hiredAt = Number.NaN;
    let rejectionReason: string | undefined;
    switch (appOutcome[i]) {
      case OUTCOME_REJECTED:
        status = 'rejected';
        rejectionReason = `Did not advance after ${INTERVIEW_STAGE_DEFINITIONS[appRejectedAfter[i]].label.toLowerCase()}`;
        break;
      case OUTCOME_WITHDRAWN:
        status = 'withdrawn';
        break;
      case OUTCOME_FINALIST: {
        const offered = appDecidedAt[i];
        if (appHireScore[i] < offerCutoff) {
          status = 'rejected';
          rejectionReason = 'Not selected for offer';
          break;
        }
        stageEnteredAt[i * STAGE_COUNT + OFFER_STAGE] = offered;
        const answered = scheduleAfter(offered, 2, 10, post);
        const declineRate = Math.min(0.3, Math.max(0.03, OFFER_DECLINE_RATE * (1 + 0.4 * performance)));
        if (answered > asOfMs) {
          status = 'active';
          decidedAt = Number.NaN;
        } else if (post.chance(declineRate)) {
          status = 'offer_declined';
          decidedAt = answered;
        } else {
          status = 'hired';
          decidedAt = answered;
          hiredAt = answered;
          stageEnteredAt[i * STAGE_COUNT + HIRED_STAGE] = answered;
        }
        break;
      }
    }

    applications[i] = {
      applicationId,
      candidateId: candidateId(candidate, width),
      jobId: DEMO_JOBS[appJob[i]].jobId,
      jobTitle: DEMO_JOBS[appJob[i]].jobTitle,
      department: DEMO_JOBS[appJob[i]].department,
      source: DEMO_SOURCES[appSource[i]].source,
      appliedAt: iso.minute(appliedAt[i]),
      status,
      decidedAt: Number.isNaN(decidedAt) ? undefined : iso.minute(decidedAt),
      hiredAt: Number.isNaN(hiredAt) ? undefined : iso.minute(hiredAt),
      rejectionReason,
    };
    // Two draws per application whatever the outcome, so each application's quirks depend on its index only.
    const unmappedDraw = quirks.next();
    const skipDraw = quirks.next();
    const screenAt = stageEnteredAt[i * STAGE_COUNT];
    const beforeScreen = roundToMinute((appliedAt[i] + screenAt) / 2);
    if (
      unmappedDraw < DEMO_UNMAPPED_RATE &&
      !Number.isNaN(screenAt) &&
      beforeScreen > appliedAt[i] &&
      beforeScreen < screenAt
    ) {
      stageEvents.push({ applicationId, stage: DEMO_UNMAPPED_STAGE, enteredAt: iso.minute(beforeScreen) });
    }
    const skips =
      skipDraw < DEMO_SKIPPED_STAGE_RATE && !Number.isNaN(stageEnteredAt[i * STAGE_COUNT + skippedIndex + 1]);
    for (let s = 0; s < STAGE_COUNT; s++) {
      const entered = stageEnteredAt[i * STAGE_COUNT + s];
      if (Number.isNaN(entered)) break;
      if (skips && s === skippedIndex) continue;
      stageEvents.push({ applicationId, stage: DEMO_STAGES[s], enteredAt: iso.minute(entered) });
    }
    if (status === 'hired')
      postHire(applicationId, hiredAt, performance, asOfMs, post, iso, reviews, separations);
  }

  // With a scoringBias the interviewers' bias follows the main stream's sexes, which must then stay as drawn.
  if (scoringBias === 0)
    assignFairnessSignals({
      seed: options.seed,
      sexes,
      appCandidate,
      appStatus: applications.map((a) => a.status),
      stageEnteredAt,
      scores,
      reviews,
      applicationIds,
    });

  const demographics: DemographicRecord[] = [];
  for (let c = 0; c < sexes.length; c++) {
    const sex = sexes[c];
    if (sex === null) continue;
    demographics.push({ candidateId: candidateId(c, width), sex, raceEthnicity: races[c] });
  }

  const meanNoiseVariance = interviewers.reduce((acc, i) => acc + i.noiseSd ** 2, 0) / interviewers.length;
  return {
    organization: { name: DEMO_ORGANIZATION_NAME },
    rubric: structuredClone(DEMO_RUBRIC),
    stages: [...DEMO_STAGES],
    truth: {
      seed: options.seed,
      applications: n,
      asOf: options.asOf.toISOString(),
      criterionValidity: validity,
      generalFactorLoading: GENERAL_FACTOR_LOADING,
      scoringBias,
      scoreModel: {
        center: SCORE_CENTER,
        scale: SCORE_SCALE,
        leniencySd: LENIENCY_SD,
        interviewImpressionSd: INTERVIEW_IMPRESSION_SD,
      },
      singleRatingReliability: 1 / (1 + LENIENCY_SD ** 2 + INTERVIEW_IMPRESSION_SD ** 2 + meanNoiseVariance),
      interviewers,
      interviewStages: structuredClone([...INTERVIEW_STAGE_DEFINITIONS]),
      jobs: structuredClone([...DEMO_JOBS]),
      sources: structuredClone([...DEMO_SOURCES]),
      hiring: {
        offerRateOfFinalists: OFFER_RATE_OF_FINALISTS,
        committeeNoiseSd: COMMITTEE_NOISE_SD,
        offerDeclineRate: OFFER_DECLINE_RATE,
      },
      performanceModel: {
        center: RATING_CENTER,
        scale: RATING_SCALE,
        managerSd: MANAGER_SD,
        occasionSd: OCCASION_SD,
        ratingReliability: 1 / (1 + MANAGER_SD ** 2 + OCCASION_SD ** 2),
      },
      separationModel: {
        voluntaryHazard: VOLUNTARY_HAZARD,
        involuntaryHazard: INVOLUNTARY_HAZARD,
        involuntaryPerformanceSlope: INVOLUNTARY_PERFORMANCE_SLOPE,
      },
    },
    records: {
      applications,
      stage_events: stageEvents,
      interview_scores: scores,
      performance_reviews: reviews,
      separations,
      demographics,
    },
    latent: { performance: latentPerformance, trueScores: latentTrueScores },
  };
}

/** The interview stage at which the demo shows adverse impact against women (a four-fifths flag). */
export const DEMO_ADVERSE_IMPACT_STAGE: DemoStage = 'pipeline_debugging';
/** The criterion whose validity the demo makes differ between women and men. */
export const DEMO_DIFFERENTIAL_CRITERION: DemoCriterion = 'fundamentals';
/** Share of women among the (female or male) candidates who exited at DEMO_ADVERSE_IMPACT_STAGE. */
const EXIT_FEMALE_SHARE = 0.6;
/**
 * Share of the main stream's 'another' candidates kept as such (the others become female or male, 28:72): about 1%
 * of applicants, so the group stays under 2% of every decision's applicants, listed and excluded (6 RCNY 5-301(d)).
 */
const ANOTHER_KEPT = 0.45;
/** Among hires with a rating: logit P(female) = logit(HIRE_FEMALE_SHARE) - DISCORDANCE_WEIGHT z_score z_rating. */
const HIRE_FEMALE_SHARE = 0.34;
const DISCORDANCE_WEIGHT = 0.3;

/**
 * The fairness signals of the demo, drawn from a stream of their own after everything else, so that no record but a
 * demographics row changes (the main stream's demographic draws are kept as they were, and decide who has no row,
 * who declined and everyone's race/ethnicity). Only sex is re-drawn:
 *  - of the 'another' candidates, ANOTHER_KEPT stay so and the others become female or male: a group under 2%;
 *  - a candidate who exited (rejected, withdrew or declined) at DEMO_ADVERSE_IMPACT_STAGE is a woman with probability
 *    EXIT_FEMALE_SHARE instead of about .28: women's pass-through there falls below four fifths of men's, a real
 *    adverse-impact flag at that stage and no other;
 *  - a hire with a rating is a woman with a probability that falls with the concordance of their
 *    DEMO_DIFFERENTIAL_CRITERION score and latest rating (z_score z_rating, standardized over those hires): that
 *    criterion predicts ratings visibly worse for women than for men (differential validity), while the women's
 *    mean score and rating stay about the men's.
 */
function assignFairnessSignals(input: {
  seed: number;
  sexes: (DemographicRecord['sex'] | null)[];
  appCandidate: Int32Array;
  appStatus: ApplicationStatus[];
  stageEnteredAt: Float64Array;
  scores: InterviewScoreRecord[];
  reviews: PerformanceReviewRecord[];
  applicationIds: string[];
}): void {
  const { sexes, appCandidate, appStatus, stageEnteredAt, applicationIds } = input;
  const fairness = new Rng(input.seed ^ 0x1b873593);
  const binary = (c: number) => sexes[c] === 'female' || sexes[c] === 'male';
  const flagged = DEMO_STAGES.indexOf(DEMO_ADVERSE_IMPACT_STAGE);
  const exitedAtStage = new Set<number>();
  for (let i = 0; i < appStatus.length; i++) {
    const status = appStatus[i];
    if (status !== 'rejected' && status !== 'withdrawn' && status !== 'offer_declined') continue;
    let furthest = -1;
    for (let s = 0; s < STAGE_COUNT; s++)
      if (!Number.isNaN(stageEnteredAt[i * STAGE_COUNT + s])) furthest = s;
    if (furthest === flagged) exitedAtStage.add(appCandidate[i]);
  }
  for (let c = 0; c < sexes.length; c++) {
    // Two draws per candidate whatever happens, so each candidate's draws depend on its index only.
    const thin = fairness.next();
    const draw = fairness.next();
    if (sexes[c] === 'another' && thin >= ANOTHER_KEPT) sexes[c] = draw < 0.28 ? 'female' : 'male';
    else if (exitedAtStage.has(c) && binary(c)) sexes[c] = draw < EXIT_FEMALE_SHARE ? 'female' : 'male';
  }

  const criterion = new Map<string, { sum: number; n: number }>();
  for (const s of input.scores) {
    if (s.criterion !== DEMO_DIFFERENTIAL_CRITERION) continue;
    const entry = criterion.get(s.applicationId) ?? { sum: 0, n: 0 };
    entry.sum += s.score;
    entry.n += 1;
    criterion.set(s.applicationId, entry);
  }
  const latest = new Map<string, { date: string; rating: number }>();
  for (const r of input.reviews) {
    const seen = latest.get(r.applicationId);
    if (!seen || r.reviewDate > seen.date)
      latest.set(r.applicationId, { date: r.reviewDate, rating: r.rating });
  }
  const hires: { candidate: number; x: number; y: number }[] = [];
  for (let i = 0; i < appStatus.length; i++) {
    const score = criterion.get(applicationIds[i]);
    const rating = latest.get(applicationIds[i]);
    if (appStatus[i] !== 'hired' || !score || !rating || !binary(appCandidate[i])) continue;
    hires.push({ candidate: appCandidate[i], x: score.sum / score.n, y: rating.rating });
  }
  const standardize = (values: number[]) => {
    const m = values.reduce((a, v) => a + v, 0) / Math.max(1, values.length);
    const sd = Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / Math.max(1, values.length - 1)) || 1;
    return values.map((v) => (v - m) / sd);
  };
  const zx = standardize(hires.map((h) => h.x));
  const zy = standardize(hires.map((h) => h.y));
  const intercept = Math.log(HIRE_FEMALE_SHARE / (1 - HIRE_FEMALE_SHARE));
  hires.forEach((h, j) => {
    const p = 1 / (1 + Math.exp(-(intercept - DISCORDANCE_WEIGHT * zx[j] * zy[j])));
    sexes[h.candidate] = fairness.next() < p ? 'female' : 'male';
  });
}

/**
 * The demo interviewers' names, by index (recruiters first). Assigned in order, not drawn, so the random stream and
 * every other record stay as they were before names existed.
 */
const INTERVIEWER_NAMES = [
  'Maya Okafor',
  'Daniel Brooks',
  'Priya Raman',
  'Lucas Moreau',
  'Aisha Bello',
  'Tom Lindqvist',
  'Chen Wei',
  'Sofia Alvarez',
  'Kwame Mensah',
  'Hannah Schmidt',
  'Arjun Mehta',
  'Elena Petrova',
  'Jamal Carter',
  'Yuki Tanaka',
  'Grace Kim',
  'Mateo Rossi',
  'Fatima Haddad',
  'Oliver Bennett',
  'Leila Nasser',
  'Samuel Adeyemi',
  'Ingrid Larsen',
  'Diego Fernandes',
  'Mei Lin',
  'Noah Fischer',
  'Amara Diallo',
];

function makeInterviewers(rng: Rng): DemoInterviewer[] {
  const interviewers: DemoInterviewer[] = [];
  for (let k = 0; k < RECRUITER_COUNT + ENGINEER_COUNT; k++) {
    interviewers.push({
      interviewerId: `int-${String(k + 1).padStart(3, '0')}`,
      name: INTERVIEWER_NAMES[k] ?? `Interviewer ${k + 1}`,
      panel: k < RECRUITER_COUNT ? 'recruiter' : 'engineer',
      leniency: rng.normal(0, LENIENCY_SD),
      noiseSd: rng.uniform(NOISE_SD_RANGE[0], NOISE_SD_RANGE[1]),
      load: rng.uniform(0.5, 1.5),
    });
  }
  return interviewers;
}

function postHire(
  applicationId: string,
  hiredAt: number,
  performance: number,
  asOfMs: number,
  rng: Rng,
  iso: IsoFormatter,
  reviews: PerformanceReviewRecord[],
  separations: SeparationRecord[],
): void {
  const involuntaryHazard = INVOLUNTARY_HAZARD * Math.exp(-INVOLUNTARY_PERFORMANCE_SLOPE * performance);
  const totalHazard = VOLUNTARY_HAZARD + involuntaryHazard;
  const tenureDays = MIN_TENURE_DAYS + Math.ceil(rng.exponential(totalHazard) * 365);
  const separatedAt = startOfDay(hiredAt) + tenureDays * DAY_MS;
  let separationType: SeparationType;
  if (rng.chance(involuntaryHazard / totalHazard)) {
    separationType = 'involuntary';
  } else {
    // Managers regret losing strong performers.
    const regretted = 1 / (1 + Math.exp(-1.5 * (performance - 0.9)));
    separationType = rng.chance(regretted) ? 'voluntary_regretted' : 'voluntary_non_regretted';
  }

  const manager = rng.normal(0, MANAGER_SD);
  for (const months of [6, 12]) {
    const reviewDate = addMonths(startOfDay(hiredAt), months) + rng.int(0, 14) * DAY_MS;
    const occasion = rng.normal(0, OCCASION_SD);
    if (reviewDate > asOfMs || reviewDate >= separatedAt) continue;
    const rating = Math.min(
      5,
      Math.max(1, Math.round(RATING_CENTER + RATING_SCALE * (performance + manager + occasion))),
    );
    reviews.push({
      applicationId,
      reviewDate: iso.date(reviewDate),
      rating,
      reviewPeriod: `${months}m`,
      scaleMax: 5,
    });
  }
  if (separatedAt <= asOfMs) {
    separations.push({ applicationId, separatedAt: iso.date(separatedAt), separationType });
  }
}

function compositeOf(sums: Float64Array, counts: Int32Array): number {
  let total = 0;
  let scored = 0;
  for (let c = 0; c < sums.length; c++) {
    if (counts[c] === 0) continue;
    total += sums[c] / counts[c];
    scored += 1;
  }
  return scored === 0 ? Number.NaN : total / scored;
}

function recommendationFor(meanScore: number): Recommendation {
  if (meanScore < 1.75) return 'strong_no';
  if (meanScore < 2.5) return 'no';
  if (meanScore < 3.25) return 'yes';
  return 'strong_yes';
}

/** The value at quantile p (0..1) of the values, by the nearest-rank-below rule; NaN for no values. */
function quantile(values: Float64Array, p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = values.slice().sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(p * sorted.length)))];
}

/** A US business-hours slot (15:00 to 22:30 UTC, on the half hour) between minDays and maxDays after `ms`, Mon-Fri. */
function scheduleAfter(ms: number, minDays: number, maxDays: number, rng: Rng): number {
  let day = Math.floor(ms / DAY_MS) + rng.int(minDays, maxDays);
  const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday; 0 is Sunday
  if (weekday === 6) day += 2;
  else if (weekday === 0) day += 1;
  return day * DAY_MS + (15 * 60 + 30 * rng.int(0, 15)) * 60_000;
}

function candidateId(index: number, width: number): string {
  return `cand-${String(index + 1).padStart(width, '0')}`;
}

function roundToMinute(ms: number): number {
  return Math.floor(ms / 60_000) * 60_000;
}

function startOfDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  const target = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1);
  const t = new Date(target);
  const lastDay = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 0)).getUTCDate();
  return Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), Math.min(d.getUTCDate(), lastDay));
}
