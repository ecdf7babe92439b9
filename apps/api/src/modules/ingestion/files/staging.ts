import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { Pool, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DataSource } from 'typeorm';
import { RUN_BYTES_SQL } from '../import-runs.sql';
import type { RowProblem, RowResult, StagedRecord } from '../../records/row-checks';

/** What staging needs of a connection: TypeORM's DataSource or EntityManager, or a bare pg client (see queryable). */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** A pg client as a Queryable that answers rows, as TypeORM does. */
export function queryable(client: {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}): Queryable {
  return { query: async (sql, params) => (await client.query(sql, params)).rows };
}

/** A connection COPY can run on; `release(destroy)` gives it back (or discards it after a failed COPY). */
export interface CopyConnection {
  client: Pick<PoolClient, 'query'>;
  release(destroy: boolean): void;
}

/**
 * Writes validated records into import_rows as they are parsed. On a PostgreSQL server this is one `COPY ... FROM
 * STDIN` stream for the whole file: the cheapest way into the database, and backpressure keeps the parser from
 * running ahead, so memory stays flat. The embedded database (PGlite behind a socket) cannot take COPY FROM STDIN
 * over the wire, so there each batch is one INSERT.
 */
export interface StagingWriter {
  /** Adds a batch; resolves when the database has taken it (or, for COPY, when the stream has room again). */
  add(rows: StagedRecord[]): Promise<void>;
  /** Ends the stream: every row added is in import_rows when this resolves. */
  finish(): Promise<void>;
  /** Gives up (the file failed): nothing of this writer's rows stays. Safe to call after finish or twice. */
  abort(): Promise<void>;
}

export type StagingMethod = 'copy' | 'insert';

export async function openStaging(
  db: DataSource,
  importId: string,
  method: StagingMethod,
): Promise<StagingWriter> {
  if (method === 'insert') return insertWriter(db, importId);
  const pool = (db.driver as unknown as { master: Pool }).master;
  const client = await pool.connect();
  return copyWriter({ client, release: (destroy) => client.release(destroy) }, importId);
}

const COLUMNS = 'import_id, record_kind, seq, row_no, line, key, data';

function insertWriter(db: Queryable, importId: string): StagingWriter {
  return {
    async add(rows) {
      if (rows.length === 0) return;
      // One JSON document per batch: far cheaper to send and parse than seven parallel arrays.
      await db.query(
        `INSERT INTO import_rows (${COLUMNS})
         SELECT $1, x.k, x.s, x.r, x.l, x.key, x.d
         FROM jsonb_to_recordset($2::jsonb) AS x(k text, s bigint, r int, l int, key text, d jsonb)`,
        [
          importId,
          JSON.stringify(
            rows.map((r) => ({ k: r.kind, s: r.seq, r: r.row, l: r.line, key: r.key, d: r.record })),
          ),
        ],
      );
    },
    // Each batch was its own statement: nothing is left to end or undo (a failed file's rows are deleted by the job).
    finish: () => Promise.resolve(),
    abort: () => Promise.resolve(),
  };
}

/** COPY text format: backslash, tab, newline and carriage return are escaped; \N is NULL. */
export function copyText(value: string): string {
  return /[\\\t\n\r]/.test(value)
    ? value.replace(/[\\\t\n\r]/g, (c) =>
        c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
      )
    : value;
}

/** One staged record as a line of COPY text (the JSON never holds a raw tab or line break, only backslashes). */
export function copyLine(importId: string, row: StagedRecord): string {
  const json = JSON.stringify(row.record);
  return `${importId}\t${row.kind}\t${row.seq}\t${row.row}\t${row.line ?? '\\N'}\t${copyText(row.key)}\t${
    json.includes('\\') ? json.replace(/\\/g, '\\\\') : json
  }\n`;
}

