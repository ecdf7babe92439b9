import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * import_runs.last_activity_at: when a run last showed progress (a chunk of its upload received, its commit as
 * queued, a recovery). The import sweeper (import-recovery.service.ts) fails uploads that stopped receiving and
 * re-enqueues committed runs whose job never reached the queue, once this is older than IMPORT_STALE_AFTER_SECONDS.
 * The partial index covers exactly the runs the sweeper looks at.
 */
export class ImportRunActivity1764500000000 implements MigrationInterface {
  name = 'ImportRunActivity1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE import_runs ADD COLUMN last_activity_at timestamptz NOT NULL DEFAULT now();
      CREATE INDEX import_runs_waiting_idx ON import_runs (last_activity_at)
        WHERE status = 'queued' AND phase IN ('receiving', 'queued');
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX import_runs_waiting_idx;
      ALTER TABLE import_runs DROP COLUMN last_activity_at;
    `);
  }
}
