import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_DB_ROLE, organizationPolicySql } from '../tenancy';

/**
 * application_stage_paths: per (organization, application) one row holding what the funnel report needs of the
 * application, so that report reads one narrow row per application instead of grouping every stage event by
 * application and joining the applications (bench/funnel/README.md):
 *
 *  - its path as its stage events stand: `stages` (the stage names of its events, sorted by name, then entry time),
 *    and in the same order `entered` (their entry times) and `counts` (how many live events carry that name and
 *    time: 1, since stage_events is unique per application and stage; kept so that the merge below is a sum of
 *    deltas). Independent of the organization's stage list: the report (analytics/funnel-sql.ts) maps the names to
 *    positions in the list at read time, so a new list needs no rebuild, and events on stages outside the list stay
 *    in the path (the report counts them as unmapped);
 *  - the application's status, applied_at (with its UTC month), hired_at, source and job, as the applications row
 *    has them; all null while the application has not been written (its events may come first).
 *
 * The path is maintained from stage_events the way application_score_vectors is from application_criterion_scores
 * (1764800000000, 1765000000000): statement-level AFTER triggers with transition tables turn the changed events into
 * deltas (new rows add their (stage, entered_at) with +1, old rows subtract it) and merge them into the paths with
 * one INSERT ... ON CONFLICT DO UPDATE on the row as it stands under the row lock, so two transactions writing
 * events of one application at once (two write lanes of a file import) both land: a path rebuilt from a snapshot
 * of the events would keep only the later writer's view. An upsert that changes an event's entry time, or an update
 * that moves an event to another stage, is a removal and an addition. Entries whose count falls to zero leave the
 * path. The application columns are copied by statement-level triggers on applications (an upsert of the new
 * values: writers of one application are already serialized by its row lock, and the copy happens inside the
 * writer's transaction); the two triggers set disjoint columns of the row, each under its lock. A row with neither
 * events nor an application is deleted (the DELETE re-checks both under the row lock). No foreign key, as for the
 * vectors: a row leaves with its events and its application (an organization's cascade delete removes both).
 */
