import { FAIRNESS_GROUPINGS, OUTCOMES, type FairnessFilters } from '@hiresignal/shared';
import { z } from 'zod';
import { isoDate, pickFilters, text } from './analytics-filters';

/** The analytics filters of the fairness views: the cohort is chosen by application date, as in the funnel. */
const filterFields = {
  jobId: text.optional(),
  department: text.optional(),
  source: text.optional(),
  rubric: text.optional(),
  rubricVersion: z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).optional(),
  appliedFrom: isoDate.optional(),
  appliedTo: isoDate.optional(),
  hiredFrom: isoDate.optional(),
  hiredTo: isoDate.optional(),
};

const groupBy = z.enum(FAIRNESS_GROUPINGS);

type Ranges = { appliedFrom?: string; appliedTo?: string; hiredFrom?: string; hiredTo?: string };
const ordered = (from?: string, to?: string) => from === undefined || to === undefined || from <= to;
function withRanges<T extends z.ZodType<Ranges>>(schema: T) {
  return schema
    .refine((q) => ordered(q.appliedFrom, q.appliedTo), {
      message: 'appliedFrom must not be after appliedTo',
      path: ['appliedFrom'],
    })
    .refine((q) => ordered(q.hiredFrom, q.hiredTo), {
      message: 'hiredFrom must not be after hiredTo',
      path: ['hiredFrom'],
    });
}

/** GET /analytics/adverse-impact: `decision` is 'hire' (default) or a stage of the pipeline (checked by the service). */
export const adverseImpactQuerySchema = withRanges(
  z.strictObject({
    decision: text.default('hire'),
    groupBy: groupBy.default('sex'),
    ...filterFields,
  }),
);

/** GET /analytics/adverse-impact/stages. */
export const adverseImpactStagesQuerySchema = withRanges(
  z.strictObject({ groupBy: groupBy.default('sex'), ...filterFields }),
);

/** GET /analytics/bias-audit: a criterion key of the rubric or 'composite' (default). */
export const biasAuditQuerySchema = withRanges(
  z.strictObject({ criterion: text.default('composite'), ...filterFields }),
);

/** GET /analytics/differential-validity. */
export const differentialValidityQuerySchema = withRanges(
  z.strictObject({
    outcome: z.enum(OUTCOMES).default('performance'),
    groupBy: groupBy.default('sex'),
    criterion: text.default('composite'),
    ...filterFields,
  }),
);

const FILTER_KEYS = [
  'jobId',
  'department',
  'source',
  'rubric',
  'rubricVersion',
  'appliedFrom',
  'appliedTo',
  'hiredFrom',
  'hiredTo',
] as const;

/** The filters in a fixed key order with unset keys left out (what the reports echo and the cache keys on). */
export function normalizeFairnessFilters(
  input: Partial<Record<keyof FairnessFilters, unknown>>,
): FairnessFilters {
  return pickFilters(input, FILTER_KEYS) as FairnessFilters;
}
