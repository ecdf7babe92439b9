import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { Pool, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DataSource } from 'typeorm';
import type { StagedRecord } from './row-checks';

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
  return method === 'copy' ? openCopy(db, importId) : insertWriter(db, importId);
}

const COLUMNS = 'import_id, record_kind, seq, row_no, line, key, data';

function insertWriter(db: DataSource, importId: string): StagingWriter {
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

async function openCopy(db: DataSource, importId: string): Promise<StagingWriter> {
  const pool = (db.driver as unknown as { master: Pool }).master;
  const client: PoolClient = await pool.connect();
  const stream = client.query(copyFrom(`COPY import_rows (${COLUMNS}) FROM STDIN`));
  let failure: Error | null = null;
  let released = false;
  stream.on('error', (e: Error) => (failure ??= e));
  const release = (destroy: boolean) => {
    if (released) return;
    released = true;
    client.release(destroy);
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
