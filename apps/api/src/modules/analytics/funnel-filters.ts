import type { FunnelFilters } from '@hiresignal/shared';
import { z } from 'zod';
import { dayBounds, isoDate, pickFilters, text } from './analytics-filters';

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
  return pickFilters(input, FUNNEL_FILTER_KEYS) as FunnelFilters;
}

/** Applied-date filters as a half-open UTC interval [from, to): appliedTo includes its whole day. */
export function appliedDateBounds(filters: FunnelFilters): { from: string | null; to: string | null } {
  return dayBounds(filters.appliedFrom, filters.appliedTo);
}
