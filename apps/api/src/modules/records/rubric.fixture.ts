import type { Rubric } from './hiring-records.entities';

/**
 * A rubric for unit tests: the demo's "AI Engineer" v1 on a 1-4 scale with three of its criteria, the default.
 * Tests that depend on other values say so through `over`.
 */
export function testRubric(over: Partial<Rubric> = {}): Rubric {
  return {
    id: 'r',
    organizationId: 'o',
    name: 'AI Engineer',
    version: 1,
    scaleMin: 1,
    scaleMax: 4,
    criteria: [
      { key: 'fundamentals', label: 'Fundamentals' },
      { key: 'deployment_at_scale', label: 'Deployment at scale' },
      { key: 'communication', label: 'Communication' },
    ],
    isDefault: true,
    createdAt: new Date(),
    ...over,
  } as Rubric;
}
