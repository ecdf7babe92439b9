import type { RaceEthnicity, Sex } from '@hiresignal/shared';

/** The fixed shape of the demo organization of PRODUCT.md ("The demo organization"). */

export const DEMO_ORGANIZATION_NAME = 'Demo (AI Engineering)';

export const DEMO_CRITERIA = [
  'fundamentals',
  'deployment_at_scale',
  'communication',
  'responsible_ai',
  'ownership',
] as const;
export type DemoCriterion = (typeof DEMO_CRITERIA)[number];

export interface RubricCriterion {
  key: DemoCriterion;
  label: string;
  description: string;
}

export interface DemoRubric {
  name: string;
  version: number;
  scaleMin: number;
  scaleMax: number;
  criteria: RubricCriterion[];
}

export const DEMO_RUBRIC: DemoRubric = {
  name: 'AI Engineer',
  version: 1,
  scaleMin: 1,
  scaleMax: 4,
  criteria: [
    {
      key: 'fundamentals',
      label: 'Fundamentals',
      description: 'Mathematics and algorithms: linear algebra, probability, optimization, data structures.',
    },
    {
      key: 'deployment_at_scale',
      label: 'Deployment at scale',
      description: 'Models shipped to production: serving, monitoring, rollback, latency and cost.',
    },
    {
      key: 'communication',
      label: 'Communication',
      description: 'Cross-functional clarity: explains trade-offs to engineers, product and leadership.',
    },
    {
      key: 'responsible_ai',
      label: 'Responsible AI',
      description: 'Ethics, bias detection and mitigation, privacy, and evaluation of harms.',
    },
    {
      key: 'ownership',
      label: 'Ownership',
      description: 'End-to-end delivery: scopes, unblocks, follows through, owns outcomes.',
    },
  ],
};

/** True validities: the correlation of each criterion's true score with latent performance. */
export const DEFAULT_CRITERION_VALIDITY: Readonly<Record<DemoCriterion, number>> = {
  fundamentals: 0.45,
  deployment_at_scale: 0.4,
  communication: 0.3,
  responsible_ai: 0.05,
  ownership: 0.35,
};

export const INTERVIEW_STAGES = [
  'recruiter_screen',
  'pipeline_debugging',
  'inference_latency',
  'system_design',
  'cross_functional',
] as const;
export type InterviewStage = (typeof INTERVIEW_STAGES)[number];

export const DEMO_STAGES = [...INTERVIEW_STAGES, 'offer', 'hired'] as const;
export type DemoStage = (typeof DEMO_STAGES)[number];

export interface InterviewStageDefinition {
  stage: InterviewStage;
  label: string;
  /** Who conducts it: recruiters screen, engineers run the exercises and loops. */
  panel: 'recruiter' | 'engineer';
  criteria: readonly DemoCriterion[];
}

/**
 * One interviewer per stage, three criteria each; a candidate who completes every stage has each criterion scored by
 * three different interviewers, which gives every criterion panels for interrater reliability.
 */
export const INTERVIEW_STAGE_DEFINITIONS: readonly InterviewStageDefinition[] = [
  {
    stage: 'recruiter_screen',
    label: 'Recruiter screen',
    panel: 'recruiter',
    criteria: ['communication', 'ownership', 'responsible_ai'],
  },
  {
    stage: 'pipeline_debugging',
    label: 'Pipeline debugging exercise',
    panel: 'engineer',
    criteria: ['fundamentals', 'deployment_at_scale', 'ownership'],
  },
  {
    stage: 'inference_latency',
    label: 'Inference latency optimization exercise',
    panel: 'engineer',
    criteria: ['fundamentals', 'deployment_at_scale', 'communication'],
  },
  {
    stage: 'system_design',
    label: 'System design',
    panel: 'engineer',
    criteria: ['fundamentals', 'deployment_at_scale', 'responsible_ai'],
  },
  {
    stage: 'cross_functional',
    label: 'Cross-functional conversation',
    panel: 'engineer',
    criteria: ['communication', 'responsible_ai', 'ownership'],
  },
];

