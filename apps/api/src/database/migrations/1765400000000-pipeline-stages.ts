import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The organization's ordered pipeline stages for the funnel (null: follow the order of the stages seen in the data).
 * A column of organizations, which already has its row-level-security policy.
 */
export class PipelineStages1765400000000 implements MigrationInterface {
  name = 'PipelineStages1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE organizations ADD COLUMN pipeline_stages text[]`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE organizations DROP COLUMN pipeline_stages`);
  }
}
