import { Injectable, UnprocessableEntityException } from '@nestjs/common';
import {
  normalizeAtsName,
  type AtsMapping,
  type AtsMappingEntry,
  type AtsMappingType,
  type AtsVendor,
} from '@hiresignal/shared';
import { z } from 'zod';
import { DataSource } from 'typeorm';
import type { Principal } from '../identity/access.decorators';
import { AuditService } from '../audit/audit.service';

/** The entries of one mapping list: an ATS name and the stage or criterion it maps to (null: not mapped). */
const mappingEntries = z
  .array(
    z.strictObject({
      atsName: z.string().trim().min(1, 'must not be empty').max(300),
      target: z.string().trim().min(1, 'must not be empty').max(200).nullable(),
    }),
  )
  .max(1000)
  .default([]);

export const atsMappingUpdateSchema = z.strictObject({ stages: mappingEntries, criteria: mappingEntries });

interface MappingRow {
  type: AtsMappingType;
  ats_name: string;
  target: string | null;
  is_custom: boolean;
  last_seen_at: Date | null;
}

/** How one ATS name resolves: to a target, to "ignore" (null), or unmatched (the rows that use it are refused). */
export interface Resolution {
  target: string | null;
  origin: AtsMappingEntry['origin'];
}

/**
 * Resolves ATS stage and scorecard attribute names for one import: an admin's custom entry first, else the
 * default match by normalized name (a known stage or a rubric criterion key or label). Stages never go unmatched:
 * an unknown stage becomes its normalized name. Remembers every name seen, for the mapping screen.
 */
export class AtsResolver {
  readonly seen = new Map<string, { type: AtsMappingType; name: string; resolution: Resolution }>();

  constructor(
    private readonly custom: Map<string, string | null>,
    private readonly stages: string[],
    private readonly criteria: { key: string; label: string }[],
  ) {}

  resolve(type: AtsMappingType, name: string): Resolution {
    const id = `${type}\u0000${name}`;
    const known = this.seen.get(id);
    if (known) return known.resolution;
    const resolution = this.custom.has(id)
      ? { target: this.custom.get(id) ?? null, origin: 'custom' as const }
      : defaultResolution(type, name, this.stages, this.criteria);
    this.seen.set(id, { type, name, resolution });
    return resolution;
  }
}

export function defaultResolution(
  type: AtsMappingType,
  name: string,
  stages: string[],
  criteria: { key: string; label: string }[],
): Resolution {
  const n = normalizeAtsName(name);
  if (type === 'stage') {
    const match = stages.find((s) => normalizeAtsName(s) === n);
    return { target: match ?? n, origin: 'default' };
  }
  const match = criteria.find((c) => c.key === n || normalizeAtsName(c.label) === n);
  return match ? { target: match.key, origin: 'default' } : { target: null, origin: 'unmatched' };
}

