import type { AnalyticsFilters } from '@hiresignal/shared';
import { hireDateBounds } from './analytics-filters';

/*
 * SQL builders for the analytics reads. Values always travel as parameters; the only text spliced into SQL is
 * generated here (column aliases c0..cN and parameter numbers), never user input.
 */

/** Parameters of one statement; $1 is always the organization. */
export class Params {
  readonly values: unknown[];
  constructor(organizationId: string) {
    this.values = [organizationId];
  }
  add(value: unknown, cast = ''): string {
    this.values.push(value);
    return `$${this.values.length}${cast}`;
  }
}

/**
 * The applications inside the filters (job, department, source). Hire-date filters are not applied here: they
 * restrict the hired sample only, so the applicant pool stays every scored application of the filtered jobs.
 */
export function filteredApplicationsSql(filters: AnalyticsFilters, p: Params): string {
  const where = ['a.organization_id = $1'];
  let join = '';
  if (filters.jobId !== undefined) where.push(`a.job_external_id = ${p.add(filters.jobId)}`);
  if (filters.source !== undefined) where.push(`a.source = ${p.add(filters.source)}`);
  if (filters.department !== undefined) {
    join = 'JOIN jobs j ON j.organization_id = a.organization_id AND j.external_id = a.job_external_id';
    where.push(`j.department = ${p.add(filters.department)}`);
  }
  return `SELECT a.external_id, a.status, a.hired_at FROM applications a ${join} WHERE ${where.join(' AND ')}`;
}

/** ` AND <column> >= from AND <column> < to` for the hire-date filters (empty when none). */
export function hireDateSql(filters: AnalyticsFilters, column: string, p: Params): string {
  const { from, to } = hireDateBounds(filters);
  let sql = '';
  if (from) sql += ` AND ${column} >= ${p.add(from, '::timestamptz')}`;
  if (to) sql += ` AND ${column} < ${p.add(to, '::timestamptz')}`;
  return sql;
}

export interface RubricRef {
  name: string;
  version: number;
  criteria: string[];
}

/**
 * The validity read, one statement and one pass over application_score_vectors (per application its criterion
 * scores, each the mean over interviewers, kept in step with interview_scores by triggers):
 *  - `s`: per application, the candidate criterion score of each rubric criterion, c0..cK-1, picked from the
 *    application's vector by position (null where the criterion was not scored);
 *  - `p`: those applications inside the filters, with the composite (mean of the scored criteria);
 *  - the first rows: the hired sample (status hired, inside the hire-date filters) with latest rating and separation;
 *  - the last row: the applicant pool's sufficient statistics (counts, n-1 SDs, pairwise-complete correlations).
 */
export function validitySql(filters: AnalyticsFilters, rubric: RubricRef, p: Params): string {
  const apps = filteredApplicationsSql(filters, p);
  const name = p.add(rubric.name);
  const version = p.add(rubric.version, '::int');
  const k = rubric.criteria.length;
  const cols = rubric.criteria.map((_, i) => `c${i}`);
  const perCriterion = rubric.criteria
    .map((key, i) => `v.means[array_position(v.criteria, ${p.add(key)})] AS c${i}`)
    .join(',\n        ');
  const keys = p.add(rubric.criteria, '::text[]');
  const compositeSum = cols.map((c) => `COALESCE(s.${c}, 0)`).join(' + ');
  const compositeCount = cols.map((c) => `(s.${c} IS NOT NULL)::int`).join(' + ');
  const poolAggregates = [
    'count(*) AS n_applicants',
    ...cols.flatMap((c, i) => [`count(${c}) AS n${i}`, `stddev_samp(${c}) AS sd${i}`]),
    `count(comp) AS n${k}`,
    `stddev_samp(comp) AS sd${k}`,
  ];
  for (let i = 0; i < k; i++) {
    for (let j = i + 1; j < k; j++) {
      poolAggregates.push(`corr(c${i}, c${j}) AS r${i}_${j}`, `regr_count(c${i}, c${j}) AS n${i}_${j}`);
    }
  }
  const hireDates = hireDateSql(filters, 'p.hired_at', p);
  // f is not materialized: it is read once, and inlined the planner hashes the applications table directly.
  return `
    WITH f AS (${apps}),
    s AS (
      SELECT v.application_external_id AS app,
        ${perCriterion}
      FROM application_score_vectors v
      WHERE v.organization_id = $1 AND v.rubric_name = ${name} AND v.rubric_version = ${version}
        AND v.criteria && ${keys}
    ),
    p AS MATERIALIZED (
      SELECT f.external_id AS app, f.status, f.hired_at, ${cols.map((c) => `s.${c}`).join(', ')},
        (${compositeSum}) / NULLIF(${compositeCount}, 0) AS comp
      FROM s JOIN f ON f.external_id = s.app
    ),
    hires AS MATERIALIZED (SELECT * FROM p WHERE p.status = 'hired'${hireDates}),
    latest AS (
      SELECT DISTINCT ON (pr.application_external_id) pr.application_external_id AS app, pr.rating
      FROM performance_reviews pr JOIN hires h ON h.app = pr.application_external_id
      WHERE pr.organization_id = $1
      ORDER BY pr.application_external_id, pr.review_date DESC
    ),
    pool AS (SELECT ${poolAggregates.join(', ')} FROM p)
    SELECT h.app, h.hired_at, ${cols.map((c) => `h.${c}`).join(', ')}, l.rating, sp.separated_at, sp.separation_type,
      NULL::json AS pool
    FROM hires h
    LEFT JOIN latest l ON l.app = h.app
    LEFT JOIN separations sp ON sp.organization_id = $1 AND sp.application_external_id = h.app
    UNION ALL
    SELECT NULL, NULL, ${cols.map(() => 'NULL').join(', ')}, NULL, NULL, NULL, row_to_json(pool) FROM pool`;
}

