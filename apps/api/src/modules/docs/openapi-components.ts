import {
  ATS_VENDORS,
  IMPORT_PHASES,
  IMPORT_SOURCES,
  IMPORT_STATUSES,
  ON_ERROR_MODES,
  OUTCOMES,
  RECORD_KINDS,
  ROLES,
} from '@hiresignal/shared';

/*
 * The hand-written parts of GET /api/openapi.json: the document's info and the named response schemas, referenced
 * with apiRef('Name') (their shapes mirror libs/shared api.ts, analytics.ts, imports.ts and settings.ts, which are
 * TypeScript types, not zod schemas). Everything else is generated: paths and access from the routes
 * (openapi.service.ts), parameters and request bodies from the zod schemas the routes validate with, summaries and
 * descriptions from @ApiDoc next to each route. Statistics are defined in docs/statistics.md.
 */

type Schema = Record<string, unknown>;

export const OPENAPI_INFO = {
  title: 'HireSignal API',
  version: '1',
  description:
    'Interview analytics: ingestion of canonical hiring records, criterion validity and interviewer calibration. ' +
    'Authenticate with a session cookie (POST /api/v1/auth/login) or an API key (Authorization: Bearer hs_...). ' +
    'Each operation lists the roles allowed in x-roles ("public": no credentials). Statistical definitions: ' +
    'docs/statistics.md.',
};

export const SECURITY_SCHEMES = {
  bearer: { type: 'http', scheme: 'bearer', description: 'API key (hs_...)' },
  session: { type: 'apiKey', in: 'cookie', name: 'hs_session' },
};

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
  smallCellK: int('small-cell threshold: an aggregate cell of fewer than k people is suppressed (default 5)'),
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

export const COMPONENT_SCHEMAS: Record<string, Schema> = {
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
        relativeWeight: num(
          'Johnson (2000), model on all criteria; the weights sum to R² and are never negative',
        ),
        recommendedWeight: num(
          'suggested rubric weight, 0 to 1: criteria with a positive beta share 1 by their relative weights in the model on them alone; 0 when not recommended',
        ),
        recommended: {
          type: 'boolean',
          description: 'false when the criterion is left out of the weights because its beta is not positive',
        },
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
    interviewerId: str('the key: the interviewer id as imported'),
    name: nullable('string', { description: 'display name, when an import gave one (interviewer_name)' }),
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
  ImportAccepted: obj({
    importId: str(),
    deduplicated: {
      type: 'boolean',
      description:
        'true when an identical payload or file was already queued or running and this request joined it',
    },
  }),
  ImportRowError: obj(
    {
      row: int('1-based data row (CSV: header excluded; JSON: position in the array)'),
      line: nullable('integer', { description: 'file line the row starts on (CSV only; header is line 1)' }),
      column: nullable('string', { description: 'the CSV column or JSON field; null for the whole row' }),
      value: nullable('string'),
      message: str(),
      index: int('0-based row index (= row - 1)'),
      field: str('the canonical field, or "(record)" for a whole-row problem'),
      recordId: str(),
    },
    ['row', 'line', 'column', 'value', 'message', 'index', 'field'],
  ),
  ImportRunSummary: obj(
    {
      importId: str(),
      kind: { type: 'string', enum: [...RECORD_KINDS, ...ATS_VENDORS] },
      source: { type: 'string', enum: [...IMPORT_SOURCES] },
      filename: nullable('string', { description: 'the uploaded file; null for the JSON records API' }),
      fileSize: nullable('integer', { description: 'bytes of the uploaded file' }),
      onError: { type: 'string', enum: [...ON_ERROR_MODES] },
      status: { type: 'string', enum: [...IMPORT_STATUSES] },
      progress: obj({
        phase: { type: 'string', enum: [...IMPORT_PHASES] },
        unit: { type: 'string', enum: ['rows', 'bytes'] },
        processed: int(),
        total: nullable('integer', { description: 'null while unknown' }),
        percent: nullable('integer', { description: '0..100, rounded down' }),
      }),
      inserted: int(),
      updated: int(),
      unchanged: int(),
      rejected: int('rows refused; with onError=reject and any rejected row, nothing is written'),
      total: int(),
      processed: int(),
      errorCount: int('row errors stored (errors.csv has all of them)'),
      failureReason: nullable('string'),
      attempts: int(),
      createdAt: str(),
      startedAt: nullable('string'),
      finishedAt: nullable('string'),
      durationMs: nullable('integer'),
      startedBy: obj({
        userId: nullable('string'),
        email: nullable('string'),
        apiKeyId: nullable('string'),
        apiKeyName: nullable('string'),
      }),
      deduplicated: { type: 'boolean' },
    },
    [
      'importId',
      'kind',
      'source',
      'filename',
      'fileSize',
      'onError',
      'status',
      'progress',
      'inserted',
      'updated',
      'unchanged',
      'rejected',
      'total',
      'processed',
      'errorCount',
      'failureReason',
      'attempts',
      'createdAt',
      'startedAt',
      'finishedAt',
      'durationMs',
      'startedBy',
    ],
  ),
  ImportRunDetail: {
    allOf: [
      ref('ImportRunSummary'),
      obj({
        errors: { ...arr(ref('ImportRowError')), description: 'the first errors (at most 100)' },
        errorsTruncated: { type: 'boolean' },
        errorsCsvUrl: str('relative URL of the CSV of every error'),
        byKind: arr({
          type: 'object',
          properties: {
            recordKind: { type: 'string', enum: [...RECORD_KINDS, 'jobs'] },
            rows: int(),
            inserted: int(),
            updated: int(),
            unchanged: int(),
            rejected: int(),
          },
          required: ['recordKind', 'rows', 'inserted', 'updated', 'unchanged', 'rejected'],
        }),
        worker: nullable('string', { description: 'host:pid of the worker that ran the import' }),
      }),
    ],
  },
  AtsMapping: obj({
    vendor: { type: 'string', enum: [...ATS_VENDORS] },
    stages: arr(ref('AtsMappingEntry')),
    criteria: arr(ref('AtsMappingEntry')),
    availableStages: arr(str()),
    availableCriteria: arr(str()),
  }),
  AtsMappingEntry: obj({
    atsName: str('the name as the ATS spells it'),
    target: nullable('string', { description: 'our stage or criterion key; null ignores the name' }),
    origin: { type: 'string', enum: ['custom', 'default', 'unmatched'] },
    lastSeenAt: nullable('string'),
  }),
  Job: obj({ jobId: str(), title: nullable('string'), department: nullable('string') }),
  FilterOptions: obj({
    jobs: arr(ref('Job')),
    departments: arr(str()),
    sources: arr(obj({ source: str(), applications: int() })),
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
  Liveness: obj({
    status: { type: 'string', enum: ['alive'] },
    uptimeSeconds: num('Seconds since the process started'),
  }),
  Readiness: obj({
    status: { type: 'string', enum: ['ready', 'not_ready'] },
    database: { type: 'string', enum: ['up', 'down'] },
    queue: { type: 'string', enum: ['up', 'down'] },
    shuttingDown: {
      type: 'boolean',
      description: 'true from the first SIGTERM or SIGINT: the process is draining',
    },
  }),
};
