// Types only: a value import from the shared barrel would pull its zod record schemas into the bundle.
import type { Outcome } from '@hiresignal/shared';

/** The analytics filters as the URL holds them; null means "not filtered". */
export interface DashboardFilters {
  outcome: Outcome;
  jobId: string | null;
  department: string | null;
  source: string | null;
  hiredFrom: string | null;
  hiredTo: string | null;
}

export type FilterKey = Exclude<keyof DashboardFilters, 'outcome'>;

export const FILTER_KEYS: readonly FilterKey[] = ['jobId', 'department', 'source', 'hiredFrom', 'hiredTo'];

/** Keyed by the shared Outcome type, so a new outcome in the contract fails to compile here. */
export const OUTCOME_LABELS: Record<Outcome, string> = {
  performance: 'Performance rating',
  success: 'Successful hire',
  retention: 'Retention (first year)',
};

/** What the outcome means, in the words a talent leader uses. */
export const OUTCOME_NOUNS: Record<Outcome, string> = {
  performance: 'performance after hire',
  success: 'a successful hire',
  retention: 'staying the first year',
};

export const DEFAULT_FILTERS: DashboardFilters = {
  outcome: 'performance',
  jobId: null,
  department: null,
  source: null,
  hiredFrom: null,
  hiredTo: null,
};

export function isBinaryOutcome(outcome: Outcome): boolean {
  return outcome !== 'performance';
}

export function parseOutcome(value: string | null | undefined): Outcome {
  return value !== null && value !== undefined && Object.hasOwn(OUTCOME_LABELS, value)
    ? (value as Outcome)
    : 'performance';
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date "YYYY-MM-DD" that exists; anything else is dropped rather than sent to the API. */
export function parseIsoDate(value: string | null | undefined): string | null {
  if (!value || !ISO_DATE.test(value)) {
    return null;
  }
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value) ? value : null;
}

function parseText(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed.length > 0 && trimmed.length <= 200 ? trimmed : null;
}

/** Reads the filters from a URL's query parameters (anything with a `get`, e.g. ParamMap or URLSearchParams). */
export function parseFilters(params: { get(name: string): string | null }): DashboardFilters {
  return {
    outcome: parseOutcome(params.get('outcome')),
    jobId: parseText(params.get('jobId')),
    department: parseText(params.get('department')),
    source: parseText(params.get('source')),
    hiredFrom: parseIsoDate(params.get('hiredFrom')),
    hiredTo: parseIsoDate(params.get('hiredTo')),
  };
}

export function sameFilters(a: DashboardFilters, b: DashboardFilters): boolean {
  return a.outcome === b.outcome && FILTER_KEYS.every((key) => a[key] === b[key]);
}

/**
 * The API's query parameters: only filters that are set, so the request stays short and an older API that
 * rejects unknown parameters still answers the default view.
 */
export function toApiParams(filters: DashboardFilters, withOutcome = true): Record<string, string> {
  const params: Record<string, string> = withOutcome ? { outcome: filters.outcome } : {};
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (value !== null) {
      params[key] = value;
    }
  }
  return params;
}

/** Query parameters for Router.navigate with queryParamsHandling 'merge': null removes a parameter. */
export function toUrlParams(changes: Partial<DashboardFilters>): Record<string, string | null> {
  const params: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(changes)) {
    params[key] = value === '' || value === undefined ? null : value;
  }
  return params;
}

export function activeFilterCount(filters: DashboardFilters): number {
  return FILTER_KEYS.filter((key) => filters[key] !== null).length;
}

/** "Hired 2025-01-01 to 2025-06-30", "hired since …", "hired until …", or null. */
export function describeHireWindow(filters: DashboardFilters): string | null {
  const { hiredFrom, hiredTo } = filters;
  if (hiredFrom && hiredTo) {
    return `hired ${hiredFrom} to ${hiredTo}`;
  }
  if (hiredFrom) {
    return `hired since ${hiredFrom}`;
  }
  return hiredTo ? `hired until ${hiredTo}` : null;
}

/** The validity view's correction, kept in the URL beside the filters. */
export type Correction = 'none' | 'range' | 'operational';

export const CORRECTIONS: readonly { value: Correction; label: string; short: string }[] = [
  { value: 'none', label: 'No correction', short: 'Observed r' },
  { value: 'range', label: 'Range restriction', short: 'Range-restriction corrected r' },
  { value: 'operational', label: 'Operational validity', short: 'Operational validity' },
];

export function parseCorrection(value: string | null | undefined): Correction {
  return value === 'range' || value === 'operational' ? value : 'none';
}