export class ApplicationStagePaths1765500000000 implements MigrationInterface {
  name = 'ApplicationStagePaths1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE application_stage_paths (
        organization_id uuid NOT NULL,
        application_external_id text NOT NULL,
        stages text[] NOT NULL DEFAULT '{}',
        entered timestamptz[] NOT NULL DEFAULT '{}',
        counts integer[] NOT NULL DEFAULT '{}',
        status text,
        applied_at timestamptz,
        applied_month timestamp,
        hired_at timestamptz,
        source text,
        job_external_id text,
        PRIMARY KEY (organization_id, application_external_id)
      );
      ${organizationPolicySql('application_stage_paths')}
      GRANT SELECT, INSERT, UPDATE, DELETE ON application_stage_paths TO ${APP_DB_ROLE};

      -- A path plus deltas: the (stage, entered) entries whose count stays positive, sorted by stage then time.
      CREATE FUNCTION application_stage_paths_merge(
        stages text[], entered timestamptz[], counts integer[],
        d_stages text[], d_entered timestamptz[], d_counts integer[],
        OUT stages text[], OUT entered timestamptz[], OUT counts integer[]
      ) LANGUAGE sql IMMUTABLE AS $fn$
        SELECT COALESCE(array_agg(s ORDER BY s, e), '{}'), COALESCE(array_agg(e ORDER BY s, e), '{}'),
          COALESCE(array_agg(n ORDER BY s, e), '{}')
        FROM (
          SELECT s, e, sum(n)::int AS n
          FROM (
            SELECT * FROM unnest($1, $2, $3)
            UNION ALL
            SELECT * FROM unnest($4, $5, $6)
          ) u(s, e, n)
          GROUP BY s, e
          HAVING sum(n) > 0
        ) merged
      $fn$;

      CREATE FUNCTION application_stage_paths_events() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE
        keys constant text := 'organization_id, application_external_id, stage, entered_at';
        delta text;
        orgs uuid[];
        apps text[];
      BEGIN
        -- The changed events as deltas (new rows add, old rows subtract); each event names only its own tables.
        delta := CASE TG_OP
          WHEN 'INSERT' THEN format('SELECT %s, 1 AS n FROM new_rows', keys)
          WHEN 'UPDATE' THEN format(
            'SELECT %1$s, 1 AS n FROM new_rows UNION ALL SELECT %1$s, -1 FROM old_rows', keys)
          ELSE format('SELECT %s, -1 AS n FROM old_rows', keys)
        END;
        -- Matched through the primary key by the upsert (no join against this table, whose statistics lag a bulk
        -- load), in key order so that concurrent writers lock rows in the same order. A new row holding a
        -- removal (an event whose path was never written) or an emptied path is deleted below, unless the
        -- application keeps it.
        EXECUTE format($q$
          WITH u AS (%s),
          d AS (
            SELECT organization_id, application_external_id, stage, entered_at, sum(n)::int AS n
            FROM u
            GROUP BY organization_id, application_external_id, stage, entered_at
            HAVING sum(n) <> 0
          ),
          written AS (
            INSERT INTO application_stage_paths AS t
              (organization_id, application_external_id, stages, entered, counts)
            SELECT d.organization_id, d.application_external_id,
              array_agg(d.stage ORDER BY d.stage, d.entered_at),
              array_agg(d.entered_at ORDER BY d.stage, d.entered_at),
              array_agg(d.n ORDER BY d.stage, d.entered_at)
            FROM d
            GROUP BY d.organization_id, d.application_external_id
            ORDER BY d.organization_id, d.application_external_id
            ON CONFLICT (organization_id, application_external_id)
            DO UPDATE SET (stages, entered, counts) = (
              SELECT * FROM application_stage_paths_merge(
                t.stages, t.entered, t.counts, excluded.stages, excluded.entered, excluded.counts)
            )
            RETURNING t.organization_id, t.application_external_id,
              cardinality(t.stages) = 0 OR NOT (0 < ALL (t.counts)) AS is_bad
          )
          SELECT array_agg(organization_id), array_agg(application_external_id)
          FROM written WHERE is_bad
        $q$, delta) INTO orgs, apps;
        IF orgs IS NOT NULL THEN
          DELETE FROM application_stage_paths t
          USING unnest(orgs, apps) AS k(o, a)
          WHERE t.organization_id = k.o AND t.application_external_id = k.a
            AND t.applied_at IS NULL AND (cardinality(t.stages) = 0 OR NOT (0 < ALL (t.counts)));
        END IF;
        RETURN NULL;
      END
      $fn$;

      CREATE FUNCTION application_stage_paths_applications() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE
        orgs uuid[];
        apps text[];
      BEGIN
        -- Applications that leave (deleted, or an UPDATE that changed the key): their columns are cleared, and a
        -- row left with no events is deleted.
        IF TG_OP = 'DELETE' THEN
          EXECUTE 'SELECT array_agg(organization_id), array_agg(external_id) FROM old_rows' INTO orgs, apps;
        ELSIF TG_OP = 'UPDATE' THEN
          EXECUTE 'SELECT array_agg(organization_id), array_agg(external_id) FROM (
              SELECT organization_id, external_id FROM old_rows
              EXCEPT SELECT organization_id, external_id FROM new_rows) gone' INTO orgs, apps;
        END IF;
        IF orgs IS NOT NULL THEN
          UPDATE application_stage_paths t
          SET status = NULL, applied_at = NULL, applied_month = NULL, hired_at = NULL, source = NULL,
            job_external_id = NULL
          FROM unnest(orgs, apps) AS k(o, a)
          WHERE t.organization_id = k.o AND t.application_external_id = k.a;
          DELETE FROM application_stage_paths t
          USING unnest(orgs, apps) AS k(o, a)
          WHERE t.organization_id = k.o AND t.application_external_id = k.a
            AND t.applied_at IS NULL AND cardinality(t.stages) = 0;
        END IF;
        IF TG_OP <> 'DELETE' THEN
          EXECUTE $q$
            INSERT INTO application_stage_paths AS t (organization_id, application_external_id, status, applied_at,
              applied_month, hired_at, source, job_external_id)
            SELECT n.organization_id, n.external_id, n.status, n.applied_at,
              date_trunc('month', n.applied_at AT TIME ZONE 'UTC'), n.hired_at, n.source, n.job_external_id
            FROM new_rows n
            ORDER BY n.organization_id, n.external_id
            ON CONFLICT (organization_id, application_external_id)
            DO UPDATE SET (status, applied_at, applied_month, hired_at, source, job_external_id) = (
              excluded.status, excluded.applied_at, excluded.applied_month, excluded.hired_at, excluded.source,
              excluded.job_external_id)
            WHERE (t.status, t.applied_at, t.hired_at, t.source, t.job_external_id) IS DISTINCT FROM
              (excluded.status, excluded.applied_at, excluded.hired_at, excluded.source, excluded.job_external_id)
          $q$;
        END IF;
        RETURN NULL;
      END
      $fn$;

      CREATE TRIGGER stage_events_paths_insert AFTER INSERT ON stage_events
        REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION application_stage_paths_events();
      CREATE TRIGGER stage_events_paths_update AFTER UPDATE ON stage_events
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION application_stage_paths_events();
      CREATE TRIGGER stage_events_paths_delete AFTER DELETE ON stage_events
        REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION application_stage_paths_events();
      CREATE TRIGGER applications_paths_insert AFTER INSERT ON applications
        REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION application_stage_paths_applications();
      CREATE TRIGGER applications_paths_update AFTER UPDATE ON applications
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION application_stage_paths_applications();
      CREATE TRIGGER applications_paths_delete AFTER DELETE ON applications
        REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION application_stage_paths_applications();

      CREATE FUNCTION application_stage_paths_truncate() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        IF TG_TABLE_NAME = 'stage_events' THEN
          UPDATE application_stage_paths SET stages = '{}', entered = '{}', counts = '{}';
        ELSE
          UPDATE application_stage_paths SET status = NULL, applied_at = NULL, applied_month = NULL,
            hired_at = NULL, source = NULL, job_external_id = NULL;
        END IF;
        DELETE FROM application_stage_paths WHERE applied_at IS NULL AND cardinality(stages) = 0;
        RETURN NULL;
      END
      $fn$;
      CREATE TRIGGER stage_events_paths_truncate AFTER TRUNCATE ON stage_events
        FOR EACH STATEMENT EXECUTE FUNCTION application_stage_paths_truncate();
      CREATE TRIGGER applications_paths_truncate AFTER TRUNCATE ON applications
        FOR EACH STATEMENT EXECUTE FUNCTION application_stage_paths_truncate();

      INSERT INTO application_stage_paths (organization_id, application_external_id, stages, entered, counts,
        status, applied_at, applied_month, hired_at, source, job_external_id)
      SELECT COALESCE(a.organization_id, e.organization_id), COALESCE(a.external_id, e.application_external_id),
        COALESCE(e.stages, '{}'), COALESCE(e.entered, '{}'), COALESCE(e.counts, '{}'),
        a.status, a.applied_at, date_trunc('month', a.applied_at AT TIME ZONE 'UTC'), a.hired_at, a.source,
        a.job_external_id
      FROM (
        SELECT organization_id, application_external_id,
          array_agg(stage ORDER BY stage, entered_at) AS stages,
          array_agg(entered_at ORDER BY stage, entered_at) AS entered,
          array_agg(1 ORDER BY stage, entered_at) AS counts
        FROM stage_events
        GROUP BY organization_id, application_external_id
      ) e
      FULL JOIN applications a
        ON a.organization_id = e.organization_id AND a.external_id = e.application_external_id;
      ANALYZE application_stage_paths;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER applications_paths_truncate ON applications;
      DROP TRIGGER stage_events_paths_truncate ON stage_events;
      DROP TRIGGER applications_paths_delete ON applications;
      DROP TRIGGER applications_paths_update ON applications;
      DROP TRIGGER applications_paths_insert ON applications;
      DROP TRIGGER stage_events_paths_delete ON stage_events;
      DROP TRIGGER stage_events_paths_update ON stage_events;
      DROP TRIGGER stage_events_paths_insert ON stage_events;
      DROP FUNCTION application_stage_paths_truncate();
      DROP FUNCTION application_stage_paths_applications();
      DROP FUNCTION application_stage_paths_events();
      DROP FUNCTION application_stage_paths_merge(
        text[], timestamptz[], integer[], text[], timestamptz[], integer[]
      );
      DROP TABLE application_stage_paths;
    `);
  }
}
