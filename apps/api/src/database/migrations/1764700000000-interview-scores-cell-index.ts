import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The calibration reads (interviewers, reliability) group the scores by (criterion, application, interviewer). The
 * criterion index gains interviewer_external_id as its last key column, so an index-only scan delivers the scores in
 * that order: a streaming GroupAggregate and windows partitioned by (criterion, application) without a sort of
 * every score row. It replaces interview_scores_criterion_idx (whose key is a prefix of the new one, so the reads
 * by organization, rubric and criterion keep an index): still one index, so writes cost about the same.
 *
 * The ndistinct statistics tell the planner that (criterion, application, interviewer) is nearly unique; without
 * them it estimates about a tenth as many groups, prefers a hash aggregate plus a sort (which spill) to the ordered
 * index-only scan.
 */
export class InterviewScoresCellIndex1764700000000 implements MigrationInterface {
  name = 'InterviewScoresCellIndex1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX interview_scores_cell_idx ON interview_scores
        (organization_id, rubric_name, rubric_version, criterion, application_external_id, interviewer_external_id)
        INCLUDE (score);
      DROP INDEX interview_scores_criterion_idx;
      CREATE STATISTICS interview_scores_cell_stats (ndistinct)
        ON criterion, application_external_id, interviewer_external_id FROM interview_scores;
      ANALYZE interview_scores;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP STATISTICS interview_scores_cell_stats;
      CREATE INDEX interview_scores_criterion_idx
        ON interview_scores (organization_id, rubric_name, rubric_version, criterion, application_external_id)
        INCLUDE (score);
      DROP INDEX interview_scores_cell_idx;
    `);
  }
}
