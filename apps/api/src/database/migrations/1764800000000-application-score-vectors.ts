import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * application_score_vectors: per (organization, rubric, application) one row holding the application's criterion
 * scores: `criteria` (sorted), and in the same order `sums` and `counts` (those of application_criterion_scores)
 * and `means` (sums / counts, the candidate criterion scores). The validity report reads a fifth as many rows as
 * the per-criterion summary holds and needs no GROUP BY to pivot them, so the read runs as a parallel scan joined
 * to the applications inside the workers.
 *
 * Maintained from application_criterion_scores the way that table is maintained from interview_scores: statement
 * level AFTER triggers with transition tables (one per event), so every write path keeps it in step. Each trigger
 * turns the changed summary rows into per-criterion deltas (new rows add, old rows subtract) and merges them into
 * the vectors (application_score_vectors_add, an upsert). The merge runs on the row as it stands under the row
 * lock, so two transactions writing scores of one application at once (two write lanes of a file import) both
 * land; a vector rebuilt from a snapshot of the summary would keep only the later writer's view. Criteria whose
 * count falls to zero leave the vector, and a vector left with none is deleted.
 *
 * The deltas travel as an array of the summary's own row type (the same seven columns); 1765000000000 replaces
 * this with reading the transition tables directly. For the whole and half points of a rubric scale every partial
 * sum is exact, so means equal score_sum / score_count of the summary bit for bit; for other scores they agree up
 * to rounding in the last bits (the sums accumulate in another order).
 */
/** The delta functions as this migration created them (1765000000000 replaces them and restores them on revert). */
export const VECTOR_DELTA_FUNCTIONS_1764800000000 = `
      -- Applies deltas with one INSERT ... ON CONFLICT DO UPDATE, matched through the primary key like the summary's
      -- own upsert (no join against this table, whose statistics lag a bulk load: a planner that believes it empty
      -- picks a nested loop over it, quadratic in the rows one statement writes). An application without a vector
      -- gets its deltas as they are; one with a vector has them merged into the row as it stands under the row lock.
      -- Rows the upsert leaves empty, or holding a count that is not positive (removals that found no vector), are
      -- then deleted one by one by key: only removals produce them, and few.
      CREATE FUNCTION application_score_vectors_add(deltas application_criterion_scores[])
      RETURNS void LANGUAGE plpgsql AS $fn$
      DECLARE
        orgs uuid[];
        rubrics text[];
        versions integer[];
        apps text[];
      BEGIN
        WITH d AS (
          SELECT u.organization_id, u.rubric_name, u.rubric_version, u.application_external_id, u.criterion,
            sum(u.score_sum) AS s, sum(u.score_count)::int AS n
          FROM unnest(deltas) u
          GROUP BY u.organization_id, u.rubric_name, u.rubric_version, u.application_external_id, u.criterion
          HAVING sum(u.score_count) <> 0 OR sum(u.score_sum) <> 0
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
        INTO orgs, rubrics, versions, apps
        FROM written WHERE is_bad;
        FOR i IN 1 .. COALESCE(cardinality(orgs), 0) LOOP
          DELETE FROM application_score_vectors t
          WHERE t.organization_id = orgs[i] AND t.rubric_name = rubrics[i]
            AND t.rubric_version = versions[i] AND t.application_external_id = apps[i];
        END LOOP;
      END
      $fn$;

      CREATE OR REPLACE FUNCTION application_score_vectors_apply() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE
        deltas application_criterion_scores[];
      BEGIN
        -- Each branch names only the transition tables its event has.
        IF TG_OP = 'INSERT' THEN
          SELECT array_agg(n) INTO deltas FROM new_rows n;
        ELSIF TG_OP = 'UPDATE' THEN
          SELECT array_agg(d) INTO deltas FROM (
            SELECT * FROM new_rows
            UNION ALL
            SELECT organization_id, rubric_name, rubric_version, application_external_id, criterion,
              -score_sum, -score_count
            FROM old_rows
          ) d;
        ELSE
          SELECT array_agg(d) INTO deltas FROM (
            SELECT organization_id, rubric_name, rubric_version, application_external_id, criterion,
              -score_sum, -score_count
            FROM old_rows
          ) d;
        END IF;
        IF deltas IS NOT NULL THEN
          PERFORM application_score_vectors_add(deltas);
        END IF;
        RETURN NULL;
      END
      $fn$;
`;

