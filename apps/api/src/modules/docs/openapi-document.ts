import { OUTCOMES, RECORD_KINDS, ROLES } from '@hiresignal/shared';

/*
 * The OpenAPI 3.1 description served at GET /api/openapi.json, written by hand next to the routes it describes.
 * Shapes mirror libs/shared (api.ts, analytics.ts, settings.ts); statistics are defined in docs/statistics.md.
 */

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const nullable = (type: string, extra: Schema = {}): Schema => ({ type: [type, 'null'], ...extra });
const num = (description?: string): Schema => ({ type: 'number', ...(description ? { description } : {}) });
const nnum = (description?: string): Schema => nullable('number', description ? { description } : {});
const int = (description?: string): Schema => ({ type: 'integer', ...(description ? { description } : {}) });
const str = (description?: string): Schema => ({ type: 'string', ...(description ? { description } : {}) });
const obj = (properties: Record<string, Schema>, required: string[] = Object.keys(properties)): Schema => ({
  type: 'object',
  properties,
  required,
});
const arr = (items: Schema): Schema => ({ type: 'array', items });

const json = (schema: Schema, description = 'OK') => ({
  description,
  content: { 'application/json': { schema } },
});
const errors = {
  '401': {
    description: 'No or invalid credentials',
    content: { 'application/json': { schema: ref('Error') } },
  },
  '403': { description: 'Role not allowed', content: { 'application/json': { schema: ref('Error') } } },
};
const invalid = {
  '422': { description: 'Invalid query', content: { 'application/json': { schema: ref('Error') } } },
};
const roles = (...r: string[]) => ({ 'x-roles': r });

const filterParameters = [
  {
    name: 'jobId',
    in: 'query',
    schema: str(),
    description: "Only applications to this job (the customer's job id).",
  },
  {
    name: 'department',
    in: 'query',
    schema: str(),
    description: 'Only applications to jobs of this department.',
  },
  {
    name: 'rubric',
    in: 'query',
    schema: str(),
    description:
      "Rubric name; default: the organization's default rubric. Scores of other rubrics are ignored.",
  },
  {
    name: 'rubricVersion',
    in: 'query',
    schema: int(),
    description: 'Rubric version; default: the newest version of the rubric.',
  },
  { name: 'source', in: 'query', schema: str(), description: 'Only applications from this source.' },
  {
    name: 'hiredFrom',
    in: 'query',
    schema: str('YYYY-MM-DD'),
    description:
      'Inclusive UTC date. Restricts the hired sample only; the applicant pool (for the range-restriction U) is not restricted by hire date.',
  },
  {
    name: 'hiredTo',
    in: 'query',
    schema: str('YYYY-MM-DD'),
    description: 'Inclusive UTC date; see hiredFrom.',
  },
];
const outcomeParameter = {
  name: 'outcome',
  in: 'query',
  schema: { type: 'string', enum: [...OUTCOMES], default: 'performance' },
  description:
    'performance = latest review rating; success = rating >= threshold and no involuntary/regretted separation within 365 days of hire; retention = still employed 365 days after hire.',
};

const filters = obj(
  {
    jobId: str(),
    department: str(),
    rubric: str(),
    rubricVersion: int(),
    source: str(),
    hiredFrom: str(),
    hiredTo: str(),
  },
  [],
);
const settings = obj({
  criterionReliability: num('r_yy for operational validity (default .52)'),
  successThreshold: num('latest rating at or above which a hire is a success (default 4)'),
  minimumSample: int('hires with outcomes below which a result is flagged insufficient (default 30)'),
});
const interval = obj({ value: num(), ciLow: nnum(), ciHigh: nnum() });