/**
 * The interviews of the filtered applications on the rubric (a CTE `vote` after the CTE `f`), from interview_votes
 * (kept by triggers on interview_scores): per interview and interviewer the score sum and count and how many score
 * rows carry each recommendation, with the application's status and hire date. A rubric version's scores are all
 * on its criteria (ingestion and rubric edits keep it so), so the rows need no criterion test.
 */
function votesInFiltersSql(filters: AnalyticsFilters, rubric: RubricRef, p: Params): string {
  const apps = filteredApplicationsSql(filters, p);
  const name = p.add(rubric.name);
  const version = p.add(rubric.version, '::int');
  return `
    f AS (${apps}),
    vote AS (
      SELECT v.application_external_id AS app, v.interview_external_id AS interview,
        v.interviewer_external_id AS iv, v.score_sum, v.score_count, v.n_no, v.n_strong_no, v.n_strong_yes, v.n_yes,
        f.status, f.hired_at
      FROM interview_votes v JOIN f ON f.external_id = v.application_external_id
      WHERE v.organization_id = $1 AND v.rubric_name = ${name} AND v.rubric_version = ${version}
    )`;
}

/**
 * The reliability units (a CTE `unit`: criterion, app, panel, ratings, total) of the filtered applications on the
 * rubric's criteria, from interview_score_units (kept by triggers on interview_scores): per application and
 * criterion the interviewers who scored it (sorted), each one's rating (the mean of their scores of it, so a
 * repeated score counts once) in the same order, and the ratings' sum.
 */
function unitsSql(filters: AnalyticsFilters, rubric: RubricRef, p: Params): string {
  const apps = filteredApplicationsSql(filters, p);
  const name = p.add(rubric.name);
  const version = p.add(rubric.version, '::int');
  const keys = p.add(rubric.criteria, '::text[]');
  return `f AS (${apps}),
    unit AS (
      SELECT u.criterion, u.application_external_id AS app, u.interviewers AS panel, u.means AS ratings,
        u.mean_total AS total
      FROM interview_score_units u JOIN f ON f.external_id = u.application_external_id
      WHERE u.organization_id = $1 AND u.rubric_name = ${name} AND u.rubric_version = ${version}
        AND u.criterion = ANY(${keys})
    )`;
}

/**
 * Per interviewer, the sufficient statistics of leniency. Leniency unit = one candidate: the mean over the criteria
 * this interviewer and at least one co-panelist scored of (own score - mean of the co-panelists' scores); an
 * interviewer's repeated scores of one criterion for one application are averaged first (the units' ratings). A
 * statement of its own (not one with the activity counts) so the service can run the two side by side.
 */
export function interviewerLeniencySql(filters: AnalyticsFilters, rubric: RubricRef, p: Params): string {
  return `
    WITH ${unitsSql(filters, rubric, p)},
    -- Per interviewer and candidate, over the units they share with at least one co-panelist: own rating minus the
    -- mean of the others' ((total - own) / (k - 1)), averaged over the criteria.
    diff AS (
      SELECT x.iv, u.app, avg(x.m - (u.total - x.m) / (cardinality(u.ratings) - 1)) AS d
      FROM unit u CROSS JOIN LATERAL unnest(u.panel, u.ratings) AS x(iv, m)
      WHERE cardinality(u.ratings) >= 2
      GROUP BY u.app, x.iv
    )
    SELECT iv, count(*)::int AS leniency_n, avg(d) AS leniency_mean, stddev_samp(d) AS leniency_sd
    FROM diff GROUP BY iv`;
}

