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
 * The funnel read: one statement over the cohort's rows of application_stage_paths (PRODUCT.md "Funnel
 * definitions"). Only generated text is spliced in (column aliases t1..tK, d0..dK and parameter numbers); values
 * travel as parameters.
 *
 * application_stage_paths (migration 1765500000000) holds per application what the funnel needs of it, kept by
 * triggers when stage events and applications are written: the stage names of its events with their entry times,
 * and the application's status, applied_at, hired_at, source and job. So the read neither groups the events by
 * application nor joins the applications: it maps the stage names to positions in the organization's list here.
 *
 *  - `pa`: the cohort (rows with an application, inside the filters: job, department, source, applied dates), per
 *    application the entry time at each stage of the list (t1..tK; a hire with no event at the last stage enters it
 *    at hired_at), the furthest stage (the furthest stage of the list with an event; a hire has reached the last
 *    stage, K), per stage i the days in stage d_i (for an application that advanced from i, furthest > i, and has
 *    an event at i (applied: applied_at), the days from entering i to the earliest event at a later stage), the
 *    number of its events on stages not in the list, and those stage names (only where there are any: `<@` the
 *    list tells, so the names of the others never leave the scan). Two subqueries with OFFSET 0 fence the levels:
 *    flattened, every reference to t_j in the d_i would repeat its array_position lookup (K^2 of them a row);
 *  - `few`: the hires and the applications with unmapped events, from one more scan of pa;
 *  - `quality`: the cohort's hires with their latest review's rating and the success outcome (1/0; null when
 *    unknown, with too_recent);
 *  - the rows: 'total' (percentiles, time to hire, offer acceptance), 'shape' (applications per furthest stage
 *    and status, from which funnel-report.ts sums reached, advanced, exited and in progress per stage), 'group'
 *    (by source, job, department and application month, with the hires' quality: the cohort counted per source,
 *    job and month first, then those few rows and the hires grouped by each dimension), 'unmapped' (the cohort's
 *    events per unmapped stage name).
 */
