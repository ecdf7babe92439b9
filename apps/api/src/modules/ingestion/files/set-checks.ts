import { RECORD_KINDS, toSnakeCase, type ImportRecordKind } from '@hiresignal/shared';
import type { DataSource } from 'typeorm';
import { keyColumns } from '../../records/row-checks';

/**
 * Checks across rows, run in SQL over the staged records so memory stays flat whatever the file size. Each one
 * records an error for the offending row and removes that row from the staging, so onError=skip writes the rest.
 */
export async function findCrossRowProblems(db: DataSource, importId: string, organizationId: string) {
  const kinds = (
    (await db.query('SELECT DISTINCT record_kind FROM import_rows WHERE import_id = $1', [importId])) as {
      record_kind: ImportRecordKind;
    }[]
  ).map((k) => k.record_kind);

  for (const kind of (['jobs', ...RECORD_KINDS] as const).filter((k) => kinds.includes(k))) {
    // Two rows with the same natural key: which one should win is ambiguous, so the later one is refused. The
    // repeated keys are found with one hash aggregate; only their rows are sorted.
    await db.query(
      `WITH repeated AS (
         SELECT key FROM import_rows WHERE import_id = $1 AND record_kind = $2 GROUP BY key HAVING count(*) > 1
       ), d AS (
         SELECT r.seq, r.row_no, r.line, r.key,
                first_value(r.row_no) OVER w AS first_row, row_number() OVER w AS rn
         FROM import_rows r JOIN repeated USING (key)
         WHERE r.import_id = $1 AND r.record_kind = $2
         WINDOW w AS (PARTITION BY r.key ORDER BY r.seq)
       ), bad AS (
         SELECT * FROM d WHERE rn > 1
       ), logged AS (
         INSERT INTO import_errors (import_id, row_no, line, column_name, field, value, message)
         SELECT $1, row_no, line, $3, $3, key,
                CASE WHEN first_row = row_no THEN 'repeats ' || $3 || ' ' || key || ' within the same row'
                     ELSE 'duplicates row ' || first_row || ': both have ' || $3 || ' = ' || key END
         FROM bad
       )
       DELETE FROM import_rows r USING bad
       WHERE r.import_id = $1 AND r.record_kind = $2 AND r.seq = bad.seq`,
      [importId, kind, keyColumns(kind)],
    );
  }

  if (kinds.includes('interview_scores')) {
    // One interview belongs to one application.
    await db.query(
      `WITH mixed AS (
         SELECT data->>'interviewId' AS interview FROM import_rows
         WHERE import_id = $1 AND record_kind = 'interview_scores'
         GROUP BY 1 HAVING min(data->>'applicationId') <> max(data->>'applicationId')
       ), f AS (
         SELECT r.seq, r.row_no, r.line, m.interview, r.data->>'applicationId' AS app,
                first_value(r.data->>'applicationId') OVER w AS first_app, first_value(r.row_no) OVER w AS first_row
         FROM import_rows r JOIN mixed m ON m.interview = r.data->>'interviewId'
         WHERE r.import_id = $1 AND r.record_kind = 'interview_scores'
         WINDOW w AS (PARTITION BY m.interview ORDER BY r.seq)
       ), bad AS (
         SELECT * FROM f WHERE app <> first_app
       ), logged AS (
         INSERT INTO import_errors (import_id, row_no, line, column_name, field, value, message, record_id)
         SELECT $1, row_no, line, 'application_id', 'applicationId', app,
                'column application_id: "' || app || '" differs from row ' || first_row || ': interview ' || interview
                  || ' belongs to application ' || first_app, app
         FROM bad
       )
       DELETE FROM import_rows r USING bad
       WHERE r.import_id = $1 AND r.record_kind = 'interview_scores' AND r.seq = bad.seq`,
      [importId],
    );
  }

  // Impossible dates: a review or a separation before the hire (the hire date from this file or the database).
  for (const [kind, field] of [
    ['performance_reviews', 'reviewDate'],
    ['separations', 'separatedAt'],
  ] as const) {
    if (!kinds.includes(kind)) continue;
    const column = toSnakeCase(field);
    const what = kind === 'performance_reviews' ? 'review' : 'separation';
    await db.query(
      `WITH h AS (
         SELECT r.seq, r.row_no, r.line, r.data->>'applicationId' AS app, (r.data->>$4)::timestamptz AS at,
                coalesce(
                  (SELECT (a.data->>'hiredAt')::timestamptz FROM import_rows a
                   WHERE a.import_id = $1 AND a.record_kind = 'applications' AND a.key = r.data->>'applicationId'
                   LIMIT 1),
                  (SELECT x.hired_at FROM applications x
                   WHERE x.organization_id = $2 AND x.external_id = r.data->>'applicationId')
                ) AS hired_at
         FROM import_rows r WHERE r.import_id = $1 AND r.record_kind = $3
       ), bad AS (
         SELECT * FROM h WHERE at < hired_at
       ), logged AS (
         INSERT INTO import_errors (import_id, row_no, line, column_name, field, value, message, record_id)
         SELECT $1, row_no, line, $5, $4, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                'column ' || $5 || ': "' || to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                  || '" is before the hire date ' || to_char(hired_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                  || ' of application ' || app || ': a ' || $6 || ' cannot precede the hire', app
         FROM bad
       )
       DELETE FROM import_rows r USING bad
       WHERE r.import_id = $1 AND r.record_kind = $3 AND r.seq = bad.seq`,
      [importId, organizationId, kind, field, column, what],
    );
  }
}
