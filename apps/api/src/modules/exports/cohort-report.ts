import { APPLIED_STEP, type CohortFilters } from '@hiresignal/shared';
import { dayBounds } from '../analytics/analytics-filters';
import { Params } from '../analytics/analytics-sql';
import { JUDGEMENT_DAYS } from '../analytics/outcomes';
import { csvIntegerSql, csvJoinSql, csvPlainSql, csvTimestampSql } from '../../common/csv-sql';
import { csvCell } from '../../common/csv';
import type { ExportColumn, ExportValue } from './export-writers';

/*
 * The cohort report (PRODUCT.md "Cohort report definitions"): one row per application inside the filters, ordered
 * by applied_at then application id. Read in batches (cohort-reader.ts: a cursor on a PostgreSQL server, keyset pages
 * on the embedded database), so a cohort of any size streams with flat memory.
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

/**
 * A column of the file: its header and type, the column of the rows' SQL holding it (the criterion scores are
 * c0..cN-1), and what it is in SQL, which says who writes its CSV cells (cohortCsvSql): `text` and `number` (double
 * precision) values are written by csvCell; `plain` (text a CHECK constraint keeps to plain words), `date` and
 * `integer` cells by the database (csv-sql.ts).
 */
interface CohortColumn extends ExportColumn {
  sql: string;
  cell: 'text' | 'plain' | 'date' | 'integer' | 'number';
}

/** Each spec's columns, made once (cohortRow runs for every row). */
const columnLists = new WeakMap<CohortReportSpec, CohortColumn[]>();

function cohortColumnList(spec: CohortReportSpec): CohortColumn[] {
  let list = columnLists.get(spec);
  if (!list) {
    list = makeColumnList(spec);
    columnLists.set(spec, list);
  }
  return list;
}

function makeColumnList(spec: CohortReportSpec): CohortColumn[] {
  const criteria = spec.rubric?.criteria ?? [];
  const text = (key: string, cell: 'text' | 'plain' = 'text'): CohortColumn => ({
    key,
    type: 'text',
    sql: key,
    cell,
  });
  const date = (key: string): CohortColumn => ({ key, type: 'date', sql: key, cell: 'date' });
  const number = (key: string, cell: 'integer' | 'number', sql = key): CohortColumn => ({
    key,
    type: 'number',
    sql,
    cell,
  });
  return [
    text('application_id'),
    text('candidate_id'),
    text('job_id'),
    text('job_title'),
    text('department'),
    text('source'),
    date('applied_at'),
    text('status', 'plain'),
    date('hired_at'),
    text('furthest_stage'),
    ...criteria.map((c, i) => number(`score_${c.key}`, 'number', `c${i}`)),
    number('composite', 'number'),
    number('interviewers', 'integer'),
    number('latest_rating', 'number'),
    date('latest_rating_date'),
    number('success', 'integer'),
    number('retention_365', 'integer'),
    date('separated_at'),
    text('separation_type', 'plain'),
    ...(spec.includeDemographics ? [text('sex'), text('race_ethnicity')] : []),
  ];
}

