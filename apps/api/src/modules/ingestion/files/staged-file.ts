import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { RecordKind } from '@hiresignal/shared';
import type { DataSource } from 'typeorm';
import type { Rubric } from '../../records/hiring-records.entities';
import { checkCsvRow, planHeader, type RowProblem, type RowResult } from './row-checks';

/** A file cannot be imported at all (malformed CSV, missing column, not JSON): the run fails, no retry helps. */
export class ImportFatalError extends Error {
  constructor(
    message: string,
    readonly problems: RowProblem[] = [],
  ) {
    super(message);
    this.name = 'ImportFatalError';
  }
}

/** The uploaded bytes, chunk by chunk in order, from import_chunks; the next chunk is fetched while one is used. */
export async function* readChunks(db: DataSource, importId: string): AsyncGenerator<Buffer> {
  const fetch = async (seq: number) =>
    (
      (await db.query('SELECT data FROM import_chunks WHERE import_id = $1 AND seq = $2', [
        importId,
        seq,
      ])) as {
        data: Buffer;
      }[]
    )[0]?.data;
  let seq = 0;
  let next = fetch(seq);
  for (;;) {
    const chunk = await next;
    if (!chunk) return;
    next = fetch(++seq);
    yield chunk;
  }
}

/**
 * Streams a CSV of one canonical kind: header first (UTF-8, with or without BOM; CRLF or LF; RFC 4180 quotes), then
 * each row converted and checked. Memory stays flat: the parser holds one chunk and one row at a time.
 */
export async function* csvRowResults(
  chunks: AsyncIterable<Buffer>,
  kind: RecordKind,
  rubrics: Rubric[],
  onBytes: (bytes: number) => void,
): AsyncGenerator<RowResult> {
  let bytes = 0;
  const counted = (async function* () {
    for await (const chunk of chunks) {
      bytes += chunk.length;
      onBytes(bytes);
      yield chunk;
    }
  })();
  const parser = Readable.from(counted).pipe(
    parse({
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      record_delimiter: ['\r\n', '\n'],
      info: true,
    }),
  );
  let plan: ReturnType<typeof planHeader> | null = null;
  let row = 0;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const cells = item.record;
      if (!plan) {
        plan = planHeader(kind, cells);
        if (plan.fatal) throw new ImportFatalError(plan.fatal, plan.problems);
        if (plan.problems.length > 0) yield { staged: null, problems: plan.problems };
        continue;
      }
      row++;
      yield checkCsvRow(plan, cells, row, startLine(cells, item.info.lines), rubrics);
    }
  } catch (error) {
    if (error instanceof ImportFatalError) throw error;
    const e = error as Error & { code?: string; lines?: number };
    if (e.code?.startsWith('CSV_')) {
      throw new ImportFatalError(`the file is not valid CSV near line ${e.lines ?? '?'}: ${e.message}`);
    }
    throw error;
  }
  if (!plan) throw new ImportFatalError('the file is empty: expected a header row and at least one data row');
}

/** csv-parse reports the line a record ends on, counting CR and LF inside quoted cells separately. */
function startLine(cells: string[], endLine: number): number {
  let breaks = 0;
  for (const cell of cells) {
    if (cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) continue;
    for (let i = 0; i < cell.length; i++) {
      const c = cell.charCodeAt(i);
      if (c === 10 || c === 13) breaks++;
    }
  }
  return endLine - breaks;
}
