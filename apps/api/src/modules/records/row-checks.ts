import {
  csvColumns,
  NATURAL_KEYS,
  toSnakeCase,
  validateRecords,
  type ImportRecordKind,
  type InterviewScoreRecord,
  type RecordByKind,
  type RecordKind,
} from '@hiresignal/shared';
import type { Rubric } from './hiring-records.entities';
import { canonicalTimestamps, type JobRecord } from './record-upserts';
import { resolveRubrics } from './rubric-checks';

/** One problem with one input row, as stored in import_errors and shown in errors.csv. */
export interface RowProblem {
  /** 1-based data row (0 for the CSV header). */
  row: number;
  line: number | null;
  column: string | null;
  field: string;
  value: string | null;
  message: string;
  recordId?: string;
}

/** A valid canonical record ready for staging, with where it came from. */
export interface StagedRecord {
  kind: ImportRecordKind;
  row: number;
  line: number | null;
  /** The natural key within the kind, for duplicate detection in SQL. */
  key: string;
  record: RecordByKind[RecordKind] | JobRecord;
  /** Position in the staging, assigned when staged. */
  seq?: number;
}

const NUMBER = { pattern: /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/, problem: 'is not a number' };
const WHOLE_NUMBER = { pattern: /^[-+]?\d+$/, problem: 'is not a whole number' };
/** Fields whose CSV cell is coerced to a number, with the form the cell must have. */
const NUMERIC_FIELDS: Record<string, typeof NUMBER | undefined> = {
  score: NUMBER,
  rating: NUMBER,
  rubricVersion: WHOLE_NUMBER,
  scaleMax: WHOLE_NUMBER,
};

/** `column score: "abc" is not a number`; without a value, `column score is required`. */
export function columnMessage(column: string, value: string | null | undefined, problem: string): string {
  return value === undefined || value === null || value === ''
    ? `column ${column} ${problem}`
    : `column ${column}: ${JSON.stringify(value)} ${problem}`;
}

export function naturalKey<K extends RecordKind>(kind: K, record: RecordByKind[K]): string {
  const keys = NATURAL_KEYS[kind] as readonly (keyof RecordByKind[K])[];
  return keys.length === 1 ? String(record[keys[0]]) : JSON.stringify(keys.map((k) => record[k]));
}

/** The natural key's columns as the file names them (snake_case), e.g. "interview_id, interviewer_id, criterion". */
export function keyColumns(kind: ImportRecordKind): string {
  if (kind === 'jobs') return 'job_id';
  return (NATURAL_KEYS[kind] as readonly string[]).map(toSnakeCase).join(', ');
}

export interface HeaderPlan {
  kind: RecordKind;
  /** Per CSV column: the canonical field, or null for an unknown column (reported, then ignored). */
  fields: (string | null)[];
  columns: string[];
  problems: RowProblem[];
  /** Set when the file cannot be imported at all (a required column is missing, a column repeats). */
  fatal: string | null;
}

/** Reads the header row: snake_case column names (case and surrounding spaces ignored), in any order. */
export function planHeader(kind: RecordKind, header: string[]): HeaderPlan {
  const known = csvColumns(kind);
  const byColumn = new Map(known.map((c) => [c.column, c]));
  const fields: (string | null)[] = [];
  const problems: RowProblem[] = [];
  const seen = new Set<string>();
  const columns = header.map((h) => h.trim().toLowerCase());
  let fatal: string | null = null;
  columns.forEach((column) => {
    const spec = byColumn.get(column);
    if (!spec) {
      fields.push(null);
      problems.push({
        row: 0,
        line: 1,
        column,
        field: column,
        value: null,
        message: `unknown column "${column}": ${kind} has the columns ${known.map((c) => c.column).join(', ')}`,
      });
      return;
    }
    if (seen.has(column)) fatal ??= `column ${column} appears twice in the header`;
    seen.add(column);
    fields.push(spec.field);
  });
  const missing = known.filter((c) => c.required && !seen.has(c.column)).map((c) => c.column);
  if (missing.length > 0) {
    fatal ??= `the header lacks the required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${kind}`;
  }
  return { kind, fields, columns, problems, fatal };
}