@Injectable()
export class AtsMappingService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async resolver(organizationId: string, vendor: AtsVendor): Promise<AtsResolver> {
    const [rows, stages, criteria] = await Promise.all([
      this.rows(organizationId, vendor),
      this.availableStages(organizationId),
      this.availableCriteria(organizationId),
    ]);
    const custom = new Map(
      rows.filter((r) => r.is_custom).map((r) => [`${r.type}\u0000${r.ats_name}`, r.target] as const),
    );
    return new AtsResolver(custom, stages, criteria);
  }

  /** Records the names an import met, so the mapping screen lists them with what they resolved to. */
  async remember(organizationId: string, vendor: AtsVendor, resolver: AtsResolver): Promise<void> {
    const seen = [...resolver.seen.values()];
    if (seen.length === 0) return;
    await this.db.query(
      `INSERT INTO ats_mappings (organization_id, vendor, type, ats_name, target, is_custom, last_seen_at)
       SELECT $1, $2, t, n, g, false, now() FROM unnest($3::text[], $4::text[], $5::text[]) AS u(t, n, g)
       ON CONFLICT (organization_id, vendor, type, ats_name) DO UPDATE
         SET last_seen_at = now(),
             target = CASE WHEN ats_mappings.is_custom THEN ats_mappings.target ELSE EXCLUDED.target END`,
      [
        organizationId,
        vendor,
        seen.map((s) => s.type),
        seen.map((s) => s.name),
        seen.map((s) => s.resolution.target),
      ],
    );
  }

  async get(organizationId: string, vendor: AtsVendor): Promise<AtsMapping> {
    const [rows, stages, criteria] = await Promise.all([
      this.rows(organizationId, vendor),
      this.availableStages(organizationId),
      this.availableCriteria(organizationId),
    ]);
    const entry = (r: MappingRow): AtsMappingEntry => {
      const resolution = r.is_custom
        ? { target: r.target, origin: 'custom' as const }
        : defaultResolution(r.type, r.ats_name, stages, criteria);
      return {
        atsName: r.ats_name,
        target: resolution.target,
        origin: resolution.origin,
        lastSeenAt: r.last_seen_at ? new Date(r.last_seen_at).toISOString() : null,
      };
    };
    return {
      vendor,
      stages: rows.filter((r) => r.type === 'stage').map(entry),
      criteria: rows.filter((r) => r.type === 'criterion').map(entry),
      availableStages: stages,
      availableCriteria: [...new Set(criteria.map((c) => c.key))],
    };
  }

  async put(principal: Principal, vendor: AtsVendor, body: unknown): Promise<AtsMapping> {
    const parsed = atsMappingUpdateSchema.safeParse(body);
    if (!parsed.success) {
      throw new UnprocessableEntityException({
        statusCode: 422,
        error: 'Unprocessable Entity',
        message: 'The mapping is invalid',
        errors: parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
      });
    }
    const organizationId = principal.organizationId;
    const keys = new Set((await this.availableCriteria(organizationId)).map((c) => c.key));
    const problems = parsed.data.criteria.flatMap((c, i) =>
      c.target !== null && !keys.has(c.target)
        ? [
            {
              field: `criteria.${i}.target`,
              message: `"${c.target}" is not a criterion of this organization's rubrics (${[...keys].join(', ') || 'none'})`,
            },
          ]
        : [],
    );
    if (problems.length > 0) {
      throw new UnprocessableEntityException({
        statusCode: 422,
        error: 'Unprocessable Entity',
        message: 'The mapping names unknown criteria',
        errors: problems,
      });
    }
    const entries = [
      ...parsed.data.stages.map((s) => ({ type: 'stage' as const, ...s })),
      ...parsed.data.criteria.map((c) => ({ type: 'criterion' as const, ...c })),
    ];
    await this.db.transaction(async (tx) => {
      // Names left out fall back to their default; names never seen in an import disappear.
      await tx.query(
        `DELETE FROM ats_mappings WHERE organization_id = $1 AND vendor = $2 AND is_custom AND last_seen_at IS NULL`,
        [organizationId, vendor],
      );
      await tx.query(
        `UPDATE ats_mappings SET is_custom = false, updated_at = now() WHERE organization_id = $1 AND vendor = $2 AND is_custom`,
        [organizationId, vendor],
      );
      if (entries.length > 0) {
        await tx.query(
          `INSERT INTO ats_mappings (organization_id, vendor, type, ats_name, target, is_custom)
           SELECT $1, $2, t, n, g, true FROM unnest($3::text[], $4::text[], $5::text[]) AS u(t, n, g)
           ON CONFLICT (organization_id, vendor, type, ats_name) DO UPDATE
             SET target = EXCLUDED.target, is_custom = true, updated_at = now()`,
          [
            organizationId,
            vendor,
            entries.map((e) => e.type),
            entries.map((e) => e.atsName),
            entries.map((e) => e.target),
          ],
        );
      }
      await this.audit.record(
        principal,
        'imports.mapping_updated',
        { type: 'ats_mapping', id: vendor },
        { stages: parsed.data.stages.length, criteria: parsed.data.criteria.length },
        tx,
      );
    });
    return this.get(organizationId, vendor);
  }

  private rows(organizationId: string, vendor: AtsVendor): Promise<MappingRow[]> {
    return this.db.query(
      `SELECT type, ats_name, target, is_custom, last_seen_at FROM ats_mappings
       WHERE organization_id = $1 AND vendor = $2 ORDER BY type, ats_name`,
      [organizationId, vendor],
    ) as Promise<MappingRow[]>;
  }

  /** Stages the organization already uses (stage events and interviews). */
  private async availableStages(organizationId: string): Promise<string[]> {
    const rows = (await this.db.query(
      `SELECT stage FROM stage_events WHERE organization_id = $1
       UNION SELECT stage FROM interviews WHERE organization_id = $1 AND stage IS NOT NULL
       ORDER BY 1 LIMIT 1000`,
      [organizationId],
    )) as { stage: string }[];
    return rows.map((r) => r.stage);
  }

  /** Criteria of the organization's rubrics, the default rubric's first. */
  private async availableCriteria(organizationId: string): Promise<{ key: string; label: string }[]> {
    const rows = (await this.db.query(
      `SELECT criteria FROM rubrics WHERE organization_id = $1 ORDER BY is_default DESC, version DESC`,
      [organizationId],
    )) as { criteria: { key: string; label: string }[] }[];
    return rows.flatMap((r) => r.criteria);
  }
}
