import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two summaries of interview_scores for the calibration reads, kept by one set of triggers.
 *
 * interview_score_units: per (organization, rubric, application, criterion), the reliability unit, one row with its
 * panel: `interviewers` (sorted) and in the same order each interviewer's `sums` and `counts` of scores and `means`
 * (the interviewer's rating of the unit: repeated scores averaged), plus `mean_total`, the sum of `means`. The
 * reliability units and panels and the leniency against co-panelists are read from these rows instead of grouping
 * every score row by (criterion, application, interviewer) and windowing over the groups.
 *
 * interview_votes: per (organization, rubric, application, interviewer, interview), the interview's score sum and
 * count and how many of its score rows carry each recommendation: the interviewers report's activity counts (the
 * interview's recommendation is the most frequent one) and each interviewer's own score of a hire (sum / count over
 * their interviews) come from these rows instead of the score rows.
 *
 * Maintained by statement-level AFTER triggers with transition tables on interview_scores, like the validity
 * summary: the changed score rows become deltas (new rows add, old rows subtract), applied with one INSERT ... ON
 * CONFLICT DO UPDATE per table through its primary key. A unit that exists has its deltas merged into the row as it
 * stands under the row lock, and votes add up under it, so concurrent writers both land; interviewers whose count
 * falls to zero leave the panel, and rows left empty are deleted by key after the upserts (as in
 * application_score_vectors). No foreign keys, for the same reason as there: the rows leave with their score rows,
 * through the triggers.
 */
/** The delta type and functions as this migration created them (1765000000000 replaces them and restores them on revert). */
export const CALIBRATION_DELTA_FUNCTIONS_1764900000000 = `
      -- One score row's change: +1 and its score when written, -1 and minus its score when removed.
      CREATE TYPE interview_score_delta AS (
        organization_id uuid, rubric_name text, rubric_version integer, criterion text,
        application_external_id text, interviewer_external_id text, interview_external_id text,
        recommendation text, score_sum double precision, score_count integer
      );

      CREATE FUNCTION interview_calibration_add(deltas interview_score_delta[])
      RETURNS void LANGUAGE plpgsql AS $fn$
      DECLARE
        orgs uuid[];
        rubrics text[];
        versions integer[];
        crits text[];
        apps text[];
        ivs text[];
        interviews text[];
      BEGIN
        WITH d AS (
          SELECT u.organization_id, u.rubric_name, u.rubric_version, u.criterion, u.application_external_id,
            u.interviewer_external_id AS iv, sum(u.score_sum) AS s, sum(u.score_count)::int AS n
          FROM unnest(deltas) u
          GROUP BY u.organization_id, u.rubric_name, u.rubric_version, u.criterion, u.application_external_id,
            u.interviewer_external_id
          HAVING sum(u.score_count) <> 0 OR sum(u.score_sum) <> 0
        ),
        written AS (
          INSERT INTO interview_score_units AS t (organization_id, rubric_name, rubric_version, criterion,
            application_external_id, interviewers, sums, counts, means, mean_total)
          SELECT d.organization_id, d.rubric_name, d.rubric_version, d.criterion, d.application_external_id,
            array_agg(d.iv ORDER BY d.iv), array_agg(d.s ORDER BY d.iv), array_agg(d.n ORDER BY d.iv),
            array_agg(d.s / NULLIF(d.n, 0) ORDER BY d.iv), COALESCE(sum(d.s / NULLIF(d.n, 0) ORDER BY d.iv), 0)
          FROM d
          GROUP BY d.organization_id, d.rubric_name, d.rubric_version, d.application_external_id, d.criterion
          ORDER BY d.organization_id, d.rubric_name, d.rubric_version, d.application_external_id, d.criterion
          ON CONFLICT (organization_id, rubric_name, rubric_version, application_external_id, criterion)
          DO UPDATE SET (interviewers, sums, counts, means, mean_total) = (
            SELECT m.criteria, m.sums, m.counts, m.means,
              COALESCE((SELECT sum(x ORDER BY i) FROM unnest(m.means) WITH ORDINALITY AS e(x, i)), 0)
            FROM application_score_vectors_merge(
              t.interviewers, t.sums, t.counts, excluded.interviewers, excluded.sums, excluded.counts) m
          )
          RETURNING t.organization_id, t.rubric_name, t.rubric_version, t.criterion, t.application_external_id,
            cardinality(t.interviewers) = 0 OR NOT (0 < ALL (t.counts)) AS is_bad
        )
        SELECT array_agg(organization_id), array_agg(rubric_name), array_agg(rubric_version), array_agg(criterion),
          array_agg(application_external_id)
        INTO orgs, rubrics, versions, crits, apps
        FROM written WHERE is_bad;
        FOR i IN 1 .. COALESCE(cardinality(orgs), 0) LOOP
          DELETE FROM interview_score_units t
          WHERE t.organization_id = orgs[i] AND t.rubric_name = rubrics[i] AND t.rubric_version = versions[i]
            AND t.criterion = crits[i] AND t.application_external_id = apps[i];
        END LOOP;

        WITH written AS (
          INSERT INTO interview_votes AS t (organization_id, rubric_name, rubric_version, application_external_id,
            interviewer_external_id, interview_external_id, score_sum, score_count, n_strong_no, n_no, n_yes,
            n_strong_yes)
          SELECT u.organization_id, u.rubric_name, u.rubric_version, u.application_external_id,
            u.interviewer_external_id, u.interview_external_id, sum(u.score_sum), sum(u.score_count),
            COALESCE(sum(u.score_count) FILTER (WHERE u.recommendation = 'strong_no'), 0),
            COALESCE(sum(u.score_count) FILTER (WHERE u.recommendation = 'no'), 0),
            COALESCE(sum(u.score_count) FILTER (WHERE u.recommendation = 'yes'), 0),
            COALESCE(sum(u.score_count) FILTER (WHERE u.recommendation = 'strong_yes'), 0)
          FROM unnest(deltas) u
          GROUP BY u.organization_id, u.rubric_name, u.rubric_version, u.application_external_id,
            u.interviewer_external_id, u.interview_external_id
          HAVING sum(u.score_count) <> 0 OR sum(u.score_sum) <> 0
            OR sum(u.score_count) FILTER (WHERE u.recommendation = 'strong_no') <> 0
            OR sum(u.score_count) FILTER (WHERE u.recommendation = 'no') <> 0
            OR sum(u.score_count) FILTER (WHERE u.recommendation = 'yes') <> 0
            OR sum(u.score_count) FILTER (WHERE u.recommendation = 'strong_yes') <> 0
          ORDER BY u.organization_id, u.rubric_name, u.rubric_version, u.application_external_id,
            u.interviewer_external_id, u.interview_external_id
          ON CONFLICT (organization_id, rubric_name, rubric_version, application_external_id, interviewer_external_id,
            interview_external_id)
          DO UPDATE SET score_sum = t.score_sum + excluded.score_sum, score_count = t.score_count + excluded.score_count,
            n_strong_no = t.n_strong_no + excluded.n_strong_no, n_no = t.n_no + excluded.n_no,
            n_yes = t.n_yes + excluded.n_yes, n_strong_yes = t.n_strong_yes + excluded.n_strong_yes
          RETURNING t.organization_id, t.rubric_name, t.rubric_version, t.application_external_id,
            t.interviewer_external_id, t.interview_external_id, t.score_count <= 0 AS is_bad
        )
        SELECT array_agg(organization_id), array_agg(rubric_name), array_agg(rubric_version),
          array_agg(application_external_id), array_agg(interviewer_external_id), array_agg(interview_external_id)
        INTO orgs, rubrics, versions, apps, ivs, interviews
        FROM written WHERE is_bad;
        FOR i IN 1 .. COALESCE(cardinality(orgs), 0) LOOP
          DELETE FROM interview_votes t
          WHERE t.organization_id = orgs[i] AND t.rubric_name = rubrics[i] AND t.rubric_version = versions[i]
            AND t.application_external_id = apps[i] AND t.interviewer_external_id = ivs[i]
            AND t.interview_external_id = interviews[i];
        END LOOP;
      END
      $fn$;

      CREATE OR REPLACE FUNCTION interview_scores_calibration_apply() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE
        deltas interview_score_delta[];
      BEGIN
        -- Each branch names only the transition tables its event has.
        IF TG_OP = 'INSERT' THEN
          SELECT array_agg(ROW(organization_id, rubric_name, rubric_version, criterion, application_external_id,
              interviewer_external_id, interview_external_id, recommendation, score, 1)::interview_score_delta)
          INTO deltas FROM new_rows;
        ELSIF TG_OP = 'UPDATE' THEN
          SELECT array_agg(ROW(organization_id, rubric_name, rubric_version, criterion, application_external_id,
              interviewer_external_id, interview_external_id, recommendation, s, c)::interview_score_delta)
          INTO deltas FROM (
            SELECT *, score AS s, 1 AS c FROM new_rows
            UNION ALL
            SELECT *, -score, -1 FROM old_rows
          ) d;
        ELSE
          SELECT array_agg(ROW(organization_id, rubric_name, rubric_version, criterion, application_external_id,
              interviewer_external_id, interview_external_id, recommendation, -score, -1)::interview_score_delta)
          INTO deltas FROM old_rows;
        END IF;
        IF deltas IS NOT NULL THEN
          PERFORM interview_calibration_add(deltas);
        END IF;
        RETURN NULL;
      END
      $fn$;
`;

export class InterviewCalibrationSummaries1764900000000 implements MigrationInterface {
  name = 'InterviewCalibrationSummaries1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE interview_score_units (
        organization_id uuid NOT NULL,
        rubric_name text NOT NULL,
        rubric_version integer NOT NULL,
        criterion text NOT NULL,
        application_external_id text NOT NULL,
        interviewers text[] NOT NULL,
        sums double precision[] NOT NULL,
        counts integer[] NOT NULL,
        means double precision[] NOT NULL,
        mean_total double precision NOT NULL,
        -- Application before criterion: leniency groups each application's units by interviewer, which an index
        -- scan in this order (and a merge join with the applications) delivers application by application.
        PRIMARY KEY (organization_id, rubric_name, rubric_version, application_external_id, criterion)
      );

      CREATE TABLE interview_votes (
        organization_id uuid NOT NULL,
        rubric_name text NOT NULL,
        rubric_version integer NOT NULL,
        application_external_id text NOT NULL,
        interviewer_external_id text NOT NULL,
        interview_external_id text NOT NULL,
        score_sum double precision NOT NULL,
        score_count integer NOT NULL,
        n_strong_no integer NOT NULL,
        n_no integer NOT NULL,
        n_yes integer NOT NULL,
        n_strong_yes integer NOT NULL,
        PRIMARY KEY (organization_id, rubric_name, rubric_version, application_external_id, interviewer_external_id,
          interview_external_id)
      );

      ${CALIBRATION_DELTA_FUNCTIONS_1764900000000}


      CREATE TRIGGER interview_scores_calibration_insert AFTER INSERT ON interview_scores
        REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION interview_scores_calibration_apply();
      CREATE TRIGGER interview_scores_calibration_update AFTER UPDATE ON interview_scores
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION interview_scores_calibration_apply();
      CREATE TRIGGER interview_scores_calibration_delete AFTER DELETE ON interview_scores
        REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION interview_scores_calibration_apply();

      CREATE FUNCTION interview_scores_calibration_truncate() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        TRUNCATE interview_score_units, interview_votes;
        RETURN NULL;
      END
      $fn$;
      CREATE TRIGGER interview_scores_calibration_truncate AFTER TRUNCATE ON interview_scores
        FOR EACH STATEMENT EXECUTE FUNCTION interview_scores_calibration_truncate();

      INSERT INTO interview_score_units (organization_id, rubric_name, rubric_version, criterion,
        application_external_id, interviewers, sums, counts, means, mean_total)
      SELECT organization_id, rubric_name, rubric_version, criterion, application_external_id,
        array_agg(iv ORDER BY iv), array_agg(s ORDER BY iv), array_agg(n ORDER BY iv), array_agg(s / n ORDER BY iv),
        sum(s / n ORDER BY iv)
      FROM (
        SELECT organization_id, rubric_name, rubric_version, criterion, application_external_id,
          interviewer_external_id AS iv, sum(score) AS s, count(*)::int AS n
        FROM interview_scores
        GROUP BY organization_id, rubric_name, rubric_version, criterion, application_external_id,
          interviewer_external_id
      ) cells
      GROUP BY organization_id, rubric_name, rubric_version, criterion, application_external_id;
      INSERT INTO interview_votes (organization_id, rubric_name, rubric_version, application_external_id,
        interviewer_external_id, interview_external_id, score_sum, score_count, n_strong_no, n_no, n_yes, n_strong_yes)
      SELECT organization_id, rubric_name, rubric_version, application_external_id, interviewer_external_id,
        interview_external_id, sum(score), count(*), count(*) FILTER (WHERE recommendation = 'strong_no'),
        count(*) FILTER (WHERE recommendation = 'no'), count(*) FILTER (WHERE recommendation = 'yes'),
        count(*) FILTER (WHERE recommendation = 'strong_yes')
      FROM interview_scores
      GROUP BY organization_id, rubric_name, rubric_version, application_external_id, interviewer_external_id,
        interview_external_id;
      ANALYZE interview_score_units;
      ANALYZE interview_votes;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER interview_scores_calibration_truncate ON interview_scores;
      DROP TRIGGER interview_scores_calibration_delete ON interview_scores;
      DROP TRIGGER interview_scores_calibration_update ON interview_scores;
      DROP TRIGGER interview_scores_calibration_insert ON interview_scores;
      DROP FUNCTION interview_scores_calibration_truncate();
      DROP FUNCTION interview_scores_calibration_apply();
      DROP FUNCTION interview_calibration_add(interview_score_delta[]);
      DROP TYPE interview_score_delta;
      DROP TABLE interview_votes;
      DROP TABLE interview_score_units;
    `);
  }
}
