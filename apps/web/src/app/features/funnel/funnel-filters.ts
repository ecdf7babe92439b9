import { parseIsoDate } from '../analytics/analytics-filters';

/** The funnel's filters as the URL holds them; null means "not filtered". The applied dates choose the cohort. */
export interface FunnelUrlFilters {
  jobId: string | null;
  department: string | null;
  source: string | null;
  appliedFrom: string | null;
  appliedTo: string | null;
}

export const FUNNEL_FILTER_KEYS: readonly (keyof FunnelUrlFilters)[] = [
  'jobId',
  'department',
  'source',
  'appliedFrom',
  'appliedTo',
];

export const NO_FUNNEL_FILTERS: FunnelUrlFilters = {
  jobId: null,
  department: null,
  source: null,
  appliedFrom: null,
  appliedTo: null,
};

function parseText(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed.length > 0 && trimmed.length <= 200 ? trimmed : null;
}

export function parseFunnelFilters(params: { get(name: string): string | null }): FunnelUrlFilters {
  return {
    jobId: parseText(params.get('jobId')),
    department: parseText(params.get('department')),
    source: parseText(params.get('source')),
    appliedFrom: parseIsoDate(params.get('appliedFrom')),
    appliedTo: parseIsoDate(params.get('appliedTo')),
  };
}

export function sameFunnelFilters(a: FunnelUrlFilters, b: FunnelUrlFilters): boolean {
  return FUNNEL_FILTER_KEYS.every((key) => a[key] === b[key]);
}

/** Query parameters for GET /analytics/funnel: only the filters that are set. */
export function funnelApiParams(filters: FunnelUrlFilters): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of FUNNEL_FILTER_KEYS) {
    const value = filters[key];
    if (value !== null) out[key] = value;
  }
  return out;
}

export function activeFunnelFilterCount(filters: FunnelUrlFilters): number {
  return FUNNEL_FILTER_KEYS.filter((key) => filters[key] !== null).length;
}
