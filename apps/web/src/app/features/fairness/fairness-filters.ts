// Types only: a value import from the shared barrel would pull its zod record schemas into the bundle.
import type { FairnessGrouping, Outcome } from '@hiresignal/shared';
import { parseIsoDate, parseOutcome } from '../analytics/analytics-filters';

/**
 * The Fairness screen's state as the URL holds it. The cohort filters (null: not filtered; the applied dates choose
 * the cohort) and the view's choices: grouping, decision, criterion and outcome.
 */
export interface FairnessUrlFilters {
  jobId: string | null;
  department: string | null;
  source: string | null;
  appliedFrom: string | null;
  appliedTo: string | null;
  groupBy: FairnessGrouping;
  /** 'hire' or a pipeline stage's name. */
  decision: string;
  /** A rubric criterion's key or 'composite'. */
  criterion: string;
  outcome: Outcome;
}

export type FairnessCohortKey = 'jobId' | 'department' | 'source' | 'appliedFrom' | 'appliedTo';

export const COHORT_KEYS: readonly FairnessCohortKey[] = [
  'jobId',
  'department',
  'source',
  'appliedFrom',
  'appliedTo',
];

const VIEW_KEYS = ['groupBy', 'decision', 'criterion', 'outcome'] as const;

export const GROUPINGS: readonly { value: FairnessGrouping; label: string }[] = [
  { value: 'sex', label: 'Sex' },
  { value: 'race_ethnicity', label: 'Race/ethnicity' },
  { value: 'intersectional', label: 'Sex × race/ethnicity' },
];

export const NO_FAIRNESS_FILTERS: FairnessUrlFilters = {
  jobId: null,
  department: null,
  source: null,
  appliedFrom: null,
  appliedTo: null,
  groupBy: 'sex',
  decision: 'hire',
  criterion: 'composite',
  outcome: 'performance',
};

function parseText(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed.length > 0 && trimmed.length <= 200 ? trimmed : null;
}

export function parseGrouping(value: string | null | undefined): FairnessGrouping {
  return GROUPINGS.find((g) => g.value === value)?.value ?? 'sex';
}

/** Reads the filters from a URL's query parameters (anything with a `get`, e.g. ParamMap or URLSearchParams). */
export function parseFairnessFilters(params: { get(name: string): string | null }): FairnessUrlFilters {
  return {
    jobId: parseText(params.get('jobId')),
    department: parseText(params.get('department')),
    source: parseText(params.get('source')),
    appliedFrom: parseIsoDate(params.get('appliedFrom')),
    appliedTo: parseIsoDate(params.get('appliedTo')),
    groupBy: parseGrouping(params.get('groupBy')),
    decision: parseText(params.get('decision')) ?? 'hire',
    criterion: parseText(params.get('criterion')) ?? 'composite',
    outcome: parseOutcome(params.get('outcome')),
  };
}

export function sameFairnessFilters(a: FairnessUrlFilters, b: FairnessUrlFilters): boolean {
  return [...COHORT_KEYS, ...VIEW_KEYS].every((key) => a[key] === b[key]);
}

/** The cohort filters that are set, as API query parameters. */
export function cohortParams(filters: FairnessUrlFilters): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of COHORT_KEYS) {
    const value = filters[key];
    if (value !== null) out[key] = value;
  }
  return out;
}

export function activeCohortFilterCount(filters: FairnessUrlFilters): number {
  return COHORT_KEYS.filter((key) => filters[key] !== null).length;
}

/** Query parameters of each fairness route for these filters. */
export function adverseImpactParams(filters: FairnessUrlFilters): Record<string, string> {
  return { ...cohortParams(filters), decision: filters.decision, groupBy: filters.groupBy };
}

export function stagesParams(filters: FairnessUrlFilters): Record<string, string> {
  return { ...cohortParams(filters), groupBy: filters.groupBy };
}

export function biasAuditParams(filters: FairnessUrlFilters): Record<string, string> {
  return { ...cohortParams(filters), criterion: filters.criterion };
}

export function differentialValidityParams(filters: FairnessUrlFilters): Record<string, string> {
  return {
    ...cohortParams(filters),
    outcome: filters.outcome,
    groupBy: filters.groupBy,
    criterion: filters.criterion,
  };
}

/** The same parameters as a stable string, to skip a request whose parameters did not change. */
export function paramsKey(params: Record<string, string>): string {
  return Object.keys(params)
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join('&');
}
