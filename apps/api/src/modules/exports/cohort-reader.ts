import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { Params } from '../analytics/analytics-sql';
import type { CohortRead } from './cohort-report';

/*
 * How an export reads the cohort's rows in order, a batch at a time, so a cohort of any size streams with flat
 * memory. The statement (cohort-report.ts) takes a CohortRead; every row carries its keyset (page_applied_at,
 * page_application_id). While the caller handles one batch, the next is already being read.
 */

export type CohortRow = Record<string, unknown>;
/** Builds the statement for one read (a page, or the whole cohort), its values added to `p`. */
export type CohortStatement = (read: CohortRead, p: Params) => string;
/** Takes one batch of rows, in order; `last` is true for the final one (possibly empty). */
export type CohortBatch = (rows: CohortRow[], last: boolean) => Promise<void>;

/** Does not let a read the caller stopped waiting for fail unhandled (the caller's own error is the one thrown). */
function started<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/**
 * Page by page (keyset on applied_at, application id), each page one short statement: on the embedded database's
 * one connection nothing else waits long, and a page costs the same at the end of the cohort as at its start.
 */
export async function readCohortPages(
  db: DataSource,
  organizationId: string,
  statement: CohortStatement,
  pageRows: number,
  each: CohortBatch,
): Promise<void> {
  const page = (after: { appliedAt: string; applicationId: string } | null) => {
    const p = new Params(organizationId);
    return started(
      db.query(statement({ kind: 'page', after, limit: pageRows }, p), p.values) as Promise<CohortRow[]>,
    );
  };
  let next = page(null);
  for (;;) {
    const rows = await next;
    const last = rows.length < pageRows;
    if (!last) {
      const end = rows[rows.length - 1];
      next = page({
        appliedAt: String(end['page_applied_at']),
        applicationId: String(end['page_application_id']),
      });
    }
    await each(rows, last);
    if (last) return;
  }
}

/**
 * The whole cohort as one statement through a cursor, on a connection of its own (a PostgreSQL server): the
 * database joins each table once instead of looking every row up, and the rows come in batches of `batchRows`.
 * The connection is put in the job's organization scope like any other (database/tenancy.ts). In its transaction:
 * - no nested loops: every table is read once and joined by hash or merge, whatever the planner's row estimates
 *   say. Without statistics (tables never analyzed yet, as right after a seed or a large import) it estimated one
 *   row per table and looped: 76 s for a 2,639-row cohort of a 7,000-application demo instead of 0.1 s;
 * - no JIT (compiling the statement's many expressions cost seconds, more than running them);
 * - planned for reading every row (cursor_tuple_fraction 1, not the first tenth), with room to sort in memory.
 */
export async function readCohortCursor(
  db: DataSource,
  organizationId: string,
  statement: CohortStatement,
  batchRows: number,
  each: CohortBatch,
): Promise<void> {
  const pool = (db.driver as unknown as { master: Pool }).master;
  const client = await pool.connect();
  let done = false;
  try {
    await client.query('BEGIN READ ONLY');
    await client.query(
      "SELECT set_config('enable_nestloop', 'off', true), set_config('jit', 'off', true), " +
        "set_config('cursor_tuple_fraction', '1', true), set_config('work_mem', '32MB', true)",
    );
    const p = new Params(organizationId);
    await client.query(
      `DECLARE cohort_export NO SCROLL CURSOR FOR ${statement({ kind: 'all' }, p)}`,
      p.values,
    );
    const fetch = () => started(client.query<CohortRow>(`FETCH ${batchRows} FROM cohort_export`));
    let next = fetch();
    for (;;) {
      const { rows } = await next;
      const last = rows.length < batchRows;
      if (!last) next = fetch();
      await each(rows, last);
      if (last) break;
    }
    await client.query('COMMIT');
    done = true;
  } finally {
    if (!done) await client.query('ROLLBACK').catch(() => undefined);
    client.release(!done);
  }
}
