import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The organization's small-cell threshold k for the fairness views (PRODUCT.md "Fairness definitions": an aggregate
 * cell with fewer than k people is suppressed; default 5). A column of organizations, which already has its
 * row-level-security policy.
 */
export class FairnessSettings1765600000000 implements MigrationInterface {
  name = 'FairnessSettings1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE organizations ADD COLUMN small_cell_k integer NOT NULL DEFAULT 5
         CHECK (small_cell_k >= 1 AND small_cell_k <= 1000)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE organizations DROP COLUMN small_cell_k`);
  }
}
