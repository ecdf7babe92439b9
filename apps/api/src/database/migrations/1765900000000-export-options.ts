import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The fairness reports' options (grouping, criterion) of an export or a schedule. */
export class ExportOptions1765900000000 implements MigrationInterface {
  name = 'ExportOptions1765900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE exports ADD COLUMN options jsonb NOT NULL DEFAULT '{}'::jsonb;
      ALTER TABLE export_schedules ADD COLUMN options jsonb NOT NULL DEFAULT '{}'::jsonb;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE exports DROP COLUMN options; ALTER TABLE export_schedules DROP COLUMN options;`,
    );
  }
}
