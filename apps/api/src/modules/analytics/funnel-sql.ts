import type { FunnelFilters } from '@hiresignal/shared';
import { Params } from './analytics-sql';
import { appliedDateBounds } from './funnel-filters';

/** Success is judged over the first 365 days after hire: exactly 365 x 24 hours, as outcomes.ts. */
const JUDGEMENT_INTERVAL = `interval '8760 hours'`;

/** The percentiles of days in stage and time to hire: median and 90th (PRODUCT.md "Funnel definitions"). */
const PERCENTILES = 'ARRAY[0.5, 0.9]::float8[]';

export interface FunnelSqlOptions {
  /** The ordered pipeline stages (positions 1..K; position 0 is the implicit 'applied' step). */
  stages: string[];
  successThreshold: number;
  /** Judgement day of the success outcome. */
  asOf: Date;
}

/**
 * The funnel read: one statement over the write-time summaries of migrations 1765500000000 and 1766000000000
 * (PRODUCT.md "Funnel definitions"). Only generated text is spliced in (stage positions and parameter numbers);
 * values travel as parameters.
 *
 *  - `cohort`: the cohort's applications counted per (source, job, application month, status, set of stage names
 *    with an event), read from funnel_cells, whose rows are sums or not yet folded deltas of such counts (so every
 *    use below sums them). With an applied-date filter, the months only partly inside it are counted from their
 *    applications' rows of application_stage_paths instead;
 *  - `placed`: the cohort per set of stage names and status, with its furthest stage of the list (the last stage
 *    with an event; a hire has reached the last stage, K): a few dozen rows stand for 200,000 applications. The
 *    counts per furthest stage and status, and the unmapped events, are sums of these;
 *  - `hires`: the cohort's hires (a partial index of application_stage_paths), for time to hire and, with their
 *    latest review's rating and separation, the hires' quality (`quality`: success 1/0, null when unknown, with
 *    too_recent), summed per source, job and month before the grouping;
 *  - `days`: per stage position 0..K-1 the number of days in stage and their median and 90th percentile, by
 *    linear interpolation between the order statistics at h = p (n - 1) (as percentile_cont and numpy's
 *    default), from application_stage_days (kept for the list funnel_stage_lists records, which funnel_refresh makes
 *    this list). A cohort chosen by job, department or source, or the whole organization, reads only the order
 *    statistics, from the index of each position's days at the 1/16-day bucket that funnel_day_buckets' counts place
 *    them in (daysFromBucketsSql); a cohort chosen by applied date reads its range of the days into percentile_cont;
 *  - the rows: 'total' (counts, time to hire, and the list the days were read for, which the caller checks),
 *    'days', 'shape' (applications per furthest stage and status, from which funnel-report.ts sums reached,
 *    advanced, exited and in progress per stage), 'group' (by source, job, department and application month, with
 *    the hires' quality), 'unmapped' (the cohort's events per stage name not in the list).
 */
