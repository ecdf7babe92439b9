import { APPLIED_STEP, type CohortFilters } from '@hiresignal/shared';
import { dayBounds } from '../analytics/analytics-filters';
import { Params } from '../analytics/analytics-sql';
import { classifyOutcome } from '../analytics/outcomes';
import type { ExportColumn, ExportValue } from './export-writers';

/*
 * The cohort report (PRODUCT.md "Cohort report definitions"): one row per application inside the filters, ordered
 * by applied_at then application id. Read through a cursor, so a cohort of any size streams with flat memory.
 */

export interface CohortReportSpec {
  filters: CohortFilters;
  /** The rubric whose criteria give the score columns (the filters' rubric, else the default); null: none. */
  rubric: { name: string; version: number; criteria: { key: string; label: string }[] } | null;
  /** The organization's pipeline stages in order (without the implicit 'applied'). */
  stages: string[];
  includeDemographics: boolean;
  /** Judgement day of success and retention (start of the UTC day). */
  asOf: Date;
  successThreshold: number;
}

/** The columns of the file, in order. */
export function cohortColumns(spec: CohortReportSpec): ExportColumn[] {
  const criteria = spec.rubric?.criteria ?? [];
  return [
    { key: 'application_id', type: 'text' },
    { key: 'candidate_id', type: 'text' },
    { key: 'job_id', type: 'text' },
    { key: 'job_title', type: 'text' },
    { key: 'department', type: 'text' },
    { key: 'source', type: 'text' },
    { key: 'applied_at', type: 'date' },
    { key: 'status', type: 'text' },
    { key: 'hired_at', type: 'date' },
    { key: 'furthest_stage', type: 'text' },
    ...criteria.map((c) => ({ key: `score_${c.key}`, type: 'number' as const })),
    { key: 'composite', type: 'number' },
    { key: 'interviewers', type: 'number' },
    { key: 'latest_rating', type: 'number' },
    { key: 'latest_rating_date', type: 'date' },
    { key: 'success', type: 'number' },
    { key: 'retention_365', type: 'number' },
    { key: 'separated_at', type: 'date' },
    { key: 'separation_type', type: 'text' },
    ...(spec.includeDemographics
      ? [
          { key: 'sex', type: 'text' as const },
          { key: 'race_ethnicity', type: 'text' as const },
        ]
      : []),
  ];
}

/** WHERE conditions on `a` (applications) and `j` (jobs) for the cohort filters. */
function cohortWhere(filters: CohortFilters, p: Params): string {
  const where = ['a.organization_id = $1'];
  if (filters.jobId !== undefined) where.push(`a.job_external_id = ${p.add(filters.jobId)}`);
  if (filters.source !== undefined) where.push(`a.source = ${p.add(filters.source)}`);
  if (filters.department !== undefined) where.push(`j.department = ${p.add(filters.department)}`);
  if (filters.status !== undefined) where.push(`a.status = ${p.add(filters.status)}`);
  const applied = dayBounds(filters.appliedFrom, filters.appliedTo);
  if (applied.from) where.push(`a.applied_at >= ${p.add(applied.from, '::timestamptz')}`);
  if (applied.to) where.push(`a.applied_at < ${p.add(applied.to, '::timestamptz')}`);
  const hired = dayBounds(filters.hiredFrom, filters.hiredTo);
  if (hired.from) where.push(`a.hired_at >= ${p.add(hired.from, '::timestamptz')}`);
  if (hired.to) where.push(`a.hired_at < ${p.add(hired.to, '::timestamptz')}`);
  return where.join(' AND ');
}

/** Applications inside the filters: one count, for the progress bar. */
export function cohortCountSql(filters: CohortFilters, p: Params): string {
  return `SELECT count(*)::int AS n FROM applications a
    LEFT JOIN jobs j ON j.organization_id = a.organization_id AND j.external_id = a.job_external_id
    WHERE ${cohortWhere(filters, p)}`;
}

/** One page of the report: the rows after the last one written (keyset on applied_at, application id). */
export interface CohortPage {
  after: { appliedAt: string; applicationId: string } | null;
  limit: number;
}

/**
 * One page of the report's rows. Scores come from application_score_vectors (per application each criterion's mean over its
 * interviewers, kept by triggers); the furthest stage from the stage events mapped onto the stage list (a hire has
 * reached the last stage, as in the funnel).
 */
