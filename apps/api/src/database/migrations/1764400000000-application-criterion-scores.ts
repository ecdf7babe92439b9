import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * application_criterion_scores: per (organization, rubric, application, criterion) the sum and count of the
 * interview scores, so the candidate criterion score (their mean) is read from about a third as many rows as
 * interview_scores holds, already grouped by application. The validity report reads it instead of averaging the
 * score table.
 *
 * It is maintained by statement-level AFTER triggers with transition tables on interview_scores, so every write
 * path (JSON ingestion, file imports, COPY, hand-written SQL) keeps it consistent without knowing it exists. A
 * trigger with transition tables may name only one event, hence one trigger per event. INSERT ... ON CONFLICT DO
 * UPDATE fires the INSERT trigger with the inserted rows and the UPDATE trigger with the updated ones. Each trigger
 * folds the changed rows into per-key deltas and applies them with one INSERT ... ON CONFLICT DO UPDATE (which
 * takes a row lock, so concurrent writers add up correctly; rows are written in key order so they lock in the same
 * order), then removes the keys whose count fell to zero.
 *
 * Scores are double precision and summed as such: for the scores a rubric scale produces (whole or half points)
 * every partial sum is exact, so sum / count equals avg(score) over the rows to the last bit.
 */
export class ApplicationCriterionScores1764400000000 implements MigrationInterface {
  name = 'ApplicationCriterionScores1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE application_criterion_scores (
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        rubric_name text NOT NULL,
        rubric_version integer NOT NULL,
        application_external_id text NOT NULL,
        criterion text NOT NULL,
        score_sum double precision NOT NULL,
        score_count integer NOT NULL,
        PRIMARY KEY (organization_id, rubric_name, rubric_version, application_external_id, criterion)
      );

      CREATE FUNCTION application_criterion_scores_apply() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO application_criterion_scores AS t
            (organization_id, rubric_name, rubric_version, application_external_id, criterion, score_sum, score_count)
          SELECT organization_id, rubric_name, rubric_version, application_external_id, criterion, sum(score), count(*)
          FROM new_rows
          GROUP BY organization_id, rubric_name, rubric_version, application_external_id, criterion
          ORDER BY organization_id, rubric_name, rubric_version, application_external_id, criterion
          ON CONFLICT (organization_id, rubric_name, rubric_version, application_external_id, criterion)
          DO UPDATE SET score_sum = t.score_sum + excluded.score_sum, score_count = t.score_count + excluded.score_count;
          RETURN NULL;
        END IF;

        IF TG_OP = 'UPDATE' THEN
          INSERT INTO application_criterion_scores AS t
            (organization_id, rubric_name, rubric_version, application_external_id, criterion, score_sum, score_count)
          SELECT organization_id, rubric_name, rubric_version, application_external_id, criterion, sum(s), sum(c)
          FROM (
            SELECT organization_id, rubric_name, rubric_version, application_external_id, criterion, score AS s, 1 AS c
            FROM new_rows
            UNION ALL
            SELECT organization_id, rubric_name, rubric_version, application_external_id, criterion, -score, -1
            FROM old_rows
          ) d
          GROUP BY organization_id, rubric_name, rubric_version, application_external_id, criterion
          HAVING sum(c) <> 0 OR sum(s) <> 0
          ORDER BY organization_id, rubric_name, rubric_version, application_external_id, criterion
          ON CONFLICT (organization_id, rubric_name, rubric_version, application_external_id, criterion)
          DO UPDATE SET score_sum = t.score_sum + excluded.score_sum, score_count = t.score_count + excluded.score_count;
        ELSE
          -- DELETE: only keys that exist can lose rows, so a plain UPDATE suffices.
          UPDATE application_criterion_scores t
          SET score_sum = t.score_sum - d.s, score_count = t.score_count - d.c
          FROM (
            SELECT organization_id, rubric_name, rubric_version, application_external_id, criterion,
              sum(score) AS s, count(*)::int AS c
            FROM old_rows
            GROUP BY organization_id, rubric_name, rubric_version, application_external_id, criterion
          ) d
          WHERE t.organization_id = d.organization_id AND t.rubric_name = d.rubric_name
            AND t.rubric_version = d.rubric_version AND t.application_external_id = d.application_external_id
            AND t.criterion = d.criterion;
        END IF;

        DELETE FROM application_criterion_scores t
        USING (SELECT DISTINCT organization_id, rubric_name, rubric_version, application_external_id, criterion
               FROM old_rows) o
        WHERE t.organization_id = o.organization_id AND t.rubric_name = o.rubric_name
          AND t.rubric_version = o.rubric_version AND t.application_external_id = o.application_external_id
          AND t.criterion = o.criterion AND t.score_count <= 0;
        RETURN NULL;
      END
      $fn$;

      CREATE TRIGGER interview_scores_summary_insert AFTER INSERT ON interview_scores
        REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION application_criterion_scores_apply();
      CREATE TRIGGER interview_scores_summary_update AFTER UPDATE ON interview_scores
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION application_criterion_scores_apply();
      CREATE TRIGGER interview_scores_summary_delete AFTER DELETE ON interview_scores
        REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION application_criterion_scores_apply();

      CREATE FUNCTION application_criterion_scores_truncate() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        TRUNCATE application_criterion_scores;
        RETURN NULL;
      END
      $fn$;
      CREATE TRIGGER interview_scores_summary_truncate AFTER TRUNCATE ON interview_scores
        FOR EACH STATEMENT EXECUTE FUNCTION application_criterion_scores_truncate();

      INSERT INTO application_criterion_scores
        (organization_id, rubric_name, rubric_version, application_external_id, criterion, score_sum, score_count)
      SELECT organization_id, rubric_name, rubric_version, application_external_id, criterion, sum(score), count(*)
      FROM interview_scores
      GROUP BY organization_id, rubric_name, rubric_version, application_external_id, criterion;
      ANALYZE application_criterion_scores;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER interview_scores_summary_truncate ON interview_scores;
      DROP TRIGGER interview_scores_summary_delete ON interview_scores;
      DROP TRIGGER interview_scores_summary_update ON interview_scores;
      DROP TRIGGER interview_scores_summary_insert ON interview_scores;
      DROP FUNCTION application_criterion_scores_truncate();
      DROP FUNCTION application_criterion_scores_apply();
      DROP TABLE application_criterion_scores;
    `);
  }
}