export function funnelSql(filters: FunnelFilters, options: FunnelSqlOptions, p: Params): string {
  const k = options.stages.length;
  const list = p.add(options.stages, '::text[]');
  const job = filters.jobId === undefined ? null : p.add(filters.jobId);
  const source = filters.source === undefined ? null : p.add(filters.source);
  const department = filters.department === undefined ? null : p.add(filters.department);
  const bounds = appliedDateBounds(filters);
  const from = bounds.from ? p.add(bounds.from, '::timestamptz') : null;
  const to = bounds.to ? p.add(bounds.to, '::timestamptz') : null;
  const asOf = p.add(options.asOf.toISOString(), '::timestamptz');
  const threshold = p.add(options.successThreshold, '::float8');

  /** The job, department and source filters on a table with source and job_external_id columns. */
  const inScope = (t: string) => {
    const where = [`${t}.organization_id = $1`];
    if (job) where.push(`${t}.job_external_id = ${job}`);
    if (source) where.push(`${t}.source = ${source}`);
    if (department) {
      where.push(`${t}.job_external_id IN (
        SELECT j.external_id FROM jobs j WHERE j.organization_id = $1 AND j.department = ${department})`);
    }
    return where;
  };
  /** The applied-date filters on an applied_at column. */
  const applied = (column: string) => [
    ...(from ? [`${column} >= ${from}`] : []),
    ...(to ? [`${column} < ${to}`] : []),
  ];
  // The cohort's whole months are read from funnel_cells; the days before the first and after the last whole month
  // (or every day, when no month lies wholly inside the filters) from their applications' paths.
  const split = splitByMonth(bounds.from, bounds.to);
  const months = (column: string) =>
    split.whole
      ? [
          ...(split.whole.from ? [`${column} >= ${p.add(split.whole.from, '::timestamp')}`] : []),
          ...(split.whole.to ? [`${column} < ${p.add(split.whole.to, '::timestamp')}`] : []),
        ]
      : ['false'];
  const partMonths = split.parts
    .map(
      (part) => `
      UNION ALL
      SELECT sp.source, sp.job_external_id, sp.applied_month, sp.status, sp.stages, count(*)
      FROM application_stage_paths sp
      WHERE ${[...inScope('sp'), `sp.applied_at >= ${p.add(part.from, '::timestamptz')}`, `sp.applied_at < ${p.add(part.to, '::timestamptz')}`].join(' AND ')}
      GROUP BY 1, 2, 3, 4, 5`,
    )
    .join('');

  return `
    WITH cohort AS MATERIALIZED (
      SELECT c.source, c.job_external_id AS job, c.applied_month AS month, c.status, c.stages,
        c.applications::bigint AS n
      FROM funnel_cells c
      WHERE ${[...inScope('c'), ...months('c.applied_month')].join(' AND ')}${partMonths}
    ),
    -- The cohort per set of stage names and status (a few dozen rows), each with its furthest stage of the list.
    placed AS (
      SELECT x.*,
        CASE WHEN x.status = 'hired' THEN ${k}
          ELSE COALESCE((SELECT max(array_position(${list}, s)) FROM unnest(x.stages) s), 0)
        END AS furthest
      FROM (SELECT c.stages, c.status, sum(c.n) AS n FROM cohort c GROUP BY c.stages, c.status) x
    ),
    hires AS MATERIALIZED (
      SELECT sp.application_external_id AS app, sp.source, sp.job_external_id AS job, sp.applied_month AS month,
        sp.applied_at, sp.hired_at
      FROM application_stage_paths sp
      WHERE ${[...inScope('sp'), `sp.status = 'hired'`, ...applied('sp.applied_at')].join(' AND ')}
    ),
    latest AS (
      SELECT DISTINCT ON (pr.application_external_id) pr.application_external_id AS app, pr.rating
      FROM performance_reviews pr
      WHERE pr.organization_id = $1 AND pr.application_external_id IN (SELECT h.app FROM hires h)
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
        FROM hires f
        LEFT JOIN separations sep ON sep.organization_id = $1 AND sep.application_external_id = f.app
      ) h
      LEFT JOIN latest l ON l.app = h.app
    ),
    unmapped AS (
      SELECT s.stage, sum(c.n) AS events
      FROM placed c, unnest(c.stages) AS s(stage)
      WHERE array_position(${list}, s.stage) IS NULL
      GROUP BY s.stage
      HAVING sum(c.n) <> 0
    ),
    total AS (
      SELECT COALESCE(sum(c.n), 0) AS applications,
        (SELECT COALESCE(sum(u.events), 0) FROM unmapped u) AS unmapped_events,
        COALESCE(sum(c.n) FILTER (WHERE c.status = 'hired'), 0) AS hired,
        COALESCE(sum(c.n) FILTER (WHERE c.status = 'offer_declined'), 0) AS declined,
        (SELECT count(h.hired_at) FROM hires h) AS time_to_hire_n,
        (SELECT percentile_cont(${PERCENTILES}) WITHIN GROUP (
          ORDER BY date_part('epoch', h.hired_at - h.applied_at) / 86400) FROM hires h) AS time_to_hire_q,
        (SELECT l.stages FROM funnel_stage_lists l WHERE l.organization_id = $1) AS days_stages
      FROM placed c
    ),
    shape AS (
      SELECT furthest, status, sum(n) AS n FROM placed GROUP BY furthest, status HAVING sum(n) <> 0
    ),
    -- Per source, job and month: the cohort's counts, and its hires' quality; then grouped by each dimension.
    facts AS (
      SELECT c.source, c.job, c.month, sum(c.n) AS applications,
        COALESCE(sum(c.n) FILTER (WHERE c.status = 'hired'), 0) AS hires,
        COALESCE(sum(c.n) FILTER (WHERE c.status = 'active'), 0) AS in_progress,
        0 AS rating_n, 0::float8 AS rating_sum, 0 AS success_n, 0 AS successes, 0 AS too_recent
      FROM cohort c
      GROUP BY c.source, c.job, c.month
      UNION ALL
      SELECT q.source, q.job, q.month, 0, 0, 0, count(q.rating), COALESCE(sum(q.rating), 0), count(q.success),
        COALESCE(sum(q.success), 0), count(*) FILTER (WHERE q.too_recent)
      FROM quality q
      GROUP BY q.source, q.job, q.month
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
        sum(c.applications) AS applications,
        sum(c.hires) AS hires,
        sum(c.in_progress) AS in_progress,
        sum(c.rating_n) AS rating_n, sum(c.rating_sum) / NULLIF(sum(c.rating_n), 0)::float8 AS rating_mean,
        sum(c.success_n) AS success_n, sum(c.successes) AS successes,
        sum(c.too_recent) AS too_recent
      FROM facts c
      LEFT JOIN jobs j ON j.organization_id = $1 AND j.external_id = c.job
      GROUP BY GROUPING SETS ((c.source), (c.job), (j.department), (c.month))
      HAVING sum(c.applications) <> 0
    )${k > 0 ? `,\n    days AS (${from || to ? daysByAppliedDateSql((t) => [...inScope(t), ...applied(`${t}.applied_at`)]) : daysFromBucketsSql(inScope)}\n    )` : ''}
    SELECT 'total' AS kind, row_to_json(total) AS data FROM total${k > 0 ? `\n    UNION ALL SELECT 'days', row_to_json(days) FROM days` : ''}
    UNION ALL SELECT 'shape', row_to_json(shape) FROM shape
    UNION ALL SELECT 'group', row_to_json(grouped) FROM grouped
    UNION ALL SELECT 'unmapped', row_to_json(unmapped) FROM unmapped`;
}

