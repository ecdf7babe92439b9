import { Injectable } from '@nestjs/common';
import type { RubricDefinition } from '@hiresignal/shared';
import { DataSource, type EntityManager } from 'typeorm';
import { Rubric } from './hiring-records.entities';

@Injectable()
export class RubricsService {
  constructor(private readonly db: DataSource) {}

  list(organizationId: string, manager: EntityManager = this.db.manager): Promise<Rubric[]> {
    return manager.find(Rubric, { where: { organizationId }, order: { name: 'ASC', version: 'DESC' } });
  }

  /** The rubric analytics use when none is named: the default one, else the newest version of any. */
  async resolveDefault(organizationId: string): Promise<Rubric | null> {
    const rubrics = await this.list(organizationId);
    return (
      rubrics.find((r) => r.isDefault) ??
      rubrics.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0] ??
      null
    );
  }

  async find(organizationId: string, name: string, version: number): Promise<Rubric | null> {
    return this.db.manager.findOne(Rubric, { where: { organizationId, name, version } });
  }

  /**
   * Creates or replaces one rubric version. Replacing keeps scores valid only if the scale and criteria still fit
   * them, so a version that already has scores may only be changed in its labels and descriptions.
   */
  async put(organizationId: string, def: RubricDefinition): Promise<Rubric> {
    return this.db.transaction(async (tx) => {
      if (def.isDefault) await tx.update(Rubric, { organizationId, isDefault: true }, { isDefault: false });
      const existing = await tx.findOne(Rubric, {
        where: { organizationId, name: def.name, version: def.version },
      });
      const values = {
        organizationId,
        name: def.name,
        version: def.version,
        scaleMin: def.scaleMin,
        scaleMax: def.scaleMax,
        criteria: def.criteria,
        isDefault: def.isDefault || (existing?.isDefault ?? false),
      };
      if (existing) {
        const [scored] = (await tx.query(
          `SELECT count(*)::int AS n FROM interview_scores
           WHERE organization_id = $1 AND rubric_name = $2 AND rubric_version = $3
             AND (score < $4 OR score > $5 OR NOT (criterion = ANY($6::text[])))`,
          [organizationId, def.name, def.version, def.scaleMin, def.scaleMax, def.criteria.map((c) => c.key)],
        )) as { n: number }[];
        if (scored.n > 0) {
          throw new RubricConflictError(
            `${scored.n} stored scores of ${def.name} v${def.version} fall outside the new scale or criteria; publish a new version instead`,
          );
        }
        await tx.update(Rubric, existing.id, values);
        return { ...existing, ...values };
      }
      return tx.save(tx.create(Rubric, values));
    });
  }
}

export class RubricConflictError extends Error {}