export interface RowResult {
  staged: StagedRecord | null;
  problems: RowProblem[];
}

/**
 * Converts one CSV row to a canonical record and checks it: cells are strings, so numbers are coerced here with
 * their own message, then the shared schema decides, then (for scores) the rubric's criteria and scale.
 */
export function checkCsvRow(
  plan: HeaderPlan,
  cells: string[],
  row: number,
  line: number | null,
  rubrics: Rubric[],
): RowResult {
  const problems: RowProblem[] = [];
  const input: Record<string, unknown> = {};
  const raw: Record<string, string> = {};
  if (cells.length !== plan.fields.length) {
    return {
      staged: null,
      problems: [
        {
          row,
          line,
          column: null,
          field: '(record)',
          value: null,
          message: `row has ${cells.length} field${cells.length === 1 ? '' : 's'}, the header has ${plan.fields.length}`,
        },
      ],
    };
  }
  for (let i = 0; i < cells.length; i++) {
    const field = plan.fields[i];
    if (field === null) continue;
    const value = cells[i].trim();
    if (value === '') continue;
    raw[field] = value;
    const column = plan.columns[i];
    const numeric = NUMERIC_FIELDS[field];
    if (numeric === undefined) {
      input[field] = value;
    } else if (numeric.pattern.test(value)) {
      input[field] = Number(value);
    } else {
      problems.push({
        row,
        line,
        column,
        field,
        value,
        message: columnMessage(column, value, numeric.problem),
      });
    }
  }
  return finishRecord(plan.kind, input, raw, problems, row, line, rubrics);
}

/**
 * Validates a record built from any source (CSV cells, an ATS object) against the shared schema, then the rubric;
 * `raw` holds the values as the source spelled them, for the messages.
 */
export function finishRecord(
  kind: RecordKind,
  input: Record<string, unknown>,
  raw: Record<string, string>,
  problems: RowProblem[],
  row: number,
  line: number | null,
  rubrics: Rubric[],
  columnOf: (field: string) => string = toSnakeCase,
): RowResult {
  for (const [field, value] of Object.entries(input)) {
    // PostgreSQL text cannot hold a NUL character: refused here, with the others, instead of failing the file.
    if (typeof value === 'string' && value.includes('\u0000')) {
      const column = columnOf(field);
      problems.push({
        row,
        line,
        column,
        field,
        value: value.replaceAll('\u0000', '\\0'),
        message: `column ${column} contains a NUL character (byte 0), which text cannot hold`,
      });
    }
  }
  const { valid, errors } = validateRecords(kind, [input]);
  for (const e of errors) {
    // A field whose cell was already refused (not a number) is reported once.
    if (problems.some((p) => p.field === e.field)) continue;
    const column = e.field === '(record)' ? null : columnOf(e.field);
    const value = raw[e.field] ?? (e.value === undefined ? null : String(e.value));
    problems.push({
      row,
      line,
      column,
      field: e.field,
      value,
      message: column === null ? e.message : columnMessage(column, value, e.message),
      ...(e.recordId === undefined ? {} : { recordId: e.recordId }),
    });
  }
  if (problems.length > 0 || valid.length === 0) return { staged: null, problems };
  const record = valid[0];
  if (kind === 'interview_scores') {
    for (const e of resolveRubrics([record as InterviewScoreRecord], rubrics)) {
      const column = columnOf(e.field);
      const value = raw[e.field] ?? (e.value === undefined ? null : String(e.value));
      problems.push({
        row,
        line,
        column,
        field: e.field,
        value,
        message: columnMessage(column, value, e.message),
        ...(e.recordId === undefined ? {} : { recordId: e.recordId }),
      });
    }
    if (problems.length > 0) return { staged: null, problems };
  }
  // Full UTC ISO strings in the staging, so SQL compares them and writes them as the JSON API does.
  canonicalTimestamps(record);
  return { staged: { kind, row, line, key: naturalKey(kind, record), record }, problems };
}