export function cohortSql(spec: CohortReportSpec, page: CohortPage, p: Params): string {
  let where = cohortWhere(spec.filters, p);
  if (page.after) {
    where += ` AND (a.applied_at, a.external_id) > (${p.add(page.after.appliedAt, '::timestamptz')}, ${p.add(page.after.applicationId)})`;
  }
  const criteria = spec.rubric?.criteria ?? [];
  const stages = p.add(spec.stages, '::text[]');
  const scoreCols = criteria
    .map((c, i) => `v.means[array_position(v.criteria, ${p.add(c.key)})] AS c${i}`)
    .join(', ');
  // Interviewers from interview_votes (kept by triggers; one row per application, interviewer and interview, keyed
  // by rubric and application), not interview_scores, whose indexes lead with the criterion.
  const rubricJoins = spec.rubric
    ? `LEFT JOIN application_score_vectors v ON v.organization_id = $1 AND v.application_external_id = a.external_id
         AND v.rubric_name = ${p.add(spec.rubric.name)} AND v.rubric_version = ${p.add(spec.rubric.version, '::int')}
       LEFT JOIN LATERAL (
         SELECT count(DISTINCT iv.interviewer_external_id)::int AS n FROM interview_votes iv
         WHERE iv.organization_id = $1 AND iv.rubric_name = ${p.add(spec.rubric.name)}
           AND iv.rubric_version = ${p.add(spec.rubric.version, '::int')} AND iv.application_external_id = a.external_id
       ) iv ON true`
    : `LEFT JOIN LATERAL (SELECT NULL::int AS n) iv ON true`;
  const demographics = spec.includeDemographics ? `, d.sex, d.race_ethnicity` : '';
  const demographicsJoin = spec.includeDemographics
    ? `LEFT JOIN demographics d ON d.organization_id = $1 AND d.candidate_external_id = a.candidate_external_id`
    : '';
  // The page's applications first (an index range on applied_at, then at most `limit` rows), then the joins for
  // those rows only: a page costs the same at the end of a large cohort as at its start.
  return `
    WITH page AS MATERIALIZED (
      SELECT a.external_id, a.candidate_external_id, a.job_external_id, a.source, a.applied_at, a.status, a.hired_at,
        j.title AS job_title, j.department
      FROM applications a
      LEFT JOIN jobs j ON j.organization_id = a.organization_id AND j.external_id = a.job_external_id
      WHERE ${where}
      ORDER BY a.applied_at, a.external_id
      LIMIT ${p.add(page.limit, '::int')}
    )
    SELECT a.external_id AS application_id, a.applied_at::text AS page_applied_at,
      a.candidate_external_id AS candidate_id, a.job_external_id AS job_id, a.job_title, a.department, a.source,
      a.applied_at, a.status, a.hired_at,
      CASE WHEN a.status = 'hired' AND cardinality(${stages}) > 0 THEN cardinality(${stages})
        ELSE (SELECT max(array_position(${stages}, e.stage)) FROM stage_events e
              WHERE e.organization_id = $1 AND e.application_external_id = a.external_id)
      END AS furthest,
      ${scoreCols ? `${scoreCols},` : ''}
      iv.n AS interviewers,
      lr.rating AS latest_rating, lr.review_date AS latest_rating_date,
      sp.separated_at, sp.separation_type${demographics}
    FROM page a
    ${rubricJoins}
    LEFT JOIN LATERAL (
      SELECT pr.rating, pr.review_date FROM performance_reviews pr
      WHERE pr.organization_id = $1 AND pr.application_external_id = a.external_id
      ORDER BY pr.review_date DESC, pr.rating DESC LIMIT 1
    ) lr ON true
    LEFT JOIN separations sp ON sp.organization_id = $1 AND sp.application_external_id = a.external_id
    ${demographicsJoin}
    ORDER BY a.applied_at, a.external_id`;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const date = (v: unknown): Date | null =>
  v === null || v === undefined ? null : new Date(v as string | Date);
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** One database row as the file's values, in cohortColumns' order. */
export function cohortRow(spec: CohortReportSpec, row: Record<string, unknown>): ExportValue[] {
  const criteria = spec.rubric?.criteria ?? [];
  const scores = criteria.map((_, i) => num(row[`c${i}`]));
  const scored = scores.filter((s): s is number => s !== null);
  // The composite is the unit-weighted mean of the scored criteria (PRODUCT.md, as the validity report).
  const composite = scored.length === 0 ? null : scored.reduce((s, x) => s + x, 0) / scored.length;
  const furthest = num(row['furthest']);
  const hiredAt = date(row['hired_at']);
  const facts = {
    hiredAt,
    latestRating: num(row['latest_rating']),
    separatedAt: date(row['separated_at']),
    separationType: str(row['separation_type']),
  };
  const hired = row['status'] === 'hired';
  const outcome = (kind: 'success' | 'retention'): number | null => {
    if (!hired) return null;
    const c = classifyOutcome(kind, facts, { asOf: spec.asOf, successThreshold: spec.successThreshold });
    return c.status === 'known' ? c.value : null;
  };
  return [
    str(row['application_id']),
    str(row['candidate_id']),
    str(row['job_id']),
    str(row['job_title']),
    str(row['department']),
    str(row['source']),
    date(row['applied_at']),
    str(row['status']),
    hiredAt,
    furthest === null ? APPLIED_STEP : (spec.stages[furthest - 1] ?? APPLIED_STEP),
    ...scores,
    composite,
    num(row['interviewers']),
    facts.latestRating,
    date(row['latest_rating_date']),
    outcome('success'),
    outcome('retention'),
    facts.separatedAt,
    facts.separationType,
    ...(spec.includeDemographics ? [str(row['sex']), str(row['race_ethnicity'])] : []),
  ];
}