export class ApplicationScoreVectors1764800000000 implements MigrationInterface {
  name = 'ApplicationScoreVectors1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE application_score_vectors (
        -- No foreign key: a vector leaves with its summary rows, through the triggers (an organization's cascade
        -- delete removes the summary rows, whose removal empties the vectors). A cascade of its own could remove a
        -- vector first, and the removal deltas arriving after it would then write it again.
        organization_id uuid NOT NULL,
        rubric_name text NOT NULL,
        rubric_version integer NOT NULL,
        application_external_id text NOT NULL,
        criteria text[] NOT NULL,
        sums double precision[] NOT NULL,
        counts integer[] NOT NULL,
        means double precision[] NOT NULL,
        PRIMARY KEY (organization_id, rubric_name, rubric_version, application_external_id)
      );

      -- A vector plus per-criterion deltas: criteria whose count stays positive, sorted, with sums, counts, means.
      CREATE FUNCTION application_score_vectors_merge(
        criteria text[], sums double precision[], counts integer[],
        d_criteria text[], d_sums double precision[], d_counts integer[],
        OUT criteria text[], OUT sums double precision[], OUT counts integer[], OUT means double precision[]
      ) LANGUAGE sql IMMUTABLE AS $fn$
        SELECT COALESCE(array_agg(c ORDER BY c), '{}'), COALESCE(array_agg(s ORDER BY c), '{}'),
          COALESCE(array_agg(n ORDER BY c), '{}'), COALESCE(array_agg(s / n ORDER BY c), '{}')
        FROM (
          SELECT c, sum(s) AS s, sum(n)::int AS n
          FROM (
            SELECT * FROM unnest($1, $2, $3)
            UNION ALL
            SELECT * FROM unnest($4, $5, $6)
          ) u(c, s, n)
          GROUP BY c
          HAVING sum(n) > 0
        ) merged
      $fn$;

      ${VECTOR_DELTA_FUNCTIONS_1764800000000}


      CREATE TRIGGER application_criterion_scores_vectors_insert AFTER INSERT ON application_criterion_scores
        REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION application_score_vectors_apply();
      CREATE TRIGGER application_criterion_scores_vectors_update AFTER UPDATE ON application_criterion_scores
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION application_score_vectors_apply();
      CREATE TRIGGER application_criterion_scores_vectors_delete AFTER DELETE ON application_criterion_scores
        REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION application_score_vectors_apply();

      CREATE FUNCTION application_score_vectors_truncate() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        TRUNCATE application_score_vectors;
        RETURN NULL;
      END
      $fn$;
      CREATE TRIGGER application_criterion_scores_vectors_truncate AFTER TRUNCATE ON application_criterion_scores
        FOR EACH STATEMENT EXECUTE FUNCTION application_score_vectors_truncate();

      INSERT INTO application_score_vectors
        (organization_id, rubric_name, rubric_version, application_external_id, criteria, sums, counts, means)
      SELECT organization_id, rubric_name, rubric_version, application_external_id,
        array_agg(criterion ORDER BY criterion), array_agg(score_sum ORDER BY criterion),
        array_agg(score_count ORDER BY criterion), array_agg(score_sum / score_count ORDER BY criterion)
      FROM application_criterion_scores
      WHERE score_count > 0
      GROUP BY organization_id, rubric_name, rubric_version, application_external_id;
      ANALYZE application_score_vectors;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER application_criterion_scores_vectors_truncate ON application_criterion_scores;
      DROP TRIGGER application_criterion_scores_vectors_delete ON application_criterion_scores;
      DROP TRIGGER application_criterion_scores_vectors_update ON application_criterion_scores;
      DROP TRIGGER application_criterion_scores_vectors_insert ON application_criterion_scores;
      DROP FUNCTION application_score_vectors_truncate();
      DROP FUNCTION application_score_vectors_apply();
      DROP FUNCTION application_score_vectors_add(application_criterion_scores[]);
      DROP FUNCTION application_score_vectors_merge(
        text[], double precision[], integer[], text[], double precision[], integer[]
      );
      DROP TABLE application_score_vectors;
    `);
  }
}