const criterionValidity = obj({
  criterion: str('criterion key, or "composite"'),
  label: str(),
  n: int('hired sample: hires with a score on the criterion and a known outcome'),
  nApplicants: int('applicant pool: applications in the filters with a score on the criterion'),
  r: nnum('observed Pearson r in the hired sample (point-biserial for binary outcomes)'),
  ciLow: nnum('95% Fisher-z interval'),
  ciHigh: nnum(),
  pValue: nnum('two-sided t test, n-2 df'),
  spearman: nnum(),
  applicantSd: nnum('SD (n-1) of the score in the applicant pool'),
  hiredSd: nnum('SD (n-1) of the score in the hired sample'),
  rRangeCorrected: nnum('Thorndike Case II with U = applicantSd / hiredSd'),
  rRangeCorrectedCiLow: nnum(
    '95% interval of rRangeCorrected: ciLow and ciHigh corrected the same way (Hunter and Schmidt 2004)',
  ),
  rRangeCorrectedCiHigh: nnum(),
  rOperational: nnum('Case II applied to r / sqrt(r_yy); null for retention'),
  rOperationalCiLow: nnum('95% interval of rOperational: ciLow and ciHigh corrected the same way'),
  rOperationalCiHigh: nnum(),
  auc: nnum('binary outcomes: AUC, ties count one half'),
  aucCiLow: nnum('DeLong 95% interval'),
  aucCiHigh: nnum(),
  pointBiserial: nnum('binary outcomes only'),
  sufficient: { type: 'boolean', description: 'n >= minimumSample' },
  nNeededR20: int('n to detect r = .20 (two-sided alpha .05, power .80)'),
  nNeededR30: int('n to detect r = .30'),
  byScoreLevel: arr(obj({ score: num(), n: int(), mean: num(), ciLow: nnum(), ciHigh: nnum() })),
});

