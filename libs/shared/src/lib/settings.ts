import { z } from 'zod';

/**
 * Body of PUT /api/v1/settings (admin). Every field is optional: the ones given replace the stored value, the others
 * are kept. The answer, and GET /api/v1/settings, is the full OrganizationSettings (see analytics.ts).
 */
export const organizationSettingsSchema = z
  .strictObject({
    /** r_yy for the operational-validity correction; PRODUCT.md default .52 (Viswesvaran, Ones and Schmidt 1996). */
    criterionReliability: z
      .number()
      .finite()
      .gt(0, 'must be greater than 0')
      .max(1, 'must be at most 1')
      .optional(),
    /** Latest rating at or above which a hire counts as a success (default 4 on a 1 to 5 scale). */
    successThreshold: z
      .number()
      .finite()
      .min(0, 'must be at least 0')
      .max(100, 'must be at most 100')
      .optional(),
    /** Hires with outcomes below which a result is flagged insufficient (default 30). */
    minimumSample: z
      .number()
      .int('must be a whole number')
      .min(4, 'must be at least 4')
      .max(1_000_000, 'must be at most 1000000')
      .optional(),
    /** Small-cell threshold of the fairness views: a cell with fewer than k people is suppressed (default 5). */
    smallCellK: z
      .number()
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(1000, 'must be at most 1000')
      .optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'name at least one setting to change' });

export type OrganizationSettingsUpdate = z.output<typeof organizationSettingsSchema>;

export const DEFAULT_ORGANIZATION_SETTINGS = {
  criterionReliability: 0.52,
  successThreshold: 4,
  minimumSample: 30,
  smallCellK: 5,
} as const;

/** The implicit first step of every funnel; not a stage name of the list. */
export const APPLIED_STEP = 'applied';

/**
 * Body of PUT /api/v1/settings/pipeline-stages (admin): the ordered pipeline stages, or null to follow the order of
 * the stages seen in the data. Stage events on a stage not in the list are counted as unmapped.
 */
export const pipelineStagesSchema = z.strictObject({
  stages: z
    .array(
      z
        .string()
        .trim()
        .min(1, 'must not be empty')
        .max(200)
        .refine((s) => s !== APPLIED_STEP, { message: `"${APPLIED_STEP}" is the implicit first step` }),
    )
    .min(1, 'name at least one stage')
    .max(50, 'at most 50 stages')
    .refine((list) => new Set(list).size === list.length, { message: 'stages must be unique' })
    .nullable(),
});

export type PipelineStagesUpdate = z.output<typeof pipelineStagesSchema>;

/** "recruiter_screen" -> "Recruiter screen". */
export function stageLabel(stage: string): string {
  const words = stage.replace(/[_-]+/g, ' ').trim();
  return words.length === 0 ? stage : words[0].toUpperCase() + words.slice(1);
}
