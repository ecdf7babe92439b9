import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_DB_ROLE, organizationPolicySql } from '../tenancy';

/**
 * What the funnel report (analytics/funnel-sql.ts) reads instead of one row per application, kept at write time
 * from application_stage_paths (1765500000000) by statement-level AFTER triggers on it (bench/funnel/README.md):
 *
 *  - funnel_cells: the applications counted per (source, job, application month, status, set of stage names with
 *    an event). Independent of the stage list: the report derives each set's furthest stage and unmapped events
 *    from the names, for a few thousand rows instead of 200,000. Kept as an append-only log of deltas (the changed
 *    paths: new rows +1, old rows -1), so concurrent writers (an import's parallel lanes) never wait on one
 *    another's cells; `merged` rows are the sums funnel_refresh folds the deltas into before a report.
 *  - application_stage_days: per application and stage position of the organization's list (0 = applied .. K-1),
 *    the days in that stage (PRODUCT.md "Funnel definitions": for an application that advanced from the stage and
 *    has an event at it, from entering it to the earliest event at a later stage of the list, a hire without an
 *    event at the last stage entering it at hired_at), with the application's source, job and applied_at for the
 *    filters. Its index on (position, days) hands the report each stage's days already sorted; its primary key
 *    leads with applied_at, for cohorts chosen by applied date.
 *  - funnel_day_buckets: per stage position, source and job the number of those days in each 1/16-day bucket
 *    (floor(days * 16) / 16, exact in binary floating point), a delta log like funnel_cells: for a cohort chosen by
 *    job, department or source (or none), the report finds the bucket holding a percentile's order statistic here and
 *    reads the index from that bucket on, instead of reading every day of the stage.
 *  - funnel_stage_lists: the stage list the days were computed for. The days depend on the list (which stage comes
 *    next), so they are kept only for an organization with a row here, and rebuilt (funnel_stage_days_rebuild)
 *    when the report or the settings ask for another list. The triggers hold a per-organization advisory lock
 *    shared while they write an organization's days, which a rebuild takes exclusively, so a rebuild waits for the
 *    writers under way and the writers after it compute with the new list.
 *
 * No foreign keys on the per-application tables, as for application_stage_paths: their rows leave with the paths,
 * through the triggers. funnel_cells and funnel_stage_lists cascade with the organization (the cells' trigger
 * writes no delta for an organization that is gone).
 */
