import { parse } from 'csv-parse';
import type { RecordKind } from '@hiresignal/shared';
import type { Rubric } from '../../records/hiring-records.entities';
import { checkCsvRow, planHeader, type RowProblem, type RowResult } from './row-checks';
import type { Queryable } from './staging';

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
export async function* readChunks(db: Queryable, importId: string): AsyncGenerator<Buffer> {
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

const PARSE_SLICE_BYTES = 64 * 1024;

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

/**
 * Streams a CSV of one canonical kind: header first (UTF-8, with or without BOM; CRLF or LF; RFC 4180 quotes), then
 * each row converted and checked. Memory stays flat: the parser is fed one chunk at a time and its records are
 * checked before the next chunk is read. (The parser is driven by hand rather than iterated as a stream: the
 * stream's async iterator costs more than the parsing itself.)
 */
export async function* csvRowResults(
  chunks: AsyncIterable<Buffer>,
  kind: RecordKind,
  rubrics: Rubric[],
  onBytes: (bytes: number) => void,
): AsyncGenerator<RowResult> {
  const parser = parse({
    bom: true,
    trim: true,
    skip_empty_lines: true,
    relax_column_count: true,
    record_delimiter: ['\r\n', '\n'],
    info: true,
  });
  const parsed: ParsedRecord[] = [];
  let failure: Error | null = null;
  parser.on('data', (item: ParsedRecord) => parsed.push(item));
  parser.on('error', (e: Error) => (failure ??= e));
  // Resolves once the parser has taken the chunk (or the end) and emitted the records it completes.
  const feed = (chunk: Buffer | null) =>
    new Promise<void>((resolve) => {
      if (failure) return resolve();
      if (chunk === null) parser.end(() => resolve());
      else parser.write(chunk, () => resolve());
    }).then(() => new Promise<void>((resolve) => setImmediate(resolve)));

  let plan: ReturnType<typeof planHeader> | null = null;
  let row = 0;
  let bytes = 0;
  function* check(): Generator<RowResult> {
    for (const item of parsed.splice(0)) {
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
  }
  const fail = (error: Error & { code?: string; lines?: number }): Error =>
    error.code?.startsWith('CSV_')
      ? new ImportFatalError(`the file is not valid CSV near line ${error.lines ?? '?'}: ${error.message}`)
      : error;

  for await (const chunk of chunks) {
    // In slices, so that only a slice's worth of parsed records is alive at once.
    for (let at = 0; at < chunk.length; at += PARSE_SLICE_BYTES) {
      const slice = chunk.subarray(at, at + PARSE_SLICE_BYTES);
      bytes += slice.length;
      onBytes(bytes);
      await feed(slice);
      yield* check();
      if (failure) throw fail(failure);
    }
  }
  await feed(null);
  yield* check();
  if (failure) throw fail(failure);
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
