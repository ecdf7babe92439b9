import { Parser } from 'csv-parse';
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
  /** The line the record ends on (csv-parse's count when it emits the record). */
  lines: number;
}

/**
 * csv-parse's parsing engine, which its Parser stream wraps (`parser.api`, used by `_transform` and `_flush`): it
 * parses a buffer synchronously and calls `push` per record. Driving it directly skips the stream machinery and the
 * per-record copy of `info` (the line count is read off `info` as each record is pushed). csv-parse is pinned to
 * an exact version in package.json for this reason.
 */
interface CsvEngine {
  parse(
    buf: Buffer | undefined,
    end: boolean,
    push: (record: string[]) => void,
    close: () => void,
  ): Error | undefined;
  info: { lines: number };
}

/**
 * Streams a CSV of one canonical kind: header first (UTF-8, with or without BOM; CRLF or LF; RFC 4180 quotes), then
 * each row converted and checked. Memory stays flat: the parser is fed one 64 KiB slice at a time and its records are
 * checked before the next slice is parsed.
 */
export async function* csvRowResults(
  chunks: AsyncIterable<Buffer>,
  kind: RecordKind,
  rubrics: Rubric[],
  onBytes: (bytes: number) => void,
): AsyncGenerator<RowResult> {
  const engine = (
    new Parser({
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      record_delimiter: ['\r\n', '\n'],
    }) as unknown as { api: CsvEngine }
  ).api;
  const parsed: ParsedRecord[] = [];
  const push = (record: string[]) => parsed.push({ record, lines: engine.info.lines });
  const feed = (slice: Buffer | undefined): void => {
    const error = engine.parse(slice, slice === undefined, push, () => undefined) as
      | (Error & { code?: string; lines?: number })
      | undefined;
    if (error === undefined) return;
    throw error.code?.startsWith('CSV_')
      ? new ImportFatalError(`the file is not valid CSV near line ${error.lines ?? '?'}: ${error.message}`)
      : error;
  };

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
      yield checkCsvRow(plan, cells, row, startLine(cells, item.lines), rubrics);
    }
  }

  for await (const chunk of chunks) {
    for (let at = 0; at < chunk.length; at += PARSE_SLICE_BYTES) {
      const slice = chunk.subarray(at, at + PARSE_SLICE_BYTES);
      bytes += slice.length;
      onBytes(bytes);
      feed(slice);
      yield* check();
    }
  }
  feed(undefined);
  yield* check();
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