export function funnelSql(filters: FunnelFilters, options: FunnelSqlOptions, p: Params): string {
  const k = options.stages.length;
  const stagesParam = p.add(options.stages, '::text[]');
  const stageParams = options.stages.map((s) => p.add(s, '::text'));
  const where = ['sp.organization_id = $1', 'sp.applied_at IS NOT NULL'];
  if (filters.jobId !== undefined) where.push(`sp.job_external_id = ${p.add(filters.jobId)}`);
  if (filters.source !== undefined) where.push(`sp.source = ${p.add(filters.source)}`);
  if (filters.department !== undefined) {
    where.push(`sp.job_external_id IN (
      SELECT j.external_id FROM jobs j WHERE j.organization_id = $1 AND j.department = ${p.add(filters.department)})`);
  }
  const { from, to } = appliedDateBounds(filters);
  if (from) where.push(`sp.applied_at >= ${p.add(from, '::timestamptz')}`);
  if (to) where.push(`sp.applied_at < ${p.add(to, '::timestamptz')}`);
  const asOf = p.add(options.asOf.toISOString(), '::timestamptz');
  const threshold = p.add(options.successThreshold, '::float8');

  const positions = Array.from({ length: k }, (_, i) => i + 1);
  // Each stage name appears at most once in a path (stage_events is unique per application and stage).
  const evTimes = positions.map(
    (i) => `sp.entered[array_position(sp.stages, ${stageParams[i - 1]})] AS e${i}`,
  );
  // The furthest mapped stage with an event; a hire has reached the last stage whatever its events.
  const top = positions
    .slice()
    .reverse()
    .map((i) => `WHEN x.e${i} IS NOT NULL THEN ${i}`)
    .join(' ');
  const furthest = k === 0 ? '0' : `CASE WHEN x.status = 'hired' THEN ${k} ${top} ELSE 0 END`;
  const mapped = k === 0 ? '0' : `num_nonnulls(${positions.map((i) => `x.e${i}`).join(', ')})`;
  // t0 is applied_at; the last stage's time falls back to hired_at for a hire without an event there.
  const times = positions.map((i) =>
    i === k
      ? `COALESCE(x.e${i}, CASE WHEN x.status = 'hired' THEN x.hired_at END) AS t${i}`
      : `x.e${i} AS t${i}`,
  );
  const days = [0, ...positions].map((i) => {
    const later = positions.filter((j) => j > i).map((j) => `t${j}`);
    if (later.length === 0) return `NULL::float8 AS d${i}`;
    const next = later.length === 1 ? later[0] : `LEAST(${later.join(', ')})`;
    return `CASE WHEN furthest > ${i} AND t${i} IS NOT NULL
        THEN date_part('epoch', ${next} - t${i}) / 86400 END AS d${i}`;
  });
  const stageAggregates = [0, ...positions].flatMap((i) => [
    `count(d${i}) AS days_n${i}`,
    `percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY d${i}) AS days_q${i}`,
  ]);

  return `
    WITH pa AS MATERIALIZED (
      SELECT y.*, ${days.join(',\n        ')}
      FROM (
        SELECT x.app, x.status, x.applied_at, x.month, x.hired_at, x.source, x.job, x.applied_at AS t0,
          ${furthest} AS furthest,
          CASE WHEN x.unmapped_stages IS NULL THEN 0 ELSE cardinality(x.unmapped_stages) - ${mapped} END
            AS n_unmapped,
          x.unmapped_stages${times.map((t) => `,\n          ${t}`).join('')}
        FROM (
          SELECT sp.application_external_id AS app, sp.status, sp.applied_at, sp.applied_month AS month,
            sp.hired_at, sp.source, sp.job_external_id AS job,
            CASE WHEN NOT sp.stages <@ ${stagesParam} THEN sp.stages END AS unmapped_stages${evTimes.map((t) => `,\n            ${t}`).join('')}
          FROM application_stage_paths sp
          WHERE ${where.join(' AND ')}
          OFFSET 0
        ) x
        OFFSET 0
      ) y
    ),
    -- The few rows the hires' quality and the unmapped stages need, in one scan of pa.
    few AS MATERIALIZED (
      SELECT pa.app, pa.status, pa.source, pa.job, pa.month, pa.hired_at, pa.unmapped_stages
      FROM pa WHERE pa.status = 'hired' OR pa.unmapped_stages IS NOT NULL
    ),
    latest AS (
      SELECT DISTINCT ON (pr.application_external_id) pr.application_external_id AS app, pr.rating
      FROM performance_reviews pr
      WHERE pr.organization_id = $1
      ORDER BY pr.application_external_id, pr.review_date DESC
    ),
    quality AS (
      SELECT h.source, h.job, h.month, l.rating,
        CASE
          WHEN h.hired_at IS NULL OR h.hired_at + ${JUDGEMENT_INTERVAL} > ${asOf} THEN NULL
          WHEN h.lost THEN 0
          WHEN l.rating IS NULL THEN NULL
          WHEN l.rating >= ${threshold} THEN 1 ELSE 0
        END AS success,
        h.hired_at IS NOT NULL AND (
          h.hired_at + ${JUDGEMENT_INTERVAL} > ${asOf} OR (l.rating IS NULL AND NOT h.lost)
        ) AS too_recent
      FROM (
        SELECT f.app, f.source, f.job, f.month, f.hired_at,
          COALESCE(sep.separated_at <= f.hired_at + ${JUDGEMENT_INTERVAL}
            AND sep.separation_type IN ('involuntary', 'voluntary_regretted'), false) AS lost
        FROM few f
        LEFT JOIN separations sep ON sep.organization_id = $1 AND sep.application_external_id = f.app
        WHERE f.status = 'hired'
      ) h
      LEFT JOIN latest l ON l.app = h.app
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
    -- The cohort counted per source, job, application month, furthest stage and status (a few thousand rows at
    -- most): the 'shape' rows and the group counts are sums of these.
    cells AS (
      SELECT pa.source, pa.job, pa.month, pa.furthest, pa.status, count(*) AS n
      FROM pa
      GROUP BY 1, 2, 3, 4, 5
    ),
    shape AS (
      SELECT furthest, status, sum(n)::bigint AS n FROM cells GROUP BY furthest, status
    ),
    -- Those cells and the hires' quality rows, grouped by each dimension.
    facts AS (
      SELECT c.source, c.job, c.month, c.n AS applications,
        CASE WHEN c.status = 'hired' THEN c.n ELSE 0 END AS hires,
        CASE WHEN c.status = 'active' THEN c.n ELSE 0 END AS in_progress,
        NULL::float8 AS rating, NULL::int AS success, false AS too_recent
      FROM cells c
      UNION ALL
      SELECT q.source, q.job, q.month, 0, 0, 0, q.rating, q.success, q.too_recent FROM quality q
    ),
    grouped AS (
      SELECT
        CASE
          WHEN grouping(c.source) = 0 THEN 'source'
          WHEN grouping(c.job) = 0 THEN 'job'
          WHEN grouping(j.department) = 0 THEN 'department'
          ELSE 'month'
        END AS dimension,
        COALESCE(c.source, c.job, j.department, to_char(c.month, 'YYYY-MM')) AS key,
        max(j.title) AS job_title,
        sum(c.applications)::bigint AS applications,
        sum(c.hires)::bigint AS hires,
        sum(c.in_progress)::bigint AS in_progress,
        count(c.rating) AS rating_n, avg(c.rating)::float8 AS rating_mean,
        count(c.success) AS success_n, COALESCE(sum(c.success), 0) AS successes,
        count(*) FILTER (WHERE c.too_recent) AS too_recent
      FROM facts c
      LEFT JOIN jobs j ON j.organization_id = $1 AND j.external_id = c.job
      GROUP BY GROUPING SETS ((c.source), (c.job), (j.department), (c.month))
    ),
    unmapped AS (
      SELECT s.stage, count(*) AS events
      FROM few f, unnest(f.unmapped_stages) AS s(stage)
      WHERE f.unmapped_stages IS NOT NULL AND array_position(${stagesParam}, s.stage) IS NULL
      GROUP BY s.stage
    )
    SELECT 'total' AS kind, row_to_json(total) AS data FROM total
    UNION ALL SELECT 'shape', row_to_json(shape) FROM shape
    UNION ALL SELECT 'group', row_to_json(grouped) FROM grouped
    UNION ALL SELECT 'unmapped', row_to_json(unmapped) FROM unmapped`;
}
