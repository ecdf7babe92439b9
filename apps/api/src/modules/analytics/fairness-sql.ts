import type { FairnessFilters } from '@hiresignal/shared';
import { Params, type RubricRef } from './analytics-sql';
import { dayBounds } from './analytics-filters';

/*
 * SQL of the fairness views (PRODUCT.md "Fairness definitions"). Values travel as parameters; the only text spliced
 * in is generated here (parameter numbers, the stage count). Every statement reads demographics only to aggregate.
 *
 * Demographics: an application takes its candidate's row. A candidate with no row, or whose value is missing or
 * 'declined', is unknown for that grouping (NULL here).
 */

/** The known values as SQL: sex and race/ethnicity, NULL when unknown. */
const SEX = `CASE WHEN d.sex IN ('female', 'male', 'another') THEN d.sex END`;
const RACE = `CASE WHEN d.race_ethnicity IS NULL OR d.race_ethnicity = 'declined' THEN NULL ELSE d.race_ethnicity END`;
const DEMOGRAPHICS_JOIN = `LEFT JOIN demographics d ON d.organization_id = $1
        AND d.candidate_external_id = a.candidate_external_id`;

/** WHERE conditions of the cohort (alias a: applications, j: jobs): job, department, source, applied dates. */
function cohortWhere(filters: FairnessFilters, p: Params): string[] {
  const where = ['a.organization_id = $1'];
  if (filters.jobId !== undefined) where.push(`a.job_external_id = ${p.add(filters.jobId)}`);
  if (filters.source !== undefined) where.push(`a.source = ${p.add(filters.source)}`);
  if (filters.department !== undefined) where.push(`j.department = ${p.add(filters.department)}`);
  const { from, to } = dayBounds(filters.appliedFrom, filters.appliedTo);
  if (from) where.push(`a.applied_at >= ${p.add(from, '::timestamptz')}`);
  if (to) where.push(`a.applied_at < ${p.add(to, '::timestamptz')}`);
  return where;
}

const JOBS_JOIN = `LEFT JOIN jobs j ON j.organization_id = a.organization_id AND j.external_id = a.job_external_id`;

/**
 * The selection read: the cohort's applications counted by furthest stage, status, sex and race/ethnicity (the
 * furthest stage as in the funnel: the position of the furthest stage of `stages` with an event, 0 for none, and K,
 * the last, for a hire). From these counts the service forms every decision: at stage i, applicants = furthest > i
 * (advanced) plus furthest = i with status rejected, withdrawn or offer_declined (exited); at the hire decision,
 * applicants = status not active, selected = hired.
 */
export function selectionShapeSql(filters: FairnessFilters, stages: readonly string[], p: Params): string {
  const k = stages.length;
  const stagesParam = p.add([...stages], '::text[]');
  const where = cohortWhere(filters, p);
  return `
    WITH cohort AS MATERIALIZED (
      SELECT a.external_id, a.candidate_external_id, a.status
      FROM applications a ${JOBS_JOIN}
      WHERE ${where.join(' AND ')}
    ),
    ev AS (
      SELECT e.application_external_id AS app, max(array_position(${stagesParam}, e.stage)) AS top
      FROM stage_events e JOIN cohort c ON c.external_id = e.application_external_id
      WHERE e.organization_id = $1
      GROUP BY e.application_external_id
    )
    SELECT CASE WHEN a.status = 'hired' THEN ${k} ELSE COALESCE(ev.top, 0) END AS furthest, a.status,
      ${SEX} AS sex, ${RACE} AS race, count(*)::int AS n
    FROM cohort a
    LEFT JOIN ev ON ev.app = a.external_id
    ${DEMOGRAPHICS_JOIN}
    GROUP BY 1, 2, 3, 4`;
}

