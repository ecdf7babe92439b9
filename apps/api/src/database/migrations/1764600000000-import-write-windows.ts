import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The write phase of a file import runs in parallel lanes over fixed windows of staging seq numbers, which commit
 * out of order: instead of one cursor, import_runs.write_done lists the windows of the current kind already
 * committed (a resumed job writes the others).
 */
export class ImportWriteWindows1764600000000 implements MigrationInterface {
  name = 'ImportWriteWindows1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE import_runs ADD COLUMN write_done integer[] NOT NULL DEFAULT '{}';
      ALTER TABLE import_runs DROP COLUMN write_cursor;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE import_runs ADD COLUMN write_cursor bigint NOT NULL DEFAULT 0;
      ALTER TABLE import_runs DROP COLUMN write_done;
    `);
  }
}
