import type { FunnelFilters } from '@hiresignal/shared';
import { Params } from './analytics-sql';
import { appliedDateBounds } from './funnel-filters';

/** Success is judged over the first 365 days after hire: exactly 365 x 24 hours, as outcomes.ts. */
const JUDGEMENT_INTERVAL = `interval '8760 hours'`;

export interface FunnelSqlOptions {
  /** The ordered pipeline stages (positions 1..K; position 0 is the implicit 'applied' step). */
  stages: string[];
  successThreshold: number;
  /** Judgement day of the success outcome. */
  asOf: Date;
}

/**
 * The funnel read: one statement, one pass over the cohort's stage events (PRODUCT.md "Funnel definitions"). Only
 * generated text is spliced in (column aliases t1..tK, d0..dK and parameter numbers); values travel as parameters.
 *
 *  - `ev`: per application, from its stage events: the position of its furthest mapped stage, the entry time at
 *    each stage of the list (t1..tK) and the number of its events on stages not in the list. Without filters
 *    beyond the organization it groups all of the organization's events with no join before the aggregate; with
 *    filters the events are first restricted to the cohort by a semi-join. No array_agg: PostgreSQL 15 cannot
 *    combine it across parallel workers, and the array form measured slower (bench/funnel/README.md);
 *  - `latest`: per application, its latest review's rating;
 *  - `pa`: the cohort (applications inside the filters: job, department, source, applied dates) with job and
 *    department, the furthest stage (a hire has reached the last stage, K), the entry times with a hire that has
 *    no event at the last stage entering it at hired_at, per stage i the days in stage d_i (for an application
 *    that advanced from i, furthest > i, and has an event at i (applied: applied_at), the days from entering i to
 *    the earliest event at a later stage), and for hires the quality: the latest rating and the success outcome
 *    (1/0; null when unknown, with too_recent). All joins are hash joins on the application key;
 *  - the rows: 'total' (percentiles, time to hire, offer acceptance), 'shape' (applications per furthest stage
 *    and status, from which funnel-report.ts sums reached, advanced, exited and in progress per stage), 'group'
 *    (by source, job, department and application month, with the hires' quality), 'unmapped' (the cohort's
 *    events per unmapped stage name).
 */
