import {
  CONTROL_CHARACTERS,
  MAX_YEAR,
  MIN_YEAR,
  OUTCOMES,
  yearInRange,
  type AnalyticsFilters,
} from '@hiresignal/shared';
import { z } from 'zod';

/** A text filter value: trimmed, 1 to 200 characters, no control characters (a NUL would reach PostgreSQL). */
export const text = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200)
  .refine((v) => !CONTROL_CHARACTERS.test(v), { message: 'must not contain control characters' });
/** A calendar date filter value (YYYY-MM-DD) inside the years the product stores. */
export const isoDate = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2025-01-31')
  .refine(
    (v) =>
      !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
    {
      message: 'must be a valid calendar date',
      abort: true,
    },
  )
  .refine(yearInRange, { message: `must lie between ${MIN_YEAR}-01-01 and ${MAX_YEAR}-12-31` });

const filterFields = {
  jobId: text.optional(),
  department: text.optional(),
  rubric: text.optional(),
  rubricVersion: z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).optional(),
  source: text.optional(),
  hiredFrom: isoDate.optional(),
  hiredTo: isoDate.optional(),
};

const hireRange = (q: { hiredFrom?: string; hiredTo?: string }) =>
  q.hiredFrom === undefined || q.hiredTo === undefined || q.hiredFrom <= q.hiredTo;
const hireRangeIssue = { message: 'hiredFrom must not be after hiredTo', path: ['hiredFrom'] };

/** Query of GET /analytics/validity and /analytics/interviewers. */
export const outcomeQuerySchema = z
  .strictObject({ outcome: z.enum(OUTCOMES).default('performance'), ...filterFields })
  .refine(hireRange, hireRangeIssue);

/** Query of GET /analytics/reliability (no outcome). */
export const filtersQuerySchema = z.strictObject(filterFields).refine(hireRange, hireRangeIssue);

const FILTER_KEYS = [
  'jobId',
  'department',
  'rubric',
  'rubricVersion',
  'source',
  'hiredFrom',
  'hiredTo',
] as const;

/**
 * The filters in a fixed key order with unset keys left out: what a report echoes and what the cache keys on, so
 * `?source=x&jobId=y` and `?jobId=y&source=x` share one cache entry.
 */
export function normalizeFilters(input: Partial<Record<keyof AnalyticsFilters, unknown>>): AnalyticsFilters {
  return pickFilters(input, FILTER_KEYS) as AnalyticsFilters;
}

/**
 * The given keys of a filter object in the order of `keys`, unset ones (undefined, null, '') left out: every
 * report's filters are echoed, cached and deduplicated in this form.
 */
export function pickFilters<K extends string>(
  input: Partial<Record<K, unknown>>,
  keys: readonly K[],
): Partial<Record<K, unknown>> {
  const out: Partial<Record<K, unknown>> = {};
  for (const key of keys) {
    const value = input[key];
    if (value !== undefined && value !== null && value !== '') out[key] = value;
  }
  return out;
}

/** Hire-date filters as a half-open UTC interval [from, to): hiredTo is inclusive of its whole day. */
export function hireDateBounds(filters: AnalyticsFilters): { from: string | null; to: string | null } {
  return dayBounds(filters.hiredFrom, filters.hiredTo);
}

/**
 * Two inclusive UTC dates (YYYY-MM-DD, either optional) as a half-open interval of instants [from, to): `to` is the
 * start of the day after the last one. Every date filter of the product goes through here.
 */
export function dayBounds(fromDay?: string, toDay?: string): { from: string | null; to: string | null } {
  const from = fromDay ? `${fromDay}T00:00:00.000Z` : null;
  let to: string | null = null;
  if (toDay) {
    const next = new Date(`${toDay}T00:00:00.000Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    to = next.toISOString();
  }
  return { from, to };
}

export interface QueryIssue {
  field: string;
  message: string;
}

export function queryIssues(error: z.ZodError): QueryIssue[] {
  return error.issues.map((i) => ({
    field: i.path.join('.') || '(query)',
    message: i.code === 'unrecognized_keys' ? `unknown parameters: ${i.keys.join(', ')}` : i.message,
  }));
}