const schemas: Record<string, Schema> = {
  Error: obj(
    {
      statusCode: int(),
      error: str(),
      message: str(),
      errors: arr(obj({ field: str(), message: str(), index: int() }, ['message'])),
    },
    ['statusCode', 'message'],
  ),
  AnalyticsFilters: filters,
  OrganizationSettings: settings,
  OrganizationSettingsUpdate: {
    ...obj(
      {
        criterionReliability: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
        successThreshold: { type: 'number', minimum: 0, maximum: 100 },
        minimumSample: { type: 'integer', minimum: 4 },
      },
      [],
    ),
    additionalProperties: false,
    minProperties: 1,
  },
  CriterionValidityDetail: criterionValidity,
  RegressionSummary: obj({
    n: int(),
    r: num(),
    rSquared: num(),
    adjustedRSquared: num(),
    fValue: num(),
    pValue: num(),
    crossValidatedR: nnum('5-fold cross-validated R (out-of-fold predictions vs outcome)'),
    folds: int(),
    predictors: arr(
      obj({
        criterion: str(),
        beta: num('standardized beta'),
        betaCiLow: num(),
        betaCiHigh: num(),
        deltaRSquared: num('R² lost when the criterion is dropped'),
        deltaF: num(),
        deltaP: num(),
        relativeWeight: num('Johnson (2000); the weights sum to R²'),
        recommendedWeight: num('relative weight / R²'),
      }),
    ),
    recommendation: str(),
  }),
  HaloMatrix: obj({
    criteria: arr(str()),
    r: arr(arr(nnum())),
    n: arr(arr(int())),
  }),
  CohortValidity: obj({
    cohort: str('hire quarter, e.g. 2025-Q3'),
    nHires: int(),
    sufficient: {
      type: 'boolean',
      description: "composite n >= the organization's minimumSample; below it the quarter's r is flagged",
    },
    criteria: arr(
      obj({
        criterion: str(),
        n: int(),
        r: nnum(),
        ciLow: nnum(),
        ciHigh: nnum(),
        sufficient: { type: 'boolean', description: 'n >= minimumSample' },
      }),
    ),
    composite: obj({
      n: int(),
      r: nnum(),
      ciLow: nnum(),
      ciHigh: nnum(),
      sufficient: { type: 'boolean', description: 'n >= minimumSample' },
    }),
  }),
  ValidityReport: obj({
    outcome: { type: 'string', enum: [...OUTCOMES] },
    filters: ref('AnalyticsFilters'),
    rubric: {
      oneOf: [{ type: 'null' }, obj({ name: str(), version: int(), scaleMin: num(), scaleMax: num() })],
    },
    settings: ref('OrganizationSettings'),
    minimumSample: int('same as settings.minimumSample (kept for older clients)'),
    nApplicants: int('applications in the filters with at least one score on the rubric'),
    nHires: int('hired applications in the filters (hire dates included) with at least one score'),
    nExcludedTooRecent: int('hires left out as too recent to judge the outcome'),
    criteria: arr(ref('CriterionValidityDetail')),
    composite: { oneOf: [{ type: 'null' }, ref('CriterionValidityDetail')] },
    regression: { oneOf: [{ type: 'null' }, ref('RegressionSummary')] },
    halo: { oneOf: [{ type: 'null' }, ref('HaloMatrix')] },
    byCohort: arr(ref('CohortValidity')),
    dataVersion: str(),
    computedAt: str('ISO timestamp'),
  }),
  IntervalEstimate: interval,
  InterviewerCalibration: obj({
    interviewerId: str(),
    interviews: int(),
    candidates: int(),
    leniency: {
      oneOf: [{ type: 'null' }, ref('IntervalEstimate')],
      description: 'mean over candidates of (own score - co-panelists’ mean), t interval',
    },
    nCoPanelComparisons: int('candidates with at least one co-panelist on a shared criterion'),
    agreementWithDecision: nnum(),
    nDecisions: int(),
    validity: obj({
      n: int(),
      r: nnum(),
      ciLow: nnum(),
      ciHigh: nnum(),
      pValue: nnum(),
      sufficient: { type: 'boolean' },
    }),
  }),
  InterviewersReport: obj({
    outcome: { type: 'string', enum: [...OUTCOMES] },
    filters: ref('AnalyticsFilters'),
    minimumSample: int(),
    interviewers: arr(ref('InterviewerCalibration')),
    dataVersion: str(),
  }),
  CriterionReliability: obj(
    {
      criterion: str(),
      label: str(),
      nCandidates: int(),
      nRatings: int(),
      meanRatersPerCandidate: num(),
      icc11: { oneOf: [{ type: 'null' }, ref('IntervalEstimate')] },
      icc21: { oneOf: [{ type: 'null' }, ref('IntervalEstimate')] },
      icc2k: { oneOf: [{ type: 'null' }, ref('IntervalEstimate')] },
      alphaInterval: nnum(),
      alphaOrdinal: nnum(),
      twoWay: {
        oneOf: [{ type: 'null' }, obj({ interviewers: arr(str()), nCandidates: int() })],
        description: 'the complete block (most common panel) of the two-way ICCs',
      },
    },
    [
      'criterion',
      'label',
      'nCandidates',
      'nRatings',
      'meanRatersPerCandidate',
      'icc11',
      'icc21',
      'icc2k',
      'alphaInterval',
      'alphaOrdinal',
    ],
  ),
  ReliabilityReport: obj({
    filters: ref('AnalyticsFilters'),
    method: str('how unbalanced panels were handled'),
    criteria: arr(ref('CriterionReliability')),
    dataVersion: str(),
  }),
  ImportRun: obj({
    importId: str(),
    kind: { type: 'string', enum: [...RECORD_KINDS] },
    status: { type: 'string', enum: ['queued', 'running', 'completed', 'failed'] },
    total: int(),
    processed: int(),
    inserted: int(),
    updated: int(),
    unchanged: int(),
    rejected: int(),
    errors: arr(obj({ index: int(), field: str(), message: str() })),
    failureReason: nullable('string'),
    createdAt: str(),
    startedAt: nullable('string'),
    finishedAt: nullable('string'),
  }),
  Rubric: obj(
    {
      name: str(),
      version: int(),
      scaleMin: num(),
      scaleMax: num(),
      criteria: arr(obj({ key: str(), label: str(), description: str() }, ['key', 'label'])),
      isDefault: { type: 'boolean' },
    },
    ['name', 'version', 'scaleMin', 'scaleMax', 'criteria'],
  ),
  SessionInfo: obj({
    userId: nullable('string'),
    email: nullable('string'),
    role: { type: 'string', enum: [...ROLES] },
    organizationId: str(),
    organizationName: str(),
  }),
  Health: obj({
    status: { type: 'string', enum: ['ok', 'degraded'] },
    database: { type: 'string', enum: ['up', 'down'] },
    queue: { type: 'string', enum: ['up', 'down'] },
    queueDriver: { type: 'string', enum: ['bullmq', 'in-process'] },
    databaseMode: { type: 'string', enum: ['postgres', 'embedded'] },
  }),
};

