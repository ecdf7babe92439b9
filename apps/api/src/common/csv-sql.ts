/*
 * Cells of common/csv.ts written by PostgreSQL itself: SQL expressions that turn a column into the exact text
 * csvCell gives for the value node-postgres reads from it, so the database can write most of a large CSV file
 * (modules/exports/cohort-report.ts) instead of JavaScript converting value by value. Only for values whose text
 * is the same in both: timestamps, integers, and words that need no quoting or neutralising; free text and double
 * precision numbers stay with csvCell (PostgreSQL's shortest digits of a double differ from JavaScript's for some
 * values from 2^53 up). csv-sql.int-spec.ts checks each expression against csvCell on both databases.
 *
 * The expressions splice the column expression into SQL, never a value; it is evaluated more than once, so pass a
 * column, not a computation.
 */

/** A text cell whose values never need quoting or neutralising (a CHECK constraint allows only plain words). */
export function csvPlainSql(x: string): string {
  return `COALESCE(${x}, '')`;
}

/** An integer cell (integer or bigint): its digits; NULL is empty. */
export function csvIntegerSql(x: string): string {
  return `COALESCE((${x})::text, '')`;
}

/**
 * A timestamptz cell as Date.prototype.toISOString of the Date node-postgres makes of it: UTC to the millisecond,
 * the microseconds cut off (as node-postgres does, and to_char's MS). Years 1 to 9999 in the usual form; outside
 * them JavaScript's expanded years: six digits with a sign (+010000; 1 BC is year 0000, 2 BC -000001).
 */
export function csvTimestampSql(x: string): string {
  const utc = `(${x} AT TIME ZONE 'UTC')`;
  return `CASE WHEN ${x} IS NULL THEN ''
    WHEN ${x} >= '0001-01-01T00:00:00Z'::timestamptz AND ${x} < '10000-01-01T00:00:00Z'::timestamptz
      THEN to_char(${utc}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
    ELSE (SELECT CASE WHEN y < 0 THEN '-' || lpad((-y)::text, 6, '0')
        WHEN y > 9999 THEN '+' || lpad(y::text, 6, '0') ELSE lpad(y::text, 4, '0') END
        || to_char(${utc}, '-MM-DD"T"HH24:MI:SS.MS"Z"')
      FROM (SELECT CASE WHEN e < 0 THEN e + 1 ELSE e END AS y
        FROM (SELECT extract(year FROM ${utc})::int AS e) f) g) END`;
}

/** Cells joined by commas, as within a line of csvRow. */
export function csvJoinSql(cells: string[]): string {
  return cells.map((c) => `(${c})`).join(` || ',' || `);
}
