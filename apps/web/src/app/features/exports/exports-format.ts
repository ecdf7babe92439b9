// Types only: a value import from the shared barrel would pull its zod record schemas into the bundle.
import type {
  CohortFilters,
  FairnessGrouping,
  ExportFormat,
  ExportFrequency,
  ExportReport,
  ExportStatus,
  ExportSummary,
} from '@hiresignal/shared';

/** A cohort filter key (the same names the URL and the API use). */
export type CohortKey = keyof CohortFilters;

/** Every cohort filter key, in the order the contract lists them (COHORT_FILTER_KEYS). */
export const COHORT_KEYS: readonly CohortKey[] = [
  'jobId',
  'department',
  'source',
  'rubric',
  'rubricVersion',
  'appliedFrom',
  'appliedTo',
  'hiredFrom',
  'hiredTo',
  'status',
];

/** The filters each analytics screen keeps in its URL (the rest of a cohort does not apply there). */
export const VALIDITY_COHORT_KEYS: readonly CohortKey[] = [
  'jobId',
  'department',
  'source',
  'hiredFrom',
  'hiredTo',
];
export const FUNNEL_COHORT_KEYS: readonly CohortKey[] = [
  'jobId',
  'department',
  'source',
  'appliedFrom',
  'appliedTo',
];

/** Keyed by the contract's types, so a new report, format or status fails to compile here. */
export const REPORT_LABELS: Record<ExportReport, string> = {
  cohort: 'Cohort rows (per application)',
  validity: 'Criterion validity table',
  interviewers: 'Interviewer calibration table',
  reliability: 'Interviewer agreement table',
  funnel: 'Funnel table',
  'adverse-impact': 'Adverse impact table',
  'bias-audit': 'Bias audit table (NYC LL144)',
  'differential-validity': 'Differential validity table',
};

/** Short names for buttons and table cells. */
export const REPORT_SHORT: Record<ExportReport, string> = {
  cohort: 'Cohort rows',
  validity: 'Validity',
  interviewers: 'Interviewers',
  reliability: 'Agreement',
  funnel: 'Funnel',
  'adverse-impact': 'Adverse impact',
  'bias-audit': 'Bias audit',
  'differential-validity': 'Differential validity',
};

/**
 * The filters each table takes (the API refuses any other rather than ignore it; apps/api report-tables.ts
 * REPORT_FILTERS). The cohort report takes them all.
 */
export const REPORT_FILTER_KEYS: Record<ExportReport, readonly CohortKey[]> = {
  cohort: COHORT_KEYS,
  validity: ['jobId', 'department', 'source', 'rubric', 'rubricVersion', 'hiredFrom', 'hiredTo'],
  interviewers: ['jobId', 'department', 'source', 'rubric', 'rubricVersion', 'hiredFrom', 'hiredTo'],
  reliability: ['jobId', 'department', 'source', 'rubric', 'rubricVersion', 'hiredFrom', 'hiredTo'],
  funnel: ['jobId', 'department', 'source', 'rubric', 'rubricVersion', 'appliedFrom', 'appliedTo'],
  'adverse-impact': ['jobId', 'department', 'source', 'appliedFrom', 'appliedTo'],
  'bias-audit': ['jobId', 'department', 'source', 'rubric', 'rubricVersion', 'appliedFrom', 'appliedTo'],
  'differential-validity': [
    'jobId',
    'department',
    'source',
    'rubric',
    'rubricVersion',
    'appliedFrom',
    'appliedTo',
    'hiredFrom',
    'hiredTo',
  ],
};

/** The options each table takes (the API refuses the others; report-tables.ts REPORT_OPTIONS). */
export const REPORT_OPTIONS: Record<ExportReport, readonly ('outcome' | 'groupBy' | 'criterion')[]> = {
  cohort: [],
  validity: ['outcome'],
  interviewers: ['outcome'],
  reliability: [],
  funnel: [],
  'adverse-impact': ['groupBy'],
  'bias-audit': ['criterion'],
  'differential-validity': ['outcome', 'groupBy', 'criterion'],
};

export function takesOption(report: ExportReport, option: 'outcome' | 'groupBy' | 'criterion'): boolean {
  return REPORT_OPTIONS[report].includes(option);
}

/** The filters of a request that a table does not take ("this table does not filter by applied dates"). */
export function refusedKeys(report: ExportReport, filters: CohortFilters): CohortKey[] {
  const allowed = REPORT_FILTER_KEYS[report];
  return COHORT_KEYS.filter((key) => filters[key] !== undefined && !allowed.includes(key));
}

