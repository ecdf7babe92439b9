import { Injectable } from '@nestjs/common';
import type { RubricDefinition } from '@hiresignal/shared';
import { DataSource, type EntityManager } from 'typeorm';
import { Rubric } from './hiring-records.entities';

/** A report named a rubric (or version) the organization does not have. */
export class RubricNotFoundError extends Error {}

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

  /**
   * The rubric a report reads: the named one (its newest version unless a version is named), else the default.
   * Null when the organization has no rubric and none is named; RubricNotFoundError when the named one is missing.
   */
  async resolveFor(
    organizationId: string,
    filters: { rubric?: string; rubricVersion?: number },
  ): Promise<Rubric | null> {
    if (filters.rubric === undefined && filters.rubricVersion === undefined) {
      return this.resolveDefault(organizationId);
    }
    const all = await this.list(organizationId);
    const name = filters.rubric ?? (await this.resolveDefault(organizationId))?.name;
    const versions = all.filter((r) => r.name === name);
    const rubric =
      filters.rubricVersion === undefined
        ? versions[0]
        : versions.find((r) => r.version === filters.rubricVersion);
    if (!rubric) {
      throw new RubricNotFoundError(
        `No rubric ${name ?? '(none defined)'}${filters.rubricVersion !== undefined ? ` version ${filters.rubricVersion}` : ''}`,
      );
    }
    return rubric;
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