/** The columns of the file, in order. */
export function cohortColumns(spec: CohortReportSpec): ExportColumn[] {
  return cohortColumnList(spec).map(({ key, type }) => ({ key, type }));
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

/**
 * Which rows one statement reads: a page (the rows after the last one written, keyset on applied_at and application
 * id, at most `limit`), or the whole cohort in one statement, for a cursor.
 */
export type CohortRead =
  | { kind: 'page'; after: { appliedAt: string; applicationId: string } | null; limit: number }
  | { kind: 'all' };

/** Success and retention are judged over the first 365 days after hire: exactly 365 x 24 hours (outcomes.ts). */
const JUDGEMENT_INTERVAL = `interval '${JUDGEMENT_DAYS * 24} hours'`;

/**
 * The rows with every column of the file as SQL values (named as in cohortColumnList: c0..cN-1 the criterion
 * scores), plus the keyset of the next page (page_applied_at: applied_at as text; application_id), unordered.
 *
 * Scores come from application_score_vectors (per application each criterion's mean over its interviewers, kept by
 * triggers); interviewers from interview_votes (one row per application, interviewer and interview, kept by
 * triggers and keyed by rubric and application; interview_scores' indexes lead with the criterion); the furthest
 * stage from the application's path (application_stage_paths, kept by triggers: the stage names of its events) mapped
 * onto the stage list, a hire having reached the last stage (as in the funnel). The computed columns follow
 * PRODUCT.md as outcomes.ts does (classifyOutcome), on the timestamps cut to milliseconds as node-postgres reads them:
 *  - composite: the unit-weighted mean of the scored criteria, summed in column order from 0 (the same doubles as
 *    the validity report's JavaScript sum);
 *  - success and retention (1/0) of a hire whose first 365 days have passed on asOf: a separation on or before day
 *    365 ends retention, and success when involuntary or regretted; otherwise success is the latest rating >= the
 *    threshold, unknown (blank) without a review. Blank for everyone else.
 *
 * A page picks its applications first (an index range on applied_at, then at most `limit` rows) and looks each one
 * up through the indexes (LATERAL ... LIMIT 1, so the planner cannot hash a whole table for 2,000 rows): a page
 * costs the same at the end of a large cohort as at its start. The whole cohort joins each table once (hash joins,
 * the interviewers and latest reviews grouped first). The OFFSET 0 fence keeps each lookup to one run a row however
 * often the outer expressions use its result.
 */
function cohortRowsSql(spec: CohortReportSpec, read: CohortRead, p: Params): string {
  const criteria = spec.rubric?.criteria ?? [];
  const stages = p.add(spec.stages, '::text[]');
  const rubric = spec.rubric
    ? {
        name: p.add(spec.rubric.name),
        version: p.add(spec.rubric.version, '::int'),
        keys: criteria.map((c) => p.add(c.key)),
      }
    : null;
  const raw = `a.external_id AS application_id, a.candidate_external_id AS candidate_id,
      a.job_external_id AS job_id, a.job_title, a.department, a.source, a.applied_at, a.status, a.hired_at,
      CASE WHEN a.status = 'hired' AND cardinality(${stages}) > 0 THEN cardinality(${stages})
        ELSE (SELECT max(array_position(${stages}, s)) FROM unnest(ps.stages) s)
      END AS furthest,
      ${rubric ? rubric.keys.map((k, i) => `v.means[array_position(v.criteria, ${k})] AS c${i},`).join(' ') : ''}
      ${rubric ? 'COALESCE(iv.n, 0)' : 'NULL::int'} AS interviewers,
      lr.rating AS latest_rating, lr.review_date AS latest_rating_date,
      sp.separated_at, sp.separation_type${spec.includeDemographics ? ', d.sex, d.race_ethnicity' : ''}`;
  let from: string;
  if (read.kind === 'page') {
    let where = cohortWhere(spec.filters, p);
    if (read.after) {
      where += ` AND (a.applied_at, a.external_id) > (${p.add(read.after.appliedAt, '::timestamptz')}, ${p.add(read.after.applicationId)})`;
    }
    const lookup = (select: string, table: string, key: string, extra = '') =>
      `LEFT JOIN LATERAL (SELECT ${select} FROM ${table} WHERE x.organization_id = $1 AND x.${key} ${extra} LIMIT 1)`;
    from = `(
        SELECT a.external_id, a.candidate_external_id, a.job_external_id, a.source, a.applied_at, a.status,
          a.hired_at, j.title AS job_title, j.department
        FROM applications a
        LEFT JOIN jobs j ON j.organization_id = a.organization_id AND j.external_id = a.job_external_id
        WHERE ${where}
        ORDER BY a.applied_at, a.external_id
        LIMIT ${p.add(read.limit, '::int')}
      ) a
      ${lookup('x.stages', 'application_stage_paths x', 'application_external_id = a.external_id')} ps ON true
      ${
        rubric
          ? `${lookup(
              'x.means, x.criteria',
              'application_score_vectors x',
              'application_external_id = a.external_id',
              `AND x.rubric_name = ${rubric.name} AND x.rubric_version = ${rubric.version}`,
            )} v ON true
        LEFT JOIN LATERAL (
          SELECT count(DISTINCT x.interviewer_external_id)::int AS n FROM interview_votes x
          WHERE x.organization_id = $1 AND x.rubric_name = ${rubric.name} AND x.rubric_version = ${rubric.version}
            AND x.application_external_id = a.external_id
        ) iv ON true`
          : ''
      }
      LEFT JOIN LATERAL (
        SELECT x.rating, x.review_date FROM performance_reviews x
        WHERE x.organization_id = $1 AND x.application_external_id = a.external_id
        ORDER BY x.review_date DESC, x.rating DESC LIMIT 1
      ) lr ON true
      ${lookup('x.separated_at, x.separation_type', 'separations x', 'application_external_id = a.external_id')} sp ON true
      ${
        spec.includeDemographics
          ? `${lookup('x.sex, x.race_ethnicity', 'demographics x', 'candidate_external_id = a.candidate_external_id')} d ON true`
          : ''
      }`;
  } else {
    const on = (alias: string, key = 'application_external_id = a.external_id') =>
      `ON ${alias}.organization_id = $1 AND ${alias}.${key}`;
    from = `(
        SELECT a.*, j.title AS job_title, j.department FROM applications a
        LEFT JOIN jobs j ON j.organization_id = a.organization_id AND j.external_id = a.job_external_id
        WHERE ${cohortWhere(spec.filters, p)}
      ) a
      LEFT JOIN application_stage_paths ps ${on('ps')}
      ${
        rubric
          ? `LEFT JOIN application_score_vectors v ${on('v')}
          AND v.rubric_name = ${rubric.name} AND v.rubric_version = ${rubric.version}
        LEFT JOIN (
          SELECT x.application_external_id, count(DISTINCT x.interviewer_external_id)::int AS n FROM interview_votes x
          WHERE x.organization_id = $1 AND x.rubric_name = ${rubric.name} AND x.rubric_version = ${rubric.version}
          GROUP BY x.application_external_id
        ) iv ON iv.application_external_id = a.external_id`
          : ''
      }
      LEFT JOIN (
        SELECT DISTINCT ON (x.application_external_id) x.application_external_id, x.rating, x.review_date
        FROM performance_reviews x WHERE x.organization_id = $1
        ORDER BY x.application_external_id, x.review_date DESC, x.rating DESC
      ) lr ON lr.application_external_id = a.external_id
      LEFT JOIN separations sp ${on('sp')}
      ${spec.includeDemographics ? `LEFT JOIN demographics d ${on('d', 'candidate_external_id = a.candidate_external_id')}` : ''}`;
  }
  const scores = criteria.map((_, i) => `r.c${i}`);
  const scored = `num_nonnulls(${scores.join(', ')})`;
  const composite =
    scores.length === 0
      ? 'NULL::float8'
      : `CASE WHEN ${scored} > 0 THEN (0::float8 ${scores.map((s) => `+ COALESCE(${s}, 0)`).join(' ')}) / ${scored} END`;
  const asOf = p.add(spec.asOf.toISOString(), '::timestamptz');
  const threshold = p.add(spec.successThreshold, '::float8');
  const dayLimit = `date_trunc('milliseconds', r.hired_at) + ${JUDGEMENT_INTERVAL}`;
  const judged = `r.status = 'hired' AND r.hired_at IS NOT NULL AND ${dayLimit} <= ${asOf}`;
  const leftWithinYear = `(r.separated_at IS NOT NULL AND date_trunc('milliseconds', r.separated_at) <= ${dayLimit})`;
  return `
    SELECT r.application_id, r.candidate_id, r.job_id, r.job_title, r.department, r.source, r.applied_at, r.status,
      r.hired_at, COALESCE((${stages})[r.furthest], ${p.add(APPLIED_STEP)}) AS furthest_stage,
      ${scores.map((s) => `${s},`).join(' ')}
      ${composite} AS composite,
      r.interviewers, r.latest_rating, r.latest_rating_date,
      CASE WHEN ${judged} THEN CASE
          WHEN ${leftWithinYear} AND r.separation_type IN ('involuntary', 'voluntary_regretted') THEN 0
          WHEN r.latest_rating IS NULL THEN NULL
          WHEN r.latest_rating >= ${threshold} THEN 1 ELSE 0
        END END AS success,
      CASE WHEN ${judged} THEN CASE WHEN ${leftWithinYear} THEN 0 ELSE 1 END END AS retention_365,
      r.separated_at, r.separation_type${spec.includeDemographics ? ', r.sex, r.race_ethnicity' : ''},
      r.applied_at::text AS page_applied_at, r.application_id AS page_application_id
    FROM (SELECT ${raw} FROM ${from} OFFSET 0) r`;
}

/** The report's rows as values (for the XLSX writer), ordered by applied_at then application id. */
export function cohortSql(spec: CohortReportSpec, read: CohortRead, p: Params): string {
  return `SELECT * FROM (${cohortRowsSql(spec, read, p)}) r ORDER BY r.applied_at, r.application_id`;
}

/**
 * The report as CSV, most of each line written by the database (csv-sql.ts): the runs of dates, integers and plain
 * words between two other columns as one field each (`f<i>`, the cells already joined by commas). Text and
 * double precision columns come as values (`v<i>`) for csvCell: text is cheaper to check in JavaScript than in SQL,
 * and only JavaScript writes a double's digits exactly as String(number) does (PostgreSQL can print 17 digits where
 * JavaScript prints fewer, e.g. 1.2345e21). cohortCsvLines puts the rows together.
 */
export function cohortCsvSql(spec: CohortReportSpec, read: CohortRead, p: Params): string {
  const cell = { plain: csvPlainSql, date: csvTimestampSql, integer: csvIntegerSql };
  const fields = csvFields(spec).map((f) =>
    f.value
      ? `r.${f.columns[0].sql} AS ${f.name}`
      : `${csvJoinSql(f.columns.map((c) => cell[c.cell as keyof typeof cell](`r.${c.sql}`)))} AS ${f.name}`,
  );
  return `SELECT ${fields.join(',\n      ')}, r.page_applied_at, r.page_application_id
    FROM (${cohortRowsSql(spec, read, p)}) r ORDER BY r.applied_at, r.application_id`;
}

interface CsvField {
  name: string;
  /** A value for csvCell (one column), or cells the database wrote (a run of columns). */
  value: boolean;
  columns: CohortColumn[];
}

/** The file's columns as cohortCsvSql's fields, in order. */
function csvFields(spec: CohortReportSpec): CsvField[] {
  const fields: CsvField[] = [];
  for (const c of cohortColumnList(spec)) {
    const value = c.cell === 'text' || c.cell === 'number';
    const last = fields.at(-1);
    if (!value && last && !last.value) last.columns.push(c);
    else fields.push({ name: `${value ? 'v' : 'f'}${fields.length}`, value, columns: [c] });
  }
  return fields;
}

/** The CSV lines (csvRow's text) of cohortCsvSql's rows. */
export function cohortCsvLines(spec: CohortReportSpec, rows: Record<string, unknown>[]): string {
  const fields = csvFields(spec);
  let out = '';
  for (const row of rows) {
    let line = '';
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i];
      const v = row[f.name];
      line += (i === 0 ? '' : ',') + (f.value ? csvCell(v as string | number | null) : (v as string));
    }
    out += `${line}\r\n`;
  }
  return out;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const date = (v: unknown): Date | null =>
  v === null || v === undefined ? null : new Date(v as string | Date);
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** One row of cohortSql as the file's values, in cohortColumns' order. */
export function cohortRow(spec: CohortReportSpec, row: Record<string, unknown>): ExportValue[] {
  return cohortColumnList(spec).map((c) => {
    const v = row[c.sql];
    return c.type === 'date' ? date(v) : c.type === 'number' ? num(v) : str(v);
  });
}