export const GROUPING_LABELS: Record<FairnessGrouping, string> = {
  sex: 'Sex',
  race_ethnicity: 'Race/ethnicity',
  intersectional: 'Sex and race/ethnicity',
};

export const FORMAT_LABELS: Record<ExportFormat, string> = {
  csv: 'CSV',
  xlsx: 'XLSX (Excel)',
};

export const STATUS_LABELS: Record<ExportStatus, string> = {
  queued: 'Waiting',
  running: 'Writing',
  completed: 'Ready',
  failed: 'Failed',
};

export const FREQUENCY_LABELS: Record<ExportFrequency, string> = {
  daily: 'Every day',
  weekly: 'Every week',
  monthly: 'Every month',
};

/** When each frequency runs (the API's schedule: 02:00 UTC). */
export const FREQUENCY_HINTS: Record<ExportFrequency, string> = {
  daily: 'at 02:00 UTC',
  weekly: 'on Mondays at 02:00 UTC',
  monthly: 'on the 1st at 02:00 UTC',
};

export function isActiveExport(status: ExportStatus): boolean {
  return status === 'queued' || status === 'running';
}

const COUNT = new Intl.NumberFormat('en-US');

export function formatCount(value: number): string {
  return COUNT.format(value);
}

/** "1,234 of 6,000 rows", "1,234 rows so far", "Waiting to start", "6,000 rows". */
export function describeExportProgress(
  summary: Pick<ExportSummary, 'status' | 'rowsWritten' | 'rowsTotal' | 'error'>,
): string {
  const { status, rowsWritten, rowsTotal } = summary;
  const rows = (n: number) => `${formatCount(n)} ${n === 1 ? 'row' : 'rows'}`;
  switch (status) {
    case 'queued':
      return 'Waiting to start';
    case 'running':
      return rowsTotal === null
        ? `${rows(rowsWritten)} so far`
        : `${formatCount(rowsWritten)} of ${rows(rowsTotal)}`;
    case 'completed':
      return rows(rowsWritten);
    case 'failed':
      return summary.error ? `Failed: ${summary.error}` : 'Failed';
  }
}

/** The progress element's value and max, or null for an indeterminate bar (not started, total unknown). */
export function progressOf(
  summary: Pick<ExportSummary, 'status' | 'rowsWritten' | 'rowsTotal' | 'progress'>,
): { value: number; max: number } | null {
  if (summary.status === 'completed') return { value: 1, max: 1 };
  if (summary.status === 'queued') return null;
  if (summary.rowsTotal !== null && summary.rowsTotal > 0) {
    return { value: Math.min(summary.rowsWritten, summary.rowsTotal), max: summary.rowsTotal };
  }
  return Number.isFinite(summary.progress) && summary.progress > 0
    ? { value: Math.min(1, summary.progress), max: 1 }
    : null;
}

/** Only the filters that are set: what the API stores and compares. */
export function compactFilters(
  filters: Partial<Record<CohortKey, string | number | null | undefined>>,
): CohortFilters {
  const out: Record<string, string | number> = {};
  for (const key of COHORT_KEYS) {
    const value = filters[key];
    if (value !== null && value !== undefined && value !== '') out[key] = value;
  }
  return out as CohortFilters;
}

/** The part of a cohort a screen applies. */
export function pickFilters(filters: CohortFilters, keys: readonly CohortKey[]): CohortFilters {
  const out: Partial<Record<CohortKey, unknown>> = {};
  for (const key of keys) {
    if (filters[key] !== undefined) out[key] = filters[key];
  }
  return out as CohortFilters;
}

export function sameCohortFilters(a: CohortFilters, b: CohortFilters): boolean {
  return COHORT_KEYS.every((key) => (a[key] ?? null) === (b[key] ?? null));
}

/** The keys of a cohort that a screen does not apply (so the screen can say so). */
export function unusedKeys(filters: CohortFilters, keys: readonly CohortKey[]): CohortKey[] {
  return COHORT_KEYS.filter((key) => filters[key] !== undefined && !keys.includes(key));
}

/**
 * Query parameters that put a cohort on a screen (Router.navigate with queryParamsHandling 'merge'): the screen's
 * keys the cohort sets, and null for the screen's other keys so an earlier filter does not linger.
 */
