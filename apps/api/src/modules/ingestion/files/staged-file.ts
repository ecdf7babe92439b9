import { Parser } from 'csv-parse';
import type { RecordKind } from '@hiresignal/shared';
import type { Rubric } from '../../records/hiring-records.entities';
import { checkCsvRow, planHeader, type RowResult } from '../../records/row-checks';
import { ImportFatalError } from '../../records/import-errors';
import { utf8Checked } from './input-limits';
import type { Queryable } from './staging';

export { ImportFatalError } from '../../records/import-errors';

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

/** IMPORT_MAX_LINE_BYTES's default. */
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

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
  maxLineBytes: number = DEFAULT_MAX_LINE_BYTES,
): AsyncGenerator<RowResult> {
  const engine = (
    new Parser({
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      // CR alone ends a line too (old spreadsheet exports); CRLF is still one line end.
      record_delimiter: ['\r\n', '\n', '\r'],
      // A record longer than this fails the file at its line before the parser buffers any more of it.
      max_record_size: maxLineBytes,
    }) as unknown as { api: CsvEngine }
  ).api;
  const parsed: ParsedRecord[] = [];
  /** The line the last complete record ended on: a broken record starts on the next one. */
  let lastLine = 0;
  const push = (record: string[]) => {
    lastLine = engine.info.lines;
    parsed.push({ record, lines: lastLine });
  };
  const feed = (slice: Buffer | undefined): void => {
    const error = engine.parse(slice, slice === undefined, push, () => undefined) as
      | (Error & { code?: string; lines?: number })
      | undefined;
    if (error === undefined) return;
    // Every error the engine returns is about the file (csv-parse 6.2 names one code without the CSV_ prefix,
    // INVALID_OPENING_QUOTE): a file error at its line, never a retry.
    // The line the broken record starts on (csv-parse counts to where it gave up: the end, for an unclosed quote).
    const line = lastLine + 1;
    const message =
      error.code === 'CSV_MAX_RECORD_SIZE'
        ? `line ${line} is longer than ${maxLineBytes} bytes (IMPORT_MAX_LINE_BYTES): is the file CSV, with line ends?`
        : `the file is not valid CSV near line ${line}: ${error.message}`;
    throw new ImportFatalError(message, [
      { row: 0, line, column: null, field: '(file)', value: null, message },
    ]);
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

  for await (const chunk of utf8Checked(chunks)) {
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