/** The score of one application: a criterion's candidate score, or the composite of the rubric's criteria. */
function scoreExpression(rubric: RubricRef, criterion: string, p: Params): string {
  if (criterion !== 'composite') return `v.means[array_position(v.criteria, ${p.add(criterion)})]`;
  const keys = rubric.criteria.map((key) => `v.means[array_position(v.criteria, ${p.add(key)})]`);
  const sum = keys.map((m) => `COALESCE(${m}, 0)`).join(' + ');
  const count = keys.map((m) => `(${m} IS NOT NULL)::int`).join(' + ');
  return `(${sum}) / NULLIF(${count}, 0)`;
}

/**
 * The scoring read (NYC Local Law 144): the cohort's scored applications (a score on the criterion, or on at least
 * one criterion of the rubric for the composite), the median of all their scores (unknown group included), and per
 * sex and race/ethnicity the scored applications and how many score strictly above that median.
 */
export function scoringRateSql(
  filters: FairnessFilters,
  rubric: RubricRef,
  criterion: string,
  p: Params,
): string {
  const where = cohortWhere(filters, p);
  const score = scoreExpression(rubric, criterion, p);
  const name = p.add(rubric.name);
  const version = p.add(rubric.version, '::int');
  return `
    WITH scored AS MATERIALIZED (
      SELECT ${SEX} AS sex, ${RACE} AS race, ${score} AS score
      FROM applications a ${JOBS_JOIN}
      JOIN application_score_vectors v ON v.organization_id = $1 AND v.rubric_name = ${name}
        AND v.rubric_version = ${version} AND v.application_external_id = a.external_id
      ${DEMOGRAPHICS_JOIN}
      WHERE ${where.join(' AND ')}
    ),
    m AS (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY score) AS median FROM scored WHERE score IS NOT NULL)
    SELECT s.sex, s.race, count(*)::int AS n, count(*) FILTER (WHERE s.score > m.median)::int AS above,
      m.median
    FROM scored s CROSS JOIN m
    WHERE s.score IS NOT NULL
    GROUP BY s.sex, s.race, m.median`;
}

/**
 * The hired sample for differential validity: the cohort's hires inside the hire-date filters with a score, each
 * with its sex, race/ethnicity, hire date, latest review rating and separation (outcomes.ts classifies them).
 */
export function hiredSampleSql(
  filters: FairnessFilters,
  rubric: RubricRef,
  criterion: string,
  p: Params,
): string {
  const where = cohortWhere(filters, p);
  where.push(`a.status = 'hired'`);
  const { from, to } = dayBounds(filters.hiredFrom, filters.hiredTo);
  if (from) where.push(`a.hired_at >= ${p.add(from, '::timestamptz')}`);
  if (to) where.push(`a.hired_at < ${p.add(to, '::timestamptz')}`);
  const score = scoreExpression(rubric, criterion, p);
  const name = p.add(rubric.name);
  const version = p.add(rubric.version, '::int');
  return `
    WITH hires AS MATERIALIZED (
      SELECT a.external_id AS app, a.hired_at, ${SEX} AS sex, ${RACE} AS race, ${score} AS score
      FROM applications a ${JOBS_JOIN}
      JOIN application_score_vectors v ON v.organization_id = $1 AND v.rubric_name = ${name}
        AND v.rubric_version = ${version} AND v.application_external_id = a.external_id
      ${DEMOGRAPHICS_JOIN}
      WHERE ${where.join(' AND ')}
    ),
    latest AS (
      SELECT DISTINCT ON (pr.application_external_id) pr.application_external_id AS app, pr.rating
      FROM performance_reviews pr JOIN hires h ON h.app = pr.application_external_id
      WHERE pr.organization_id = $1
      ORDER BY pr.application_external_id, pr.review_date DESC
    )
    SELECT h.app, h.hired_at, h.sex, h.race, h.score, l.rating, sp.separated_at, sp.separation_type
    FROM hires h
    LEFT JOIN latest l ON l.app = h.app
    LEFT JOIN separations sp ON sp.organization_id = $1 AND sp.application_external_id = h.app
    WHERE h.score IS NOT NULL`;
}
