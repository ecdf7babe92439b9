import { Injectable } from '@nestjs/common';
import type { OrganizationSettings, OrganizationSettingsUpdate } from '@hiresignal/shared';
import { DataSource } from 'typeorm';

export interface SettingsSnapshot {
  settings: OrganizationSettings;
  /** organizations.data_version, bumped by every ingestion that changes data. */
  dataVersion: string;
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
      `SELECT criterion_reliability, success_threshold, minimum_sample, data_version::text AS data_version
       FROM organizations WHERE id = $1`,
      [organizationId],
    )) as {
      criterion_reliability: number;
      success_threshold: number;
      minimum_sample: number;
      data_version: string;
    }[];
    if (!row) throw new Error(`organization ${organizationId} not found`);
    return {
      settings: {
        criterionReliability: Number(row.criterion_reliability),
        successThreshold: Number(row.success_threshold),
        minimumSample: Number(row.minimum_sample),
      },
      dataVersion: row.data_version,
    };
  }

  async update(organizationId: string, change: OrganizationSettingsUpdate): Promise<OrganizationSettings> {
    await this.db.query(
      `UPDATE organizations SET
         criterion_reliability = COALESCE($2, criterion_reliability),
         success_threshold = COALESCE($3, success_threshold),
         minimum_sample = COALESCE($4, minimum_sample)
       WHERE id = $1`,
      [
        organizationId,
        change.criterionReliability ?? null,
        change.successThreshold ?? null,
        change.minimumSample ?? null,
      ],
    );
    return (await this.snapshot(organizationId)).settings;
  }
}
