import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * import_runs.starts: how many times a worker has started the run (retries and recoveries after a crash alike). A
 * poison file that kills or stalls its worker each time ends failed after IMPORT_MAX_STARTS instead of looping.
 * import_runs.job_id: the queue job that carries the run (built by importJobId in import-runs.repository.ts), so
 * the queue driver can be asked whether it will still run; a run whose job is gone never blocks a new upload.
 */
export class ImportRunStarts1765300000000 implements MigrationInterface {
  name = 'ImportRunStarts1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE import_runs ADD COLUMN starts integer NOT NULL DEFAULT 0;
      ALTER TABLE import_runs ADD COLUMN job_id text;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE import_runs DROP COLUMN job_id;
      ALTER TABLE import_runs DROP COLUMN starts;
    `);
  }
}