export class FunnelSummaries1766000000000 implements MigrationInterface {
  name = 'FunnelSummaries1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE funnel_cells (
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        source text,
        job_external_id text NOT NULL,
        applied_month timestamp NOT NULL,
        status text NOT NULL,
        stages text[] NOT NULL,
        applications integer NOT NULL,
        merged boolean NOT NULL DEFAULT false
      );
      CREATE INDEX funnel_cells_organization_idx ON funnel_cells (organization_id, applied_month);
      CREATE INDEX funnel_cells_unmerged_idx ON funnel_cells (organization_id) WHERE NOT merged;

      CREATE TABLE funnel_stage_lists (
        organization_id uuid PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
        stages text[] NOT NULL
      );

      CREATE TABLE application_stage_days (
        organization_id uuid NOT NULL,
        application_external_id text NOT NULL,
        position smallint NOT NULL,
        days double precision NOT NULL,
        source text,
        job_external_id text NOT NULL,
        applied_at timestamptz NOT NULL,
        -- Applied date first: a cohort inside applied-date filters reads its range of this index alone.
        PRIMARY KEY (organization_id, applied_at, application_external_id, position)
          INCLUDE (days, source, job_external_id)
      );
      CREATE INDEX application_stage_days_order_idx ON application_stage_days (organization_id, position, days)
        INCLUDE (source, job_external_id, applied_at);

      CREATE TABLE funnel_day_buckets (
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        position smallint NOT NULL,
        bucket double precision NOT NULL,
        source text,
        job_external_id text NOT NULL,
        days integer NOT NULL,
        merged boolean NOT NULL DEFAULT false
      );
      CREATE INDEX funnel_day_buckets_organization_idx ON funnel_day_buckets (organization_id);
      CREATE INDEX funnel_day_buckets_unmerged_idx ON funnel_day_buckets (organization_id) WHERE NOT merged;

      -- The report's other reads of the paths: the hires (time to hire, their quality) and, with an applied-date
      -- filter, the applications of the months only partly inside it.
      CREATE INDEX application_stage_paths_hires_idx ON application_stage_paths (organization_id, applied_at)
        INCLUDE (application_external_id, source, job_external_id, applied_month, hired_at)
        WHERE status = 'hired';
      CREATE INDEX application_stage_paths_applied_idx ON application_stage_paths (organization_id, applied_at);

      ${organizationPolicySql('funnel_cells')}
      ${organizationPolicySql('funnel_stage_lists')}
      ${organizationPolicySql('application_stage_days')}
      ${organizationPolicySql('funnel_day_buckets')}
      GRANT SELECT, INSERT, UPDATE, DELETE
        ON funnel_cells, funnel_stage_lists, application_stage_days, funnel_day_buckets TO ${APP_DB_ROLE};

      -- One application's days in stage for a list: element i + 1 is position i's (0 = applied .. K-1), null where
      -- it has none. t[i] is the entry time at position i (0: applied_at; a hire without an event at the last stage
      -- enters it at hired_at); the days at i run to the earliest entry at a later position, for an application
      -- that advanced from i (a later entry exists: so its furthest stage is after i) and entered i.
      CREATE FUNCTION funnel_stage_days(
        list text[], stages text[], entered timestamptz[], status text, applied_at timestamptz,
        hired_at timestamptz
      ) RETURNS double precision[] LANGUAGE plpgsql IMMUTABLE AS $fn$
      DECLARE
        k constant integer := cardinality(list);
        t timestamptz[];
        next_t timestamptz;
        days double precision[] := array_fill(NULL::double precision, ARRAY[k]);
      BEGIN
        t[0] := applied_at;
        FOR i IN 1 .. k LOOP
          t[i] := entered[array_position(stages, list[i])];
        END LOOP;
        IF status = 'hired' AND k > 0 THEN
          t[k] := COALESCE(t[k], hired_at);
        END IF;
        FOR i IN REVERSE k - 1 .. 0 LOOP
          next_t := LEAST(next_t, t[i + 1]);
          IF t[i] IS NOT NULL AND next_t IS NOT NULL THEN
            days[i + 1] := date_part('epoch', next_t - t[i]) / 86400;
          END IF;
        END LOOP;
        RETURN days;
      END
      $fn$;

      CREATE FUNCTION application_stage_paths_funnel() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE
        cell constant text := 'organization_id, source, job_external_id, applied_month, status, stages';
        delta text;
        orgs uuid[];
        changed text;  -- of an UPDATE, the FROM and WHERE of the paths whose days may change
        fresh application_stage_days[];
      BEGIN
        -- The organizations written (an UPDATE keeps them: they are part of the key); each event names only its
        -- own transition tables.
        EXECUTE format('SELECT array_agg(DISTINCT organization_id ORDER BY organization_id) FROM %I',
          CASE WHEN TG_OP = 'DELETE' THEN 'old_rows' ELSE 'new_rows' END) INTO orgs;
        IF orgs IS NULL THEN
          RETURN NULL;
        END IF;

        -- The cells: the changed paths of applications as deltas (new rows add, old rows subtract), appended.
        delta := CASE TG_OP
          WHEN 'INSERT' THEN format('SELECT %s, 1 AS n FROM new_rows WHERE applied_at IS NOT NULL', cell)
          WHEN 'UPDATE' THEN format(
            'SELECT %1$s, 1 AS n FROM new_rows WHERE applied_at IS NOT NULL
             UNION ALL SELECT %1$s, -1 FROM old_rows WHERE applied_at IS NOT NULL', cell)
          ELSE format('SELECT %s, -1 AS n FROM old_rows WHERE applied_at IS NOT NULL', cell)
        END;
        EXECUTE format($q$
          INSERT INTO funnel_cells (%1$s, applications)
          SELECT %1$s, sum(d.n) FROM (%2$s) d
          WHERE EXISTS (SELECT FROM organizations o WHERE o.id = d.organization_id)
          GROUP BY %1$s
          HAVING sum(d.n) <> 0
        $q$, cell, delta);

        -- The days in stage, for the organizations that keep them, under a shared lock per organization that a
        -- rebuild takes exclusively: a rebuild waits for the writers under way, the writers after it wait for it and
        -- then see its list (an organization's first list included, which no row lock could cover).
        PERFORM pg_advisory_xact_lock_shared(hashtextextended('hiresignal:funnel-days:' || o::text, 0))
        FROM unnest(orgs) WITH ORDINALITY AS u(o, i) ORDER BY i;
        -- The paths whose days may change: all of an INSERT or DELETE; of an UPDATE, those that changed a column
        -- the days or their filters read (a new status other than hired, say, changes none).
        changed := $q$
          FROM new_rows n JOIN old_rows o
            ON o.organization_id = n.organization_id AND o.application_external_id = n.application_external_id
          WHERE (n.stages, n.entered, n.status = 'hired', n.hired_at, n.applied_at, n.source, n.job_external_id)
            IS DISTINCT FROM
            (o.stages, o.entered, o.status = 'hired', o.hired_at, o.applied_at, o.source, o.job_external_id)
        $q$;
        -- Their new days (for the lists as they stand under the lock), then the difference with the stored ones: a
        -- later event that only adds a stage writes the days it adds.
        IF TG_OP <> 'DELETE' THEN
          EXECUTE format($q$
            SELECT array_agg(ROW(n.organization_id, n.application_external_id, (u.i - 1)::smallint, u.days, n.source,
                n.job_external_id, n.applied_at)::application_stage_days)
            FROM %s n
            JOIN funnel_stage_lists l ON l.organization_id = n.organization_id
            CROSS JOIN LATERAL unnest(
              funnel_stage_days(l.stages, n.stages, n.entered, n.status, n.applied_at, n.hired_at)
            ) WITH ORDINALITY AS u(days, i)
            WHERE n.applied_at IS NOT NULL AND u.days IS NOT NULL
          $q$, CASE WHEN TG_OP = 'UPDATE' THEN format('(SELECT n.* %s)', changed) ELSE 'new_rows' END) INTO fresh;
        END IF;
        IF TG_OP <> 'INSERT'
          AND EXISTS (SELECT FROM application_stage_days d WHERE d.organization_id = ANY (orgs))
        THEN
          -- (EXCEPT, not NOT EXISTS: a set operation never rescans the new days once per stored row.)
          EXECUTE format($q$
            WITH stale AS (
              SELECT d.* FROM application_stage_days d
              JOIN %s o ON o.organization_id = d.organization_id AND o.applied_at = d.applied_at
                AND o.application_external_id = d.application_external_id
              EXCEPT
              SELECT * FROM unnest($1::application_stage_days[])
            ),
            gone AS (
              DELETE FROM application_stage_days d
              USING stale x
              WHERE d.organization_id = x.organization_id AND d.applied_at = x.applied_at
                AND d.application_external_id = x.application_external_id AND d.position = x.position
              RETURNING d.organization_id, d.position, d.days, d.source, d.job_external_id
            )
            INSERT INTO funnel_day_buckets (organization_id, position, bucket, source, job_external_id, days)
            SELECT organization_id, position, floor(days * 16) / 16, source, job_external_id, -count(*) FROM gone
            WHERE EXISTS (SELECT FROM organizations o WHERE o.id = gone.organization_id)
            GROUP BY 1, 2, 3, 4, 5
          $q$, CASE WHEN TG_OP = 'UPDATE' THEN format('(SELECT o.* %s)', changed) ELSE 'old_rows' END) USING fresh;
        END IF;
        -- The new days but those stored already (of an UPDATE: the ones the statement above kept).
        IF fresh IS NOT NULL THEN
          EXECUTE format($q$
            WITH added AS (
              INSERT INTO application_stage_days
              SELECT * FROM unnest($1::application_stage_days[])
              %s
              RETURNING organization_id, position, days, source, job_external_id
            )
            INSERT INTO funnel_day_buckets (organization_id, position, bucket, source, job_external_id, days)
            SELECT organization_id, position, floor(days * 16) / 16, source, job_external_id, count(*) FROM added
            GROUP BY 1, 2, 3, 4, 5
          $q$, CASE WHEN TG_OP = 'UPDATE' THEN format($e$
              EXCEPT
              SELECT d.* FROM application_stage_days d
              JOIN (SELECT o.* %s) o ON o.organization_id = d.organization_id AND o.applied_at = d.applied_at
                AND o.application_external_id = d.application_external_id
            $e$, changed) ELSE '' END) USING fresh;
        END IF;
        RETURN NULL;
      END
      $fn$;

      CREATE TRIGGER application_stage_paths_funnel_insert AFTER INSERT ON application_stage_paths
        REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION application_stage_paths_funnel();
      CREATE TRIGGER application_stage_paths_funnel_update AFTER UPDATE ON application_stage_paths
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION application_stage_paths_funnel();
      CREATE TRIGGER application_stage_paths_funnel_delete AFTER DELETE ON application_stage_paths
        REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION application_stage_paths_funnel();

      -- The organization's days in stage computed afresh for a list (nothing to do when they already are).
      CREATE FUNCTION funnel_stage_days_rebuild(org uuid, list text[]) RETURNS void LANGUAGE plpgsql AS $fn$
      BEGIN
        -- The writers' triggers hold this lock shared until they commit; from here on they wait for this
        -- transaction. Another rebuild may have made the list this one before the lock was granted.
        PERFORM pg_advisory_xact_lock(hashtextextended('hiresignal:funnel-days:' || org::text, 0));
        IF (SELECT l.stages FROM funnel_stage_lists l WHERE l.organization_id = org) IS NOT DISTINCT FROM list THEN
          RETURN;
        END IF;
        INSERT INTO funnel_stage_lists AS l (organization_id, stages) VALUES (org, list)
        ON CONFLICT (organization_id) DO UPDATE SET stages = excluded.stages;
        DELETE FROM funnel_day_buckets WHERE organization_id = org;
        DELETE FROM application_stage_days WHERE organization_id = org;
        INSERT INTO application_stage_days (organization_id, application_external_id, position, days, source,
          job_external_id, applied_at)
        SELECT p.organization_id, p.application_external_id, u.i - 1, u.days, p.source, p.job_external_id,
          p.applied_at
        FROM application_stage_paths p
        CROSS JOIN LATERAL unnest(
          funnel_stage_days(list, p.stages, p.entered, p.status, p.applied_at, p.hired_at)
        ) WITH ORDINALITY AS u(days, i)
        WHERE p.organization_id = org AND p.applied_at IS NOT NULL AND u.days IS NOT NULL;
        INSERT INTO funnel_day_buckets (organization_id, position, bucket, source, job_external_id, days, merged)
        SELECT organization_id, position, floor(days * 16) / 16, source, job_external_id, count(*), true
        FROM application_stage_days WHERE organization_id = org
        GROUP BY 1, 2, 3, 4, 5;
      END
      $fn$;

      -- Before a report: the days for its list, and the deltas folded into sums (one merger per organization at a
      -- time, two would lock the same rows in other orders; while one runs, a report reads the deltas as they are,
      -- which it sums anyway).
      CREATE FUNCTION funnel_refresh(org uuid, list text[]) RETURNS void LANGUAGE plpgsql AS $fn$
      BEGIN
        IF (SELECT l.stages FROM funnel_stage_lists l WHERE l.organization_id = org) IS DISTINCT FROM list THEN
          PERFORM funnel_stage_days_rebuild(org, list);
        END IF;
        IF (EXISTS (SELECT FROM funnel_cells c WHERE c.organization_id = org AND NOT c.merged)
            OR EXISTS (SELECT FROM funnel_day_buckets b WHERE b.organization_id = org AND NOT b.merged))
          AND pg_try_advisory_xact_lock(hashtextextended('hiresignal:funnel-merge:' || org::text, 0))
        THEN
          WITH gone AS (DELETE FROM funnel_cells c WHERE c.organization_id = org RETURNING c.*)
          INSERT INTO funnel_cells (organization_id, source, job_external_id, applied_month, status, stages,
            applications, merged)
          SELECT organization_id, source, job_external_id, applied_month, status, stages, sum(applications), true
          FROM gone
          GROUP BY organization_id, source, job_external_id, applied_month, status, stages
          HAVING sum(applications) <> 0;
          WITH gone AS (DELETE FROM funnel_day_buckets b WHERE b.organization_id = org RETURNING b.*)
          INSERT INTO funnel_day_buckets (organization_id, position, bucket, source, job_external_id, days, merged)
          SELECT organization_id, position, bucket, source, job_external_id, sum(days), true
          FROM gone
          GROUP BY organization_id, position, bucket, source, job_external_id
          HAVING sum(days) <> 0;
        END IF;
      END
      $fn$;

      INSERT INTO funnel_cells (organization_id, source, job_external_id, applied_month, status, stages,
        applications, merged)
      SELECT p.organization_id, p.source, p.job_external_id, p.applied_month, p.status, p.stages, count(*), true
      FROM application_stage_paths p
      WHERE p.applied_at IS NOT NULL AND EXISTS (SELECT FROM organizations o WHERE o.id = p.organization_id)
      GROUP BY p.organization_id, p.source, p.job_external_id, p.applied_month, p.status, p.stages;
      ANALYZE funnel_cells;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER application_stage_paths_funnel_delete ON application_stage_paths;
      DROP TRIGGER application_stage_paths_funnel_update ON application_stage_paths;
      DROP TRIGGER application_stage_paths_funnel_insert ON application_stage_paths;
      DROP FUNCTION funnel_refresh(uuid, text[]);
      DROP FUNCTION funnel_stage_days_rebuild(uuid, text[]);
      DROP FUNCTION application_stage_paths_funnel();
      DROP FUNCTION funnel_stage_days(text[], text[], timestamptz[], text, timestamptz, timestamptz);
      DROP INDEX application_stage_paths_applied_idx;
      DROP INDEX application_stage_paths_hires_idx;
      DROP TABLE funnel_day_buckets;
      DROP TABLE application_stage_days;
      DROP TABLE funnel_stage_lists;
      DROP TABLE funnel_cells;
    `);
  }
}