/** Stages through one COPY on `connection`, which it holds until finish or abort. */
export function copyWriter(connection: CopyConnection, importId: string): StagingWriter {
  const stream = connection.client.query(copyFrom(`COPY import_rows (${COLUMNS}) FROM STDIN`));
  let failure: Error | null = null;
  let released = false;
  stream.on('error', (e: Error) => (failure ??= e));
  const release = (destroy: boolean) => {
    if (released) return;
    released = true;
    connection.release(destroy);
  };
  return {
    async add(rows) {
      if (failure) throw failure;
      if (rows.length === 0) return;
      let text = '';
      for (const row of rows) text += copyLine(importId, row);
      // once() rejects if the stream errors while waiting.
      if (!stream.write(text)) await once(stream, 'drain');
      if (failure) throw failure;
    },
    async finish() {
      if (failure) throw failure;
      stream.end();
      try {
        await finished(stream);
      } catch (e) {
        release(true);
        throw failure ?? e;
      }
      release(false);
    },
    async abort() {
      if (released) return;
      // Destroying the stream sends CopyFail: the server rolls the COPY back. The connection is then discarded.
      stream.destroy(new Error('staging aborted'));
      release(true);
    },
  };
}

export async function insertProblems(db: Queryable, id: string, problems: RowProblem[]): Promise<void> {
  await db.query(
    `INSERT INTO import_errors (import_id, row_no, line, column_name, field, value, message, record_id)
     SELECT $1, r, l, c, f, v, m, rid
     FROM unnest($2::int[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
       AS u(r, l, c, f, v, m, rid)`,
    [
      id,
      problems.map((p) => p.row),
      problems.map((p) => p.line),
      problems.map((p) => noNul(p.column)),
      problems.map((p) => noNul(p.field)),
      problems.map((p) => noNul(p.value)),
      problems.map((p) => noNul(p.message)),
      problems.map((p) => p.recordId ?? null),
    ],
  );
}

/** A problem quotes the offending value; a NUL character in it is shown as \\0 (text cannot hold NUL). */
function noNul<T extends string | null>(value: T): T {
  return (value !== null && value.includes('\u0000') ? value.replaceAll('\u0000', '\\0') : value) as T;
}

export interface StagingOutcome {
  /** The highest data row met (valid or not). */
  maxRow: number;
}

/** Records handed to the staging writer at a time: small, so the validating heap stays small whatever the write batch. */
const STAGING_BATCH_ROWS = 2000;

/**
 * Validation's main loop: numbers the valid records in order (seq), hands them to the staging writer in batches
 * (of `batchRows`, at most STAGING_BATCH_ROWS) with the problems, and records progress in bytes. One batch is in
 * flight while the next is parsed.
 */
export async function stageResults(
  db: Queryable,
  staging: StagingWriter,
  importId: string,
  results: AsyncIterable<RowResult> | Iterable<RowResult>,
  batchRows: number,
  bytes: () => number,
): Promise<StagingOutcome> {
  const staged: StagedRecord[] = [];
  const problems: RowProblem[] = [];
  let seq = 0;
  let maxRow = 0;
  let pending: Promise<unknown> = Promise.resolve();
  const flushRows = Math.min(batchRows, STAGING_BATCH_ROWS);
  const stage = async (rows: StagedRecord[], errs: RowProblem[], at: number) => {
    await staging.add(rows);
    if (errs.length > 0) await insertProblems(db, importId, errs);
    await db.query(RUN_BYTES_SQL, [importId, at]);
  };
  const flush = async () => {
    const rows = staged.splice(0);
    const errs = problems.splice(0);
    await pending;
    pending = stage(rows, errs, bytes());
    // Awaited at the next flush (which rethrows); until then a failure must not count as unhandled.
    pending.catch(() => undefined);
  };
  try {
    for await (const result of results) {
      if (result.staged) {
        result.staged.seq = ++seq;
        staged.push(result.staged);
        if (result.staged.row > maxRow) maxRow = result.staged.row;
      }
      for (const p of result.problems) {
        problems.push(p);
        if (p.row > maxRow) maxRow = p.row;
      }
      if (staged.length >= flushRows || problems.length >= flushRows) await flush();
    }
    await flush();
    await pending;
    await staging.finish();
  } catch (error) {
    await staging.abort();
    throw error;
  }
  return { maxRow };
}
