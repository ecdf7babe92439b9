import type { MigrationInterface, QueryRunner } from 'typeorm';
import { VECTOR_DELTA_FUNCTIONS_1764800000000 } from './1764800000000-application-score-vectors';
import { CALIBRATION_DELTA_FUNCTIONS_1764900000000 } from './1764900000000-interview-calibration-summaries';

/**
 * The triggers of application_score_vectors (1764800000000) and of interview_score_units and interview_votes
 * (1764900000000) collected a statement's changed rows into one array and passed it to a function. That held the
 * whole change in memory (about 130 bytes a row: close to a gigabyte for a one-statement COPY of a million scores,
 * and an error past the 1 GB limit of one value), and the vectors' array of untyped records reached the function
 * through text, so a session with `extra_float_digits` <= 0 rounded the sums. These versions read the transition
 * tables directly (they spill to disk, and the values keep their types): the statement that applies the deltas is
 * written once with the event's delta query spliced in and run with EXECUTE, which sees the transition tables too.
 * Rows the upserts leave empty are deleted in one statement (an organization's delete empties nearly all of them).
 * What the tables hold is unchanged.
 */
const VECTORS_APPLY = `
  CREATE OR REPLACE FUNCTION application_score_vectors_apply() RETURNS trigger LANGUAGE plpgsql AS $fn$
  DECLARE
    keys constant text := 'organization_id, rubric_name, rubric_version, application_external_id, criterion';
    delta text;
    orgs uuid[];
    rubrics text[];
    versions integer[];
    apps text[];
  BEGIN
    -- The changed summary rows as deltas (new rows add, old rows subtract); each event names only its own tables.
    delta := CASE TG_OP
      WHEN 'INSERT' THEN format('SELECT %s, score_sum AS s, score_count AS n FROM new_rows', keys)
      WHEN 'UPDATE' THEN format(
        'SELECT %1$s, score_sum AS s, score_count AS n FROM new_rows
         UNION ALL SELECT %1$s, -score_sum, -score_count FROM old_rows', keys)
      ELSE format('SELECT %s, -score_sum AS s, -score_count AS n FROM old_rows', keys)
    END;
    EXECUTE format($q$
      WITH u AS (%s),
      d AS (
        SELECT organization_id, rubric_name, rubric_version, application_external_id, criterion,
          sum(s) AS s, sum(n)::int AS n
        FROM u
        GROUP BY organization_id, rubric_name, rubric_version, application_external_id, criterion
        HAVING sum(n) <> 0 OR sum(s) <> 0
      ),
      written AS (
        INSERT INTO application_score_vectors AS t
          (organization_id, rubric_name, rubric_version, application_external_id, criteria, sums, counts, means)
        SELECT d.organization_id, d.rubric_name, d.rubric_version, d.application_external_id,
          array_agg(d.criterion ORDER BY d.criterion), array_agg(d.s ORDER BY d.criterion),
          array_agg(d.n ORDER BY d.criterion), array_agg(d.s / NULLIF(d.n, 0) ORDER BY d.criterion)
        FROM d
        GROUP BY d.organization_id, d.rubric_name, d.rubric_version, d.application_external_id
        ORDER BY d.organization_id, d.rubric_name, d.rubric_version, d.application_external_id
        ON CONFLICT (organization_id, rubric_name, rubric_version, application_external_id)
        DO UPDATE SET (criteria, sums, counts, means) = (
          SELECT * FROM application_score_vectors_merge(
            t.criteria, t.sums, t.counts, excluded.criteria, excluded.sums, excluded.counts)
        )
        RETURNING t.organization_id, t.rubric_name, t.rubric_version, t.application_external_id,
          cardinality(t.criteria) = 0 OR NOT (0 < ALL (t.counts)) AS is_bad
      )
      SELECT array_agg(organization_id), array_agg(rubric_name), array_agg(rubric_version),
        array_agg(application_external_id)
      FROM written WHERE is_bad
    $q$, delta) INTO orgs, rubrics, versions, apps;
    IF orgs IS NOT NULL THEN
      DELETE FROM application_score_vectors t
      USING unnest(orgs, rubrics, versions, apps) AS k(o, r, v, a)
      WHERE t.organization_id = k.o AND t.rubric_name = k.r AND t.rubric_version = k.v
        AND t.application_external_id = k.a;
    END IF;
    RETURN NULL;
  END
  $fn$;
`;

