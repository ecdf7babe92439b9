import type { MigrationInterface, QueryRunner } from 'typeorm';
import { organizationPolicySql } from '../tenancy';

/**
 * Saved cohorts (named analytics filters) and exports: an export's file lives in export_chunks, in the database
 * like the uploads, so every API and worker process can serve it. A file is written in one transaction with its
 * export's completion: an export is completed with its whole file or has no file at all.
 */
export class CohortsAndExports1765700000000 implements MigrationInterface {
  name = 'CohortsAndExports1765700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE cohorts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        name text NOT NULL,
        filters jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_by_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        created_by_api_key_id uuid REFERENCES api_keys(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (organization_id, name)
      );
      ${organizationPolicySql('cohorts')}

      CREATE TABLE exports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        report text NOT NULL,
        format text NOT NULL CHECK (format IN ('csv', 'xlsx')),
        filters jsonb NOT NULL DEFAULT '{}'::jsonb,
        cohort_id uuid REFERENCES cohorts(id) ON DELETE SET NULL,
        include_demographics boolean NOT NULL DEFAULT false,
        -- What deduplicates a submission: report, format, filters, demographics and the data version asked at.
        request_key text NOT NULL,
        -- The judgement day of success and retention the rows are computed for (start of a UTC day).
        as_of timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'completed', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        rows_written integer NOT NULL DEFAULT 0,
        rows_total integer,
        bytes bigint,
        data_version bigint,
        sha256 text,
        error text,
        file_name text,
        created_by_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        created_by_api_key_id uuid REFERENCES api_keys(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        completed_at timestamptz,
        expires_at timestamptz
      );
      CREATE INDEX exports_org_created_idx ON exports (organization_id, created_at DESC);
      CREATE INDEX exports_request_idx ON exports (organization_id, request_key);
      CREATE INDEX exports_expiry_idx ON exports (expires_at) WHERE expires_at IS NOT NULL;
      ${organizationPolicySql('exports')}

      CREATE TABLE export_chunks (
        export_id uuid NOT NULL REFERENCES exports(id) ON DELETE CASCADE,
        seq integer NOT NULL,
        data bytea NOT NULL,
        PRIMARY KEY (export_id, seq)
      );
      ALTER TABLE export_chunks ENABLE ROW LEVEL SECURITY;
      CREATE POLICY organization_isolation ON export_chunks
        USING (EXISTS (SELECT 1 FROM exports e WHERE e.id = export_id))
        WITH CHECK (EXISTS (SELECT 1 FROM exports e WHERE e.id = export_id));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE export_chunks; DROP TABLE exports; DROP TABLE cohorts;`);
  }
}
