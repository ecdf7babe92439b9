import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { COHORT_FILTER_KEYS, type Cohort, type CohortFilters } from '@hiresignal/shared';
import { DataSource } from 'typeorm';
import { pickFilters } from '../analytics/analytics-filters';
import { AuditService, type AuditActor } from '../audit/audit.service';
import { UUID_PATTERN } from '../../common/ids';

/** The filters in a fixed key order with unset keys left out: what is stored, echoed and deduplicated on. */
export function normalizeCohortFilters(filters: CohortFilters): CohortFilters {
  return pickFilters(filters, COHORT_FILTER_KEYS) as CohortFilters;
}

function toCohort(r: Record<string, unknown>): Cohort {
  return {
    id: String(r['id']),
    name: String(r['name']),
    filters: (typeof r['filters'] === 'string' ? JSON.parse(r['filters']) : r['filters']) as CohortFilters,
    createdBy: (r['created_by'] as string | null) ?? null,
    createdAt: new Date(r['created_at'] as string).toISOString(),
    updatedAt: new Date(r['updated_at'] as string).toISOString(),
  };
}

const SELECT = `SELECT c.id, c.name, c.filters, c.created_at, c.updated_at,
    COALESCE(u.email, k.name) AS created_by
  FROM cohorts c
  LEFT JOIN users u ON u.id = c.created_by_user_id
  LEFT JOIN api_keys k ON k.id = c.created_by_api_key_id`;

/**
 * Saved cohorts: a name for a set of analytics filters. Names are unique in an organization; saving the same name
 * with the same filters again is a no-op that answers the saved cohort (a retried request), with other filters a 409.
 */
@Injectable()
export class CohortsService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(organizationId: string): Promise<Cohort[]> {
    const rows = (await this.db.query(`${SELECT} WHERE c.organization_id = $1 ORDER BY lower(c.name), c.id`, [
      organizationId,
    ])) as Record<string, unknown>[];
    return rows.map(toCohort);
  }

  async get(organizationId: string, id: string): Promise<Cohort> {
    if (!UUID_PATTERN.test(id)) throw new NotFoundException(`No cohort ${id}`);
    const rows = (await this.db.query(`${SELECT} WHERE c.organization_id = $1 AND c.id = $2`, [
      organizationId,
      id,
    ])) as Record<string, unknown>[];
    if (!rows[0]) throw new NotFoundException(`No cohort ${id}`);
    return toCohort(rows[0]);
  }

  async create(
    actor: AuditActor,
    name: string,
    filters: CohortFilters,
  ): Promise<{ cohort: Cohort; created: boolean }> {
    const normalized = normalizeCohortFilters(filters);
    const result = await this.db.transaction(async (tx) => {
      const inserted = (await tx.query(
        `INSERT INTO cohorts (organization_id, name, filters, created_by_user_id, created_by_api_key_id)
         VALUES ($1, $2, $3::jsonb, $4, $5)
         ON CONFLICT (organization_id, name) DO NOTHING RETURNING id`,
        [
          actor.organizationId,
          name,
          JSON.stringify(normalized),
          actor.userId ?? null,
          actor.apiKeyId ?? null,
        ],
      )) as { id: string }[];
      if (inserted[0]) {
        await this.audit.record(
          actor,
          'cohort.created',
          { type: 'cohort', id: inserted[0].id },
          { name, filters: normalized },
          tx,
        );
        return { id: inserted[0].id, created: true };
      }
      const [existing] = (await tx.query(
        `SELECT id, filters FROM cohorts WHERE organization_id = $1 AND name = $2`,
        [actor.organizationId, name],
      )) as { id: string; filters: CohortFilters }[];
      if (JSON.stringify(normalizeCohortFilters(existing.filters)) !== JSON.stringify(normalized)) {
        throw new ConflictException(`A cohort named "${name}" already exists with other filters`);
      }
      return { id: existing.id, created: false };
    });
    return { cohort: await this.get(actor.organizationId, result.id), created: result.created };
  }

  async update(
    actor: AuditActor,
    id: string,
    change: { name?: string; filters?: CohortFilters },
  ): Promise<Cohort> {
    const before = await this.get(actor.organizationId, id);
    const name = change.name ?? before.name;
    const filters = change.filters ? normalizeCohortFilters(change.filters) : before.filters;
    await this.db.transaction(async (tx) => {
      const clash = (await tx.query(
        `SELECT 1 FROM cohorts WHERE organization_id = $1 AND name = $2 AND id <> $3`,
        [actor.organizationId, name, id],
      )) as unknown[];
      if (clash.length > 0) throw new ConflictException(`A cohort named "${name}" already exists`);
      await tx.query(
        `UPDATE cohorts SET name = $3, filters = $4::jsonb, updated_at = now() WHERE organization_id = $1 AND id = $2`,
        [actor.organizationId, id, name, JSON.stringify(filters)],
      );
      await this.audit.record(
        actor,
        'cohort.updated',
        { type: 'cohort', id },
        { from: { name: before.name, filters: before.filters }, to: { name, filters } },
        tx,
      );
    });
    return this.get(actor.organizationId, id);
  }

  async remove(actor: AuditActor, id: string): Promise<void> {
    const before = await this.get(actor.organizationId, id);
    await this.db.transaction(async (tx) => {
      await tx.query('DELETE FROM cohorts WHERE organization_id = $1 AND id = $2', [
        actor.organizationId,
        id,
      ]);
      await this.audit.record(actor, 'cohort.deleted', { type: 'cohort', id }, { name: before.name }, tx);
    });
  }
}