const CALIBRATION_APPLY = `
  CREATE OR REPLACE FUNCTION interview_scores_calibration_apply() RETURNS trigger LANGUAGE plpgsql AS $fn$
  DECLARE
    keys constant text := 'organization_id, rubric_name, rubric_version, criterion, application_external_id, '
      || 'interviewer_external_id, interview_external_id, recommendation';
    delta text;
    orgs uuid[];
    rubrics text[];
    versions integer[];
    crits text[];
    apps text[];
    ivs text[];
    interviews text[];
  BEGIN
    -- The changed score rows as deltas: +1 and the score when written, -1 and minus it when removed.
    delta := CASE TG_OP
      WHEN 'INSERT' THEN format('SELECT %s, score AS s, 1 AS n FROM new_rows', keys)
      WHEN 'UPDATE' THEN format(
        'SELECT %1$s, score AS s, 1 AS n FROM new_rows UNION ALL SELECT %1$s, -score, -1 FROM old_rows', keys)
      ELSE format('SELECT %s, -score AS s, -1 AS n FROM old_rows', keys)
    END;

    EXECUTE format($q$
      WITH u AS (%s),
      d AS (
        SELECT organization_id, rubric_name, rubric_version, criterion, application_external_id,
          interviewer_external_id AS iv, sum(s) AS s, sum(n)::int AS n
        FROM u
        GROUP BY organization_id, rubric_name, rubric_version, criterion, application_external_id,
          interviewer_external_id
        HAVING sum(n) <> 0 OR sum(s) <> 0
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
      FROM written WHERE is_bad
    $q$, delta) INTO orgs, rubrics, versions, crits, apps;
    IF orgs IS NOT NULL THEN
      DELETE FROM interview_score_units t
      USING unnest(orgs, rubrics, versions, crits, apps) AS k(o, r, v, c, a)
      WHERE t.organization_id = k.o AND t.rubric_name = k.r AND t.rubric_version = k.v AND t.criterion = k.c
        AND t.application_external_id = k.a;
    END IF;

    EXECUTE format($q$
      WITH u AS (%s),
      written AS (
        INSERT INTO interview_votes AS t (organization_id, rubric_name, rubric_version, application_external_id,
          interviewer_external_id, interview_external_id, score_sum, score_count, n_strong_no, n_no, n_yes,
          n_strong_yes)
        SELECT u.organization_id, u.rubric_name, u.rubric_version, u.application_external_id,
          u.interviewer_external_id, u.interview_external_id, sum(u.s), sum(u.n),
          COALESCE(sum(u.n) FILTER (WHERE u.recommendation = 'strong_no'), 0),
          COALESCE(sum(u.n) FILTER (WHERE u.recommendation = 'no'), 0),
          COALESCE(sum(u.n) FILTER (WHERE u.recommendation = 'yes'), 0),
          COALESCE(sum(u.n) FILTER (WHERE u.recommendation = 'strong_yes'), 0)
        FROM u
        GROUP BY u.organization_id, u.rubric_name, u.rubric_version, u.application_external_id,
          u.interviewer_external_id, u.interview_external_id
        HAVING sum(u.n) <> 0 OR sum(u.s) <> 0
          OR sum(u.n) FILTER (WHERE u.recommendation = 'strong_no') <> 0
          OR sum(u.n) FILTER (WHERE u.recommendation = 'no') <> 0
          OR sum(u.n) FILTER (WHERE u.recommendation = 'yes') <> 0
          OR sum(u.n) FILTER (WHERE u.recommendation = 'strong_yes') <> 0
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
      FROM written WHERE is_bad
    $q$, delta) INTO orgs, rubrics, versions, apps, ivs, interviews;
    IF orgs IS NOT NULL THEN
      DELETE FROM interview_votes t
      USING unnest(orgs, rubrics, versions, apps, ivs, interviews) AS k(o, r, v, a, iv, i)
      WHERE t.organization_id = k.o AND t.rubric_name = k.r AND t.rubric_version = k.v
        AND t.application_external_id = k.a AND t.interviewer_external_id = k.iv AND t.interview_external_id = k.i;
    END IF;
    RETURN NULL;
  END
  $fn$;
`;

export class SummaryTriggersReadTransitionTables1765000000000 implements MigrationInterface {
  name = 'SummaryTriggersReadTransitionTables1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ${VECTORS_APPLY}
      DROP FUNCTION application_score_vectors_add(application_criterion_scores[]);
      ${CALIBRATION_APPLY}
      DROP FUNCTION interview_calibration_add(interview_score_delta[]);
      DROP TYPE interview_score_delta;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    // The earlier definitions, as their migrations created them (the apply functions are CREATE OR REPLACE).
    await q.query(`
      ${VECTOR_DELTA_FUNCTIONS_1764800000000}
      ${CALIBRATION_DELTA_FUNCTIONS_1764900000000}
    `);
  }
}