const analyticsRoles = roles('admin', 'talent_leader', 'analyst');

export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'HireSignal API',
    version: '1',
    description:
      'Interview analytics: ingestion of canonical hiring records, criterion validity and interviewer calibration. ' +
      'Authenticate with a session cookie (POST /api/v1/auth/login) or an API key (Authorization: Bearer hs_...). ' +
      'Each operation lists the roles allowed in x-roles. Statistical definitions: docs/statistics.md.',
  },
  servers: [{ url: '/' }],
  security: [{ bearer: [] }, { session: [] }],
  tags: [
    { name: 'analytics' },
    { name: 'settings' },
    { name: 'records' },
    { name: 'imports' },
    { name: 'auth' },
    { name: 'health' },
  ],
  paths: {
    '/api/v1/analytics/validity': {
      get: {
        tags: ['analytics'],
        summary: 'Criterion validity report',
        description:
          'Per criterion and for the unit-weighted composite: observed r with n, p and 95% Fisher-z interval, Spearman, ' +
          'Case II range-restriction correction and operational validity, AUC (DeLong) and point-biserial r for binary ' +
          'outcomes, insufficient-data flags; regression of the outcome on all criteria (betas, ΔR², relative weights, ' +
          'cross-validated R); inter-criterion (halo) correlations; validity per hire quarter. Cached per organization, ' +
          'data version, settings and filters.',
        ...analyticsRoles,
        parameters: [outcomeParameter, ...filterParameters],
        responses: {
          '200': json(ref('ValidityReport')),
          ...invalid,
          ...errors,
          '404': { description: 'Unknown rubric' },
        },
      },
    },
    '/api/v1/analytics/interviewers': {
      get: {
        tags: ['analytics'],
        summary: 'Interviewer calibration',
        description:
          'Per interviewer: interviews, candidates, leniency against co-panelists with a t interval, agreement of ' +
          'recommendations with the decision (hired or offer_declined = advanced, rejected = not; active and withdrawn ' +
          'applications are left out), and the predictive validity of their own scores.',
        ...analyticsRoles,
        parameters: [outcomeParameter, ...filterParameters],
        responses: { '200': json(ref('InterviewersReport')), ...invalid, ...errors },
      },
    },
    '/api/v1/analytics/reliability': {
      get: {
        tags: ['analytics'],
        summary: 'Interrater reliability per criterion',
        description:
          "ICC(1,1) (unbalanced one-way), ICC(2,1) and ICC(2,k) (two-way random, on the most common complete panel) with 95% intervals, and Krippendorff's alpha (interval and ordinal). The method string says how unbalanced panels were handled.",
        ...analyticsRoles,
        parameters: filterParameters,
        responses: { '200': json(ref('ReliabilityReport')), ...invalid, ...errors },
      },
    },
    '/api/v1/settings': {
      get: {
        tags: ['settings'],
        summary: "The organization's analytics settings",
        ...roles(...ROLES),
        responses: { '200': json(ref('OrganizationSettings')), ...errors },
      },
      put: {
        tags: ['settings'],
        summary: 'Change analytics settings (fields omitted keep their value)',
        ...roles('admin'),
        requestBody: {
          required: true,
          content: { 'application/json': { schema: ref('OrganizationSettingsUpdate') } },
        },
        responses: {
          '200': json(ref('OrganizationSettings')),
          '400': { description: 'Invalid body', content: { 'application/json': { schema: ref('Error') } } },
          ...errors,
        },
      },
    },
    '/api/v1/records/{kind}': {
      post: {
        tags: ['records'],
        summary: 'Submit a batch of canonical records (idempotent upserts, processed as a queued import)',
        ...roles('admin'),
        parameters: [
          { name: 'kind', in: 'path', required: true, schema: { type: 'string', enum: [...RECORD_KINDS] } },
        ],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: obj({ records: arr({ type: 'object' }) }) } },
        },
        responses: {
          '202': json(obj({ importId: str(), deduplicated: { type: 'boolean' } }), 'Accepted'),
          '404': { description: 'Unknown record kind' },
          '422': {
            description: 'Invalid records; nothing was written',
            content: { 'application/json': { schema: ref('Error') } },
          },
          ...errors,
        },
      },
    },
    '/api/v1/jobs': {
      get: {
        tags: ['records'],
        summary: "The organization's jobs",
        ...roles(...ROLES),
        responses: {
          '200': json(arr(obj({ jobId: str(), title: nullable('string'), department: nullable('string') }))),
          ...errors,
        },
      },
    },
    '/api/v1/rubrics': {
      get: {
        tags: ['records'],
        summary: 'Rubric versions',
        ...roles(...ROLES),
        responses: { '200': json(arr(ref('Rubric'))), ...errors },
      },
      put: {
        tags: ['records'],
        summary: 'Create or update one rubric version',
        ...roles('admin'),
        requestBody: { required: true, content: { 'application/json': { schema: ref('Rubric') } } },
        responses: {
          '200': json(ref('Rubric')),
          '409': { description: 'Conflicts with stored scores' },
          ...errors,
        },
      },
    },
    '/api/v1/imports': {
      get: {
        tags: ['imports'],
        summary: 'Recent imports, newest first',
        ...roles('admin', 'analyst'),
        parameters: [
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
        ],
        responses: { '200': json(arr(ref('ImportRun'))), ...errors },
      },
    },
    '/api/v1/imports/{importId}': {
      get: {
        tags: ['imports'],
        summary: 'One import with progress and row-level errors',
        ...roles('admin', 'analyst'),
        parameters: [{ name: 'importId', in: 'path', required: true, schema: str() }],
        responses: { '200': json(ref('ImportRun')), '404': { description: 'Not found' }, ...errors },
      },
    },
    '/api/v1/auth/login': {
      post: {
        tags: ['auth'],
        summary: 'Sign in; sets an httpOnly session cookie',
        security: [],
        'x-roles': ['public'],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: obj({ email: str(), password: str() }) } },
        },
        responses: { '200': json(ref('SessionInfo')), '401': { description: 'Wrong email or password' } },
      },
    },
    '/api/v1/auth/logout': {
      post: {
        tags: ['auth'],
        summary: 'Sign out',
        ...roles(...ROLES),
        responses: { '204': { description: 'Signed out' }, ...errors },
      },
    },
    '/api/v1/auth/me': {
      get: {
        tags: ['auth'],
        summary: 'Who is calling',
        ...roles(...ROLES),
        responses: { '200': json(ref('SessionInfo')), ...errors },
      },
    },
    '/api/health': {
      get: {
        tags: ['health'],
        summary: 'Database and queue health',
        security: [],
        'x-roles': ['public'],
        responses: { '200': json(ref('Health')), '503': json(ref('Health'), 'Degraded') },
      },
    },
    '/api/openapi.json': {
      get: {
        tags: ['health'],
        summary: 'This document',
        security: [],
        'x-roles': ['public'],
        responses: { '200': { description: 'OpenAPI 3.1 JSON' } },
      },
    },
  },
  components: {
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer', description: 'API key (hs_...)' },
      session: { type: 'apiKey', in: 'cookie', name: 'hs_session' },
    },
    schemas,
  },
} as const;