export interface DemoJob {
  jobId: string;
  jobTitle: string;
  department: string;
  weight: number;
}

export const DEMO_JOBS: readonly DemoJob[] = [
  { jobId: 'req-ai-101', jobTitle: 'AI Engineer', department: 'AI Engineering', weight: 0.45 },
  { jobId: 'req-ai-102', jobTitle: 'Senior AI Engineer', department: 'AI Engineering', weight: 0.25 },
  { jobId: 'req-ml-201', jobTitle: 'ML Platform Engineer', department: 'ML Platform', weight: 0.3 },
];

export interface DemoSource {
  source: string;
  weight: number;
  /** Shift of the latent performance mean of candidates from this source: where conversion differences come from. */
  abilityShift: number;
  /** Probability of withdrawing after each interview. */
  withdrawalRate: number;
}

/**
 * Sources differ visibly in the funnel: referrals convert best and their hires perform best; agency candidates are
 * capable but withdraw often (competing offers); university applicants convert least.
 */
export const DEMO_SOURCES: readonly DemoSource[] = [
  { source: 'referral', weight: 0.14, abilityShift: 0.45, withdrawalRate: 0.015 },
  { source: 'linkedin', weight: 0.34, abilityShift: 0, withdrawalRate: 0.035 },
  { source: 'careers_site', weight: 0.3, abilityShift: -0.1, withdrawalRate: 0.025 },
  { source: 'agency', weight: 0.1, abilityShift: 0.15, withdrawalRate: 0.07 },
  { source: 'university', weight: 0.12, abilityShift: -0.3, withdrawalRate: 0.03 },
];

/**
 * Days from entering each interview stage to its interview (uniform whole days, inclusive) and from the interview to
 * the decision: a quick recruiter screen, a take-home pipeline-debugging exercise that candidates sit on, and an
 * onsite system design that takes long to schedule. One draw each, as before, so the number of draws is unchanged.
 */
export const STAGE_INTERVIEW_WAIT_DAYS: readonly (readonly [number, number])[] = [
  [1, 3],
  [4, 14],
  [1, 6],
  [5, 16],
  [1, 6],
];
export const STAGE_DECISION_WAIT_DAYS: readonly (readonly [number, number])[] = [
  [1, 2],
  [1, 4],
  [1, 3],
  [2, 5],
  [1, 4],
];
/**
 * Withdrawal after each interview stage, as a multiple of the source's rate: the long take-home exercise
 * (pipeline_debugging) loses many candidates, the drop-off a recruiter would act on.
 */
export const STAGE_WITHDRAWAL_FACTOR: readonly number[] = [1, 3, 1, 1.3, 1];

/** A stage name some ATS exports carry that is not in the demo's stage list: counted as unmapped. */
export const DEMO_UNMAPPED_STAGE = 'hiring_manager_chat';
/** Share of applications with a screen that also have an unmapped event before it. */
export const DEMO_UNMAPPED_RATE = 0.04;
/** Share of applications past inference_latency whose event there was never recorded (a skipped stage). */
export const DEMO_SKIPPED_STAGE_RATE = 0.03;
export const DEMO_SKIPPED_STAGE = 'inference_latency';

/** Self-identification rates of a U.S. AI-engineering applicant pool (approximate), including "declined". */
export const SEX_DISTRIBUTION: readonly { value: Sex; weight: number }[] = [
  { value: 'male', weight: 0.66 },
  { value: 'female', weight: 0.26 },
  { value: 'another', weight: 0.015 },
  { value: 'declined', weight: 0.065 },
];

export const RACE_ETHNICITY_DISTRIBUTION: readonly { value: RaceEthnicity; weight: number }[] = [
  { value: 'white', weight: 0.38 },
  { value: 'asian', weight: 0.34 },
  { value: 'hispanic_or_latino', weight: 0.08 },
  { value: 'black_or_african_american', weight: 0.06 },
  { value: 'two_or_more_races', weight: 0.03 },
  { value: 'american_indian_or_alaska_native', weight: 0.005 },
  { value: 'native_hawaiian_or_other_pacific_islander', weight: 0.004 },
  { value: 'declined', weight: 0.081 },
];