/**
 * Per interviewer: interviews, candidates, agreement of their recommendations with the final decision, and the
 * display name an import gave (null when none did).
 */
export function interviewerActivitySql(filters: AnalyticsFilters, rubric: RubricRef, p: Params): string {
  return `
    WITH ${votesInFiltersSql(filters, rubric, p)},
    -- The most frequent recommendation of the interview's score rows, ties to the first in sort order (what
    -- mode() WITHIN GROUP (ORDER BY recommendation) returns over the rows).
    interviews AS (
      SELECT iv, interview, app, status,
        CASE greatest(n_no, n_strong_no, n_strong_yes, n_yes)
          WHEN 0 THEN NULL
          WHEN n_no THEN 'no'
          WHEN n_strong_no THEN 'strong_no'
          WHEN n_strong_yes THEN 'strong_yes'
          ELSE 'yes'
        END AS rec
      FROM vote
    ),
    activity AS (
      SELECT iv, count(*)::int AS interviews, count(DISTINCT app)::int AS candidates,
        count(*) FILTER (WHERE rec IS NOT NULL AND status IN ('hired', 'offer_declined', 'rejected'))::int AS decisions,
        count(*) FILTER (
          WHERE rec IS NOT NULL AND status IN ('hired', 'offer_declined', 'rejected')
            AND (rec IN ('yes', 'strong_yes')) = (status IN ('hired', 'offer_declined'))
        )::int AS agreements
      FROM interviews GROUP BY iv
    )
    SELECT x.*, who.name
    FROM activity x
    LEFT JOIN interviewers who ON who.organization_id = $1 AND who.external_id = x.iv
    ORDER BY x.iv`;
}

/**
 * Each interviewer's own score of each hire (the mean of all their scores of it), with the hire's outcome facts,
 * for the interviewer's predictive validity.
 */
export function interviewerHireScoresSql(filters: AnalyticsFilters, rubric: RubricRef, p: Params): string {
  const votes = votesInFiltersSql(filters, rubric, p);
  const hireDates = hireDateSql(filters, 'vote.hired_at', p);
  return `
    WITH ${votes},
    own AS (
      SELECT iv, app, min(hired_at) AS hired_at, sum(score_sum) / sum(score_count) AS m FROM vote
      WHERE status = 'hired'${hireDates} GROUP BY iv, app
    ),
    latest AS (
      SELECT DISTINCT ON (pr.application_external_id) pr.application_external_id AS app, pr.rating
      FROM performance_reviews pr
      WHERE pr.organization_id = $1 AND pr.application_external_id IN (SELECT app FROM own)
      ORDER BY pr.application_external_id, pr.review_date DESC
    )
    SELECT o.iv, o.app, o.hired_at, o.m, l.rating, sp.separated_at, sp.separation_type
    FROM own o
    LEFT JOIN latest l ON l.app = o.app
    LEFT JOIN separations sp ON sp.organization_id = $1 AND sp.application_external_id = o.app`;
}

/**
 * Reliability read, for the criteria of `rubric` (the service asks for one criterion per statement and runs them side
 * by side: criteria are independent, so the report uses as many cores as the connections it gets). Units are
 * (application, criterion); an interviewer's repeated scores of a unit are averaged into one rating. Returns, per
 * criterion:
 *  - kind 'values': each distinct list of a unit's ratings with its count (ICC(1) and Krippendorff's alpha depend
 *    only on the values in each unit, not on who gave them or in which order, so units are sent compressed);
 *  - kind 'panel': the units rated by the criterion's most common complete panel (the same set of >= 2
 *    interviewers), ratings in the order of `panel`, which names the interviewers, for the two-way ICCs.
 *
 * A unit's panel is stored sorted, with ratings[i] panel[i]'s rating, so equal panels are equal arrays.
 */
export function reliabilitySql(filters: AnalyticsFilters, rubric: RubricRef, p: Params): string {
  return `
    WITH ${unitsSql(filters, rubric, p)},
    top_panel AS (
      SELECT DISTINCT ON (criterion) criterion, panel
      FROM (SELECT criterion, panel, count(*) AS n FROM unit WHERE cardinality(panel) >= 2 GROUP BY criterion, panel) x
      ORDER BY criterion, n DESC, panel
    )
    SELECT 'values' AS kind, criterion, ratings, count(*)::int AS n, NULL::text[] AS panel
    FROM unit GROUP BY criterion, ratings
    UNION ALL
    SELECT 'panel', u.criterion, u.ratings, 1, u.panel
    FROM unit u JOIN top_panel t ON t.criterion = u.criterion AND t.panel = u.panel`;
}
