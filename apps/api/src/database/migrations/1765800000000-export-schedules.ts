import type { MigrationInterface, QueryRunner } from 'typeorm';
import { organizationPolicySql } from '../tenancy';

/**
 * Scheduled exports: a schedule names an export request and a frequency; each run is an export row that points back
 * to its schedule and the time it was due, unique together, so a run retried or picked up by a second worker never
 * writes two exports. Exports also carry the outcome of the validity and interviewers reports.
 */
export class ExportSchedules1765800000000 implements MigrationInterface {
  name = 'ExportSchedules1765800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE export_schedules (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        name text NOT NULL,
        report text NOT NULL,
        format text NOT NULL CHECK (format IN ('csv', 'xlsx')),
        filters jsonb NOT NULL DEFAULT '{}'::jsonb,
        cohort_id uuid REFERENCES cohorts(id) ON DELETE SET NULL,
        include_demographics boolean NOT NULL DEFAULT false,
        outcome text,
        frequency text NOT NULL CHECK (frequency IN ('daily', 'weekly', 'monthly')),
        created_by_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        created_by_api_key_id uuid REFERENCES api_keys(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (organization_id, name)
      );
      ${organizationPolicySql('export_schedules')}

      ALTER TABLE exports ADD COLUMN outcome text;
      ALTER TABLE exports ADD COLUMN schedule_id uuid REFERENCES export_schedules(id) ON DELETE SET NULL;
      ALTER TABLE exports ADD COLUMN scheduled_for timestamptz;
      CREATE UNIQUE INDEX exports_schedule_run_idx ON exports (schedule_id, scheduled_for)
        WHERE schedule_id IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX exports_schedule_run_idx;
      ALTER TABLE exports DROP COLUMN scheduled_for, DROP COLUMN schedule_id, DROP COLUMN outcome;
      DROP TABLE export_schedules;
    `);
  }
}