/**
 * Days in stage of a cohort chosen by applied date (and perhaps job, department or source): one read of the cohort's
 * range of application_stage_days' primary key (applied date first), grouped by position, into percentile_cont.
 */
function daysByAppliedDateSql(where: (table: string) => string[]): string {
  return `
      SELECT d.position, count(*) AS n,
        percentile_cont(${PERCENTILES}) WITHIN GROUP (ORDER BY d.days) AS q
      FROM application_stage_days d
      WHERE ${where('d').join(' AND ')}
      GROUP BY d.position`;
}

/**
 * Days in stage of a cohort chosen by job, department or source, or of the whole organization, reading only the
 * order statistics. percentile_cont's definition (PostgreSQL's orderedsetaggs.c): with h = p (n - 1), the values
 * x_lo and x_hi at 0-based ranks floor(h) and ceil(h), the result is x_lo + ((h - floor(h)) * (x_hi - x_lo)), or x_lo
 * when they are the same rank; written here in the same float8 operations, so the figures are the same to the last
 * bit. funnel_day_buckets counts each position's days per bucket, source and job: the cohort's bucket that holds rank
 * floor(h) is the one whose running count passes it, and the index is read from that bucket's lower bound, skipping
 * the cohort's days of that bucket below the rank.
 */
function daysFromBucketsSql(where: (table: string) => string[]): string {
  return `
      WITH buckets AS (
        SELECT b.position, b.bucket, sum(b.days)::float8 AS n
        FROM funnel_day_buckets b
        WHERE ${where('b').join(' AND ')}
        GROUP BY b.position, b.bucket
        HAVING sum(b.days) <> 0
      ),
      counted AS (
        SELECT b.position, b.bucket, sum(b.n) OVER (PARTITION BY b.position ORDER BY b.bucket) - b.n AS below,
          sum(b.n) OVER (PARTITION BY b.position ORDER BY b.bucket) AS upto,
          sum(b.n) OVER (PARTITION BY b.position) AS n
        FROM buckets b
      ),
      ranks AS (
        SELECT c.position, c.n, q.p, q.h, c.bucket, floor(q.h) - c.below AS skip
        FROM counted c
        CROSS JOIN LATERAL (SELECT p, p * (c.n - 1) AS h FROM unnest(${PERCENTILES}) AS p) q
        WHERE floor(q.h) >= c.below AND floor(q.h) < c.upto
      ),
      ranked AS (
        SELECT r.position, r.n, r.p, r.h, v.lo, v.hi
        FROM ranks r
        CROSS JOIN LATERAL (
          SELECT min(s.days) AS lo, max(s.days) AS hi
          FROM (
            SELECT d.days FROM application_stage_days d
            WHERE ${[...where('d'), 'd.position = r.position', 'd.days >= r.bucket'].join(' AND ')}
            ORDER BY d.days
            OFFSET r.skip::bigint LIMIT 2
          ) s
        ) v
      )
      SELECT r.position, r.n,
        array_agg(CASE WHEN ceil(r.h) > floor(r.h) THEN r.lo + ((r.h - floor(r.h)) * (r.hi - r.lo)) ELSE r.lo END
          ORDER BY r.p) AS q
      FROM ranked r
      GROUP BY r.position, r.n`;
}

/** A UTC instant (ISO) as the timestamp of the start of its month, or of the next month when it is not a month start. */
function monthStart(iso: string, roundUp: boolean): string {
  const d = new Date(iso);
  const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const month = roundUp && start < d.getTime() ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) : start;
  return new Date(month).toISOString().slice(0, 19);
}

/**
 * The half-open applied-date range [from, to) (null: open) as the application months wholly inside it (a range of
 * month starts, [whole.from, whole.to); null when there is none) and the instants of the range outside those months
 * (at most two ranges, before and after them; the whole range when no month fits).
 */
export function splitByMonth(
  from: string | null,
  to: string | null,
): { whole: { from: string | null; to: string | null } | null; parts: { from: string; to: string }[] } {
  const first = from ? monthStart(from, true) : null;
  const end = to ? monthStart(to, false) : null;
  if (from && to && first && end && first >= end) return { whole: null, parts: [{ from, to }] };
  const parts: { from: string; to: string }[] = [];
  if (from && first && new Date(`${first}Z`).getTime() > new Date(from).getTime()) {
    parts.push({ from, to: `${first}.000Z` });
  }
  if (to && end && new Date(`${end}Z`).getTime() < new Date(to).getTime()) {
    parts.push({ from: `${end}.000Z`, to });
  }
  return { whole: { from: first, to: end }, parts };
}
