import { Injectable } from '@nestjs/common';
import {
  APPLIED_STEP,
  type OrganizationSettings,
  type OrganizationSettingsUpdate,
  type PipelineStagesSetting,
} from '@hiresignal/shared';
import { DataSource } from 'typeorm';
import { FUNNEL_REFRESH_SQL, SEEN_STAGES_SQL, seenStagesFromRows } from './pipeline-stages';

export interface SettingsSnapshot {
  settings: OrganizationSettings;
  /** organizations.data_version, bumped by every ingestion that changes data. */
  dataVersion: string;
  /** The organization's ordered pipeline stages; null: the funnel follows the stages seen in the data. */
  pipelineStages: string[] | null;
}

/**
 * The organization's analytics settings (columns of organizations). Analytics read them with the data version in
 * one query and put both in their cache key, so a change of settings is seen by the next request.
 */
@Injectable()
export class SettingsService {
  constructor(private readonly db: DataSource) {}

  async snapshot(organizationId: string): Promise<SettingsSnapshot> {
    const [row] = (await this.db.query(
      `SELECT criterion_reliability, success_threshold, minimum_sample, small_cell_k,
         data_version::text AS data_version, pipeline_stages
       FROM organizations WHERE id = $1`,
      [organizationId],
    )) as {
      criterion_reliability: number;
      success_threshold: number;
      minimum_sample: number;
      small_cell_k: number;
      data_version: string;
      pipeline_stages: string[] | null;
    }[];
    if (!row) throw new Error(`organization ${organizationId} not found`);
    return {
      settings: {
        criterionReliability: Number(row.criterion_reliability),
        successThreshold: Number(row.success_threshold),
        minimumSample: Number(row.minimum_sample),
        smallCellK: Number(row.small_cell_k),
      },
      dataVersion: row.data_version,
      pipelineStages: row.pipeline_stages ?? null,
    };
  }

  async update(organizationId: string, change: OrganizationSettingsUpdate): Promise<OrganizationSettings> {
    await this.db.query(
      `UPDATE organizations SET
         criterion_reliability = COALESCE($2, criterion_reliability),
         success_threshold = COALESCE($3, success_threshold),
         minimum_sample = COALESCE($4, minimum_sample),
         small_cell_k = COALESCE($5, small_cell_k)
       WHERE id = $1`,
      [
        organizationId,
        change.criterionReliability ?? null,
        change.successThreshold ?? null,
        change.minimumSample ?? null,
        change.smallCellK ?? null,
      ],
    );
    return (await this.snapshot(organizationId)).settings;
  }

  /** The funnel's stage list: the organization's own, or the stages seen in the data in their usual order. */
  async pipelineStages(organizationId: string): Promise<PipelineStagesSetting> {
    const { pipelineStages: configured } = await this.snapshot(organizationId);
    const seen = seenStagesFromRows(
      (await this.db.query(SEEN_STAGES_SQL, [organizationId])) as Record<string, unknown>[],
    );
    const stages = configured ?? seen.map((s) => s.stage).filter((s) => s !== APPLIED_STEP);
    const mapped = new Set(stages);
    return {
      stages,
      source: configured ? 'settings' : 'data',
      configured,
      seen: seen.map((s) => ({ ...s, mapped: mapped.has(s.stage) })),
    };
  }

  async setPipelineStages(organizationId: string, stages: string[] | null): Promise<PipelineStagesSetting> {
    await this.db.query(`UPDATE organizations SET pipeline_stages = $2::text[] WHERE id = $1`, [
      organizationId,
      stages,
    ]);
    // The funnel's days in stage for the new list now (a list that follows the data is refreshed by the report).
    if (stages) await this.db.query(FUNNEL_REFRESH_SQL, [organizationId, stages]);
    return this.pipelineStages(organizationId);
  }
}
