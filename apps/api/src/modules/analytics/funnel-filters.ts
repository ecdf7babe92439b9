import type { FunnelFilters } from '@hiresignal/shared';
import { z } from 'zod';
import { isoDate, text } from './analytics-filters';

/** Query of GET /analytics/funnel: the analytics filters, with the applied-date filters choosing the cohort. */
export const funnelQuerySchema = z
  .strictObject({
    jobId: text.optional(),
    department: text.optional(),
    source: text.optional(),
    rubric: text.optional(),
    rubricVersion: z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).optional(),
    appliedFrom: isoDate.optional(),
    appliedTo: isoDate.optional(),
  })
  .refine((q) => q.appliedFrom === undefined || q.appliedTo === undefined || q.appliedFrom <= q.appliedTo, {
    message: 'appliedFrom must not be after appliedTo',
    path: ['appliedFrom'],
  });

const FUNNEL_FILTER_KEYS = [
  'jobId',
  'department',
  'source',
  'rubric',
  'rubricVersion',
  'appliedFrom',
  'appliedTo',
] as const;

/** The filters in a fixed key order with unset keys left out (what the report echoes and the cache keys on). */
export function normalizeFunnelFilters(input: Partial<Record<keyof FunnelFilters, unknown>>): FunnelFilters {
  const out: Record<string, unknown> = {};
  for (const key of FUNNEL_FILTER_KEYS) {
    const value = input[key];
    if (value !== undefined && value !== null && value !== '') out[key] = value;
  }
  return out as FunnelFilters;
}

/** Applied-date filters as a half-open UTC interval [from, to): appliedTo includes its whole day. */
export function appliedDateBounds(filters: FunnelFilters): { from: string | null; to: string | null } {
  const from = filters.appliedFrom ? `${filters.appliedFrom}T00:00:00.000Z` : null;
  let to: string | null = null;
  if (filters.appliedTo) {
    const next = new Date(`${filters.appliedTo}T00:00:00.000Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    to = next.toISOString();
  }
  return { from, to };
}