export function funnelSql(filters: FunnelFilters, options: FunnelSqlOptions, p: Params): string {
  const k = options.stages.length;
  const stagesParam = p.add(options.stages, '::text[]');
  const where = ['a.organization_id = $1'];
  if (filters.jobId !== undefined) where.push(`a.job_external_id = ${p.add(filters.jobId)}`);
  if (filters.source !== undefined) where.push(`a.source = ${p.add(filters.source)}`);
  if (filters.department !== undefined) where.push(`j.department = ${p.add(filters.department)}`);
  const { from, to } = appliedDateBounds(filters);
  if (from) where.push(`a.applied_at >= ${p.add(from, '::timestamptz')}`);
  if (to) where.push(`a.applied_at < ${p.add(to, '::timestamptz')}`);
  const asOf = p.add(options.asOf.toISOString(), '::timestamptz');
  const threshold = p.add(options.successThreshold, '::float8');

  const positions = Array.from({ length: k }, (_, i) => i + 1);
  const evTimes = positions.map((i) => `min(x.entered_at) FILTER (WHERE x.idx = ${i}) AS t${i}`);
  // t0 is applied_at; the last stage's time falls back to hired_at for a hire without an event there.
  const paTimes = positions.map((i) =>
    i === k ? `COALESCE(ev.t${i}, CASE WHEN a.status = 'hired' THEN a.hired_at END) AS t${i}` : `ev.t${i}`,
  );
  const days = [0, ...positions].map((i) => {
    const later = positions.filter((j) => j > i).map((j) => `t${j}`);
    if (later.length === 0) return `NULL::float8 AS d${i}`;
    const next = later.length === 1 ? later[0] : `LEAST(${later.join(', ')})`;
    return `CASE WHEN furthest > ${i} AND t${i} IS NOT NULL
        THEN date_part('epoch', ${next} - t${i}) / 86400 END AS d${i}`;
  });
  // Reached, advanced, exited and in progress per stage follow from the 'shape' rows (applications per furthest
  // stage and status; funnel-report.ts sums them): one small hash aggregate instead of four filtered counts a stage.
  const stageAggregates = [0, ...positions].flatMap((i) => [
    `count(d${i}) AS days_n${i}`,
    `percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY d${i}) AS days_q${i}`,
  ]);
  // The cohort as a semi-join on the events.
  const cohortApps = `AND e.application_external_id IN (
          SELECT a.external_id FROM applications a
          LEFT JOIN jobs j ON j.organization_id = a.organization_id AND j.external_id = a.job_external_id
          WHERE ${where.join(' AND ')})`;
  const eventsOfCohort = where.length > 1 ? cohortApps : '';

  return `
    WITH ev AS (
      SELECT x.app, max(x.idx) AS top${evTimes.map((t) => `,\n        ${t}`).join('')},
        count(*) - count(x.idx) AS n_unmapped
      FROM (
        SELECT e.application_external_id AS app, e.entered_at, array_position(${stagesParam}, e.stage) AS idx
        FROM stage_events e
        WHERE e.organization_id = $1 ${eventsOfCohort}
      ) x
      GROUP BY x.app
    ),
    latest AS (
      SELECT DISTINCT ON (pr.application_external_id) pr.application_external_id AS app, pr.rating
      FROM performance_reviews pr
      WHERE pr.organization_id = $1
      ORDER BY pr.application_external_id, pr.review_date DESC
    ),
    pa AS MATERIALIZED (
      SELECT y.*, ${days.join(',\n        ')},
        CASE WHEN y.status = 'hired' THEN y.latest_rating END AS rating,
        CASE
          WHEN y.status <> 'hired' THEN NULL
          WHEN y.hired_at IS NULL OR y.hired_at + ${JUDGEMENT_INTERVAL} > ${asOf} THEN NULL
          WHEN y.lost THEN 0
          WHEN y.latest_rating IS NULL THEN NULL
          WHEN y.latest_rating >= ${threshold} THEN 1 ELSE 0
        END AS success,
        y.status = 'hired' AND y.hired_at IS NOT NULL AND (
          y.hired_at + ${JUDGEMENT_INTERVAL} > ${asOf} OR (y.latest_rating IS NULL AND NOT y.lost)
        ) AS too_recent
      FROM (
        SELECT a.external_id AS app, a.status, a.applied_at, a.hired_at, a.source, a.job_external_id AS job,
          j.title AS job_title, j.department, a.applied_at AS t0,
          CASE WHEN a.status = 'hired' THEN ${k} ELSE COALESCE(ev.top, 0) END AS furthest,
          COALESCE(ev.n_unmapped, 0) AS n_unmapped,
          l.rating AS latest_rating,
          COALESCE(sp.separated_at <= a.hired_at + ${JUDGEMENT_INTERVAL}
            AND sp.separation_type IN ('involuntary', 'voluntary_regretted'), false) AS lost${paTimes
              .map((t) => `,\n          ${t}`)
              .join('')}
        FROM applications a
        LEFT JOIN jobs j ON j.organization_id = a.organization_id AND j.external_id = a.job_external_id
        LEFT JOIN ev ON ev.app = a.external_id
        LEFT JOIN latest l ON l.app = a.external_id AND a.status = 'hired'
        LEFT JOIN separations sp ON sp.organization_id = $1 AND sp.application_external_id = a.external_id
          AND a.status = 'hired'
        WHERE ${where.join(' AND ')}
      ) y
    ),
    total AS (
      SELECT count(*) AS applications, COALESCE(sum(n_unmapped), 0) AS unmapped_events,
        count(*) FILTER (WHERE status = 'hired') AS hired,
        count(*) FILTER (WHERE status = 'offer_declined') AS declined,
        count(hired_at) FILTER (WHERE status = 'hired') AS time_to_hire_n,
        percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (
          ORDER BY CASE WHEN status = 'hired' THEN date_part('epoch', hired_at - applied_at) / 86400 END
        ) AS time_to_hire_q,
        ${stageAggregates.join(',\n        ')}
      FROM pa
    ),
    shape AS (
      SELECT furthest, status, count(*) AS n FROM pa GROUP BY furthest, status
    ),
    grouped AS (
      SELECT
        CASE
          WHEN grouping(pa.source) = 0 THEN 'source'
          WHEN grouping(pa.job) = 0 THEN 'job'
          WHEN grouping(pa.department) = 0 THEN 'department'
          ELSE 'month'
        END AS dimension,
        COALESCE(pa.source, pa.job, pa.department,
          to_char(date_trunc('month', pa.applied_at AT TIME ZONE 'UTC'), 'YYYY-MM')) AS key,
        max(pa.job_title) AS job_title,
        count(*) AS applications,
        count(*) FILTER (WHERE pa.status = 'hired') AS hires,
        count(*) FILTER (WHERE pa.status = 'active') AS in_progress,
        count(pa.rating) AS rating_n, avg(pa.rating)::float8 AS rating_mean,
        count(pa.success) AS success_n, COALESCE(sum(pa.success), 0) AS successes,
        count(*) FILTER (WHERE pa.too_recent) AS too_recent
      FROM pa
      -- The month is grouped as a timestamp and formatted once per group (to_char per row cost 0.3 s of 200,000).
      GROUP BY GROUPING SETS ((pa.source), (pa.job), (pa.department),
        (date_trunc('month', pa.applied_at AT TIME ZONE 'UTC')))
    ),
    unmapped AS (
      SELECT e.stage, count(*) AS events
      FROM stage_events e
      WHERE e.organization_id = $1 AND array_position(${stagesParam}, e.stage) IS NULL ${cohortApps}
      GROUP BY e.stage
    )
    SELECT 'total' AS kind, row_to_json(total) AS data FROM total
    UNION ALL SELECT 'shape', row_to_json(shape) FROM shape
    UNION ALL SELECT 'group', row_to_json(grouped) FROM grouped
    UNION ALL SELECT 'unmapped', row_to_json(unmapped) FROM unmapped`;
}
