import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * File imports (CSV and ATS exports). The upload is staged in PostgreSQL, not on a local disk, so any worker
 * process on any machine can run the import: raw bytes in import_chunks, then validated canonical records in
 * import_rows, row errors in import_errors. import_runs keeps the phase and the write cursor so a retried or
 * recovered job resumes after the last committed batch. ats_mappings holds each organization's mapping of ATS
 * stage and scorecard attribute names.
 */
export class FileImports1764300000000 implements MigrationInterface {
  name = 'FileImports1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE import_runs
        ADD COLUMN filename text,
        ADD COLUMN file_size bigint,
        ADD COLUMN on_error text NOT NULL DEFAULT 'reject' CHECK (on_error IN ('reject', 'skip')),
        ADD COLUMN phase text NOT NULL DEFAULT 'queued'
          CHECK (phase IN ('receiving', 'queued', 'validating', 'writing', 'done')),
        ADD COLUMN bytes_processed bigint NOT NULL DEFAULT 0,
        ADD COLUMN write_kind_index integer NOT NULL DEFAULT 0,
        ADD COLUMN write_cursor bigint NOT NULL DEFAULT 0,
        ADD COLUMN error_count integer NOT NULL DEFAULT 0,
        ADD COLUMN by_kind jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN worker text;

      CREATE TABLE import_chunks (
        import_id uuid NOT NULL REFERENCES import_runs(id) ON DELETE CASCADE,
        seq integer NOT NULL,
        data bytea NOT NULL,
        PRIMARY KEY (import_id, seq)
      );

      -- A cache derived from import_chunks: unlogged (no WAL, several times cheaper to fill) because the job checks it
      -- is complete before writing from it and rebuilds it from the chunks if a database crash emptied it.
      CREATE UNLOGGED TABLE import_rows (
        import_id uuid NOT NULL,
        record_kind text NOT NULL,
        seq bigint NOT NULL,
        row_no integer NOT NULL,
        line integer,
        key text NOT NULL,
        data jsonb NOT NULL,
        PRIMARY KEY (import_id, record_kind, seq)
      );

      CREATE TABLE import_errors (
        id bigserial PRIMARY KEY,
        import_id uuid NOT NULL REFERENCES import_runs(id) ON DELETE CASCADE,
        row_no integer NOT NULL,
        line integer,
        column_name text,
        field text NOT NULL,
        value text,
        message text NOT NULL,
        record_id text
      );
      CREATE INDEX import_errors_import_idx ON import_errors (import_id, row_no, id);

      CREATE TABLE ats_mappings (
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        vendor text NOT NULL CHECK (vendor IN ('greenhouse', 'lever')),
        type text NOT NULL CHECK (type IN ('stage', 'criterion')),
        ats_name text NOT NULL,
        target text,
        is_custom boolean NOT NULL DEFAULT false,
        last_seen_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organization_id, vendor, type, ats_name)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE ats_mappings, import_errors, import_rows, import_chunks;
      ALTER TABLE import_runs
        DROP COLUMN filename, DROP COLUMN file_size, DROP COLUMN on_error, DROP COLUMN phase,
        DROP COLUMN bytes_processed, DROP COLUMN write_kind_index, DROP COLUMN write_cursor,
        DROP COLUMN error_count, DROP COLUMN by_kind, DROP COLUMN worker;
    `);
  }
}
