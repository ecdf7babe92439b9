import type { MigrationInterface, QueryRunner } from 'typeorm';

/** An interviewer's display name (interview_scores' optional interviewer_name); the external id stays the key. */
export class InterviewerNames1766100000000 implements MigrationInterface {
  name = 'InterviewerNames1766100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE interviewers ADD COLUMN name text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE interviewers DROP COLUMN name`);
  }
}
