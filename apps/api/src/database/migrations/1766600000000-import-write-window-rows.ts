import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The size of an import's write windows, fixed when its writing begins. A resumed run (another worker, a restart
 * with a different IMPORT_BATCH_ROWS) cuts the same windows, so the windows marked done in write_done mean the same
 * rows. Null for runs that began writing before this column: they use the worker's IMPORT_BATCH_ROWS, as before.
 */
export class ImportWriteWindowRows1766600000000 implements MigrationInterface {
  name = 'ImportWriteWindowRows1766600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE import_runs ADD COLUMN write_window_rows integer CHECK (write_window_rows > 0)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE import_runs DROP COLUMN write_window_rows`);
  }
}