export function cohortUrlParams(
  filters: CohortFilters,
  keys: readonly CohortKey[],
): Record<string, string | null> {
  const params: Record<string, string | null> = {};
  for (const key of keys) {
    const value = filters[key];
    params[key] = value === undefined ? null : String(value);
  }
  return params;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const STATUSES = new Set(['active', 'hired', 'rejected', 'withdrawn', 'offer_declined']);
const DATE_KEYS = new Set<CohortKey>(['appliedFrom', 'appliedTo', 'hiredFrom', 'hiredTo']);

function validDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/** Cohort filters from a URL's query parameters; anything malformed is left out rather than sent to the API. */
export function parseCohortParams(params: { get(name: string): string | null }): CohortFilters {
  const out: Partial<Record<CohortKey, string | number>> = {};
  for (const key of COHORT_KEYS) {
    const raw = params.get(key)?.trim() ?? '';
    if (raw === '' || raw.length > 200) continue;
    if (key === 'rubricVersion') {
      const n = Number(raw);
      if (Number.isInteger(n) && n >= 1 && n <= 1_000_000) out[key] = n;
    } else if (DATE_KEYS.has(key)) {
      if (validDate(raw)) out[key] = raw;
    } else if (key === 'status') {
      if (STATUSES.has(raw)) out[key] = raw;
    } else {
      out[key] = raw;
    }
  }
  return out as CohortFilters;
}

function range(label: string, from: string | undefined, to: string | undefined): string | null {
  if (from && to) return `${label} ${from} to ${to}`;
  if (from) return `${label} since ${from}`;
  if (to) return `${label} until ${to}`;
  return null;
}

const STATUS_WORDS: Record<string, string> = {
  active: 'in progress',
  hired: 'hired',
  rejected: 'rejected',
  withdrawn: 'withdrawn',
  offer_declined: 'offer declined',
};

/** The filters in words: "Job ai-1 · Source referral · Applied 2025-01-01 to 2025-06-30", or "All applications". */
export function describeFilters(filters: CohortFilters): string {
  const parts = [
    filters.jobId ? `Job ${filters.jobId}` : null,
    filters.department ? `Department ${filters.department}` : null,
    filters.source ? `Source ${filters.source}` : null,
    filters.rubric
      ? `Rubric ${filters.rubric}${filters.rubricVersion !== undefined ? ` v${filters.rubricVersion}` : ''}`
      : filters.rubricVersion !== undefined
        ? `Rubric version ${filters.rubricVersion}`
        : null,
    range('Applied', filters.appliedFrom, filters.appliedTo),
    range('Hired', filters.hiredFrom, filters.hiredTo),
    filters.status ? `Status ${STATUS_WORDS[filters.status] ?? filters.status}` : null,
  ].filter((part): part is string => part !== null);
  return parts.length > 0 ? parts.join(' · ') : 'All applications';
}

/** Plain names of filter keys, for "this screen does not use the cohort's applied dates". */
const KEY_WORDS: Record<CohortKey, string> = {
  jobId: 'job',
  department: 'department',
  source: 'source',
  rubric: 'rubric',
  rubricVersion: 'rubric version',
  appliedFrom: 'applied dates',
  appliedTo: 'applied dates',
  hiredFrom: 'hire dates',
  hiredTo: 'hire dates',
  status: 'status',
};

export function describeKeys(keys: readonly CohortKey[]): string {
  const words = [...new Set(keys.map((key) => KEY_WORDS[key]))];
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

export function downloadUrl(exportId: string): string {
  return `/api/v1/exports/${encodeURIComponent(exportId)}/download`;
}

/** How long files are kept, from an export's own dates ("7 days"), or null when unknown. */
export function retentionText(
  summary: Pick<ExportSummary, 'createdAt' | 'completedAt' | 'expiresAt'>,
): string | null {
  if (!summary.expiresAt) return null;
  const start = Date.parse(summary.completedAt ?? summary.createdAt);
  const end = Date.parse(summary.expiresAt);
  if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) return null;
  const hours = Math.round((end - start) / 3_600_000);
  if (hours >= 48 && hours % 24 === 0) return `${hours / 24} days`;
  if (hours >= 48) return `about ${Math.round(hours / 24)} days`;
  return `${hours} ${hours === 1 ? 'hour' : 'hours'}`;
}

/** A default name for a schedule: "Weekly cohort rows, CSV". */
export function defaultScheduleName(
  report: ExportReport,
  format: ExportFormat,
  frequency: ExportFrequency,
): string {
  const often = { daily: 'Daily', weekly: 'Weekly', monthly: 'Monthly' }[frequency];
  return `${often} ${REPORT_SHORT[report].toLowerCase()}, ${format.toUpperCase()}`;
}
