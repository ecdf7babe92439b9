import { z } from 'zod';

const criterionKey = z
  .string()
  .regex(
    /^[a-z][a-z0-9_]{0,62}$/,
    'must be snake_case: lowercase letters, digits and _, starting with a letter',
  );

/** A versioned interview rubric: the criteria interviewers score and the scale they score on. */
export const rubricSchema = z
  .strictObject({
    name: z.string().trim().min(1, 'is required').max(200),
    version: z.number().int('must be a whole number').positive('must be positive'),
    scaleMin: z.number().finite(),
    scaleMax: z.number().finite(),
    criteria: z
      .array(
        z.strictObject({
          key: criterionKey,
          label: z.string().trim().min(1, 'is required').max(200),
          description: z.string().trim().max(2000).optional(),
        }),
      )
      .min(1, 'must list at least one criterion')
      .max(100),
    isDefault: z.boolean().default(false),
  })
  .superRefine((rubric, ctx) => {
    if (rubric.scaleMax <= rubric.scaleMin) {
      ctx.addIssue({ code: 'custom', path: ['scaleMax'], message: 'must be greater than scaleMin' });
    }
    const seen = new Set<string>();
    rubric.criteria.forEach((c, i) => {
      if (seen.has(c.key))
        ctx.addIssue({ code: 'custom', path: ['criteria', i, 'key'], message: `duplicates ${c.key}` });
      seen.add(c.key);
    });
  });

export type RubricInput = z.input<typeof rubricSchema>;
export type RubricDefinition = z.output<typeof rubricSchema>;
