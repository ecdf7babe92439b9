import { Injectable } from '@nestjs/common';
import type { CriterionValidity, ValidityFilters, ValidityResponse } from '@hiresignal/shared';
import { correlationInference } from '@hiresignal/stats';
import { DataSource } from 'typeorm';
import { Organization } from '../organizations/organization.entity';
import type { Rubric } from '../records/hiring-records.entities';

/**
 * Observed criterion validity (PRODUCT.md): per criterion, Pearson r in the hired sample between the candidate
 * criterion score (mean over interviewers) and the performance outcome (the latest review's rating). PostgreSQL
 * aggregates the sample to n and r; the inference (interval, p) is computed from those.
 */
@Injectable()
export class ValidityService {
  constructor(private readonly db: DataSource) {}

  async observedValidity(
    organizationId: string,
    rubric: Rubric | null,
    filters: ValidityFilters,
  ): Promise<ValidityResponse> {
    const org = await this.db.getRepository(Organization).findOneByOrFail({ id: organizationId });
    if (!rubric) {
      return {
        outcome: 'performance',
        filters,
        rubric: null,
        minimumSample: org.minimumSample,
        criteria: [],
      };
    }
    const rows = (await this.db.query(
      `WITH hired AS (
         SELECT external_id FROM applications
         WHERE organization_id = $1 AND status = 'hired' AND ($4::text IS NULL OR job_external_id = $4)
       ), outcome AS (
         SELECT DISTINCT ON (pr.application_external_id) pr.application_external_id AS app, pr.rating
         FROM performance_reviews pr JOIN hired h ON h.external_id = pr.application_external_id
         WHERE pr.organization_id = $1
         ORDER BY pr.application_external_id, pr.review_date DESC
       ), criterion_score AS (
         SELECT s.application_external_id AS app, s.criterion, avg(s.score) AS score
         FROM interview_scores s JOIN outcome o ON o.app = s.application_external_id
         WHERE s.organization_id = $1 AND s.rubric_name = $2 AND s.rubric_version = $3
         GROUP BY 1, 2
       )
       SELECT cs.criterion, count(*)::int AS n, corr(cs.score, o.rating) AS r
       FROM criterion_score cs JOIN outcome o USING (app)
       GROUP BY cs.criterion`,
      [organizationId, rubric.name, rubric.version, filters.jobId ?? null],
    )) as { criterion: string; n: number; r: number | null }[];
    const byCriterion = new Map(rows.map((row) => [row.criterion, row]));
    const criteria: CriterionValidity[] = rubric.criteria.map(({ key }) => {
      const row = byCriterion.get(key);
      const n = row?.n ?? 0;
      const r = row?.r === null || row?.r === undefined || n < 3 ? null : clampR(Number(row.r));
      const inference = r === null ? { ciLow: null, ciHigh: null, pValue: null } : correlationInference(r, n);
      return { criterion: key, n, r, ...inference, sufficient: n >= org.minimumSample };
    });
    return {
      outcome: 'performance',
      filters,
      rubric: {
        name: rubric.name,
        version: rubric.version,
        scaleMin: rubric.scaleMin,
        scaleMax: rubric.scaleMax,
      },
      minimumSample: org.minimumSample,
      criteria,
    };
  }
}

/** Floating-point sums can put a perfect correlation a hair outside [-1, 1]. */
function clampR(r: number): number {
  return Math.max(-1, Math.min(1, r));
}
