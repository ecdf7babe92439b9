import type { z } from 'zod';
import { RECORD_SCHEMAS, type RecordByKind, type RecordKind } from './records';

/** One problem with one input record: which record (0-based index in the request), which field, what is wrong. */
export interface RecordError {
  index: number;
  /** The record's own id (applicationId, candidateId, interviewId) when it could be read, to find it in the source. */
  recordId?: string;
  field: string;
  message: string;
  value?: unknown;
}

export interface ValidationResult<K extends RecordKind> {
  valid: RecordByKind[K][];
  errors: RecordError[];
}

/** Validates every record against its kind's canonical schema; never stops at the first error. */
export function validateRecords<K extends RecordKind>(
  kind: K,
  records: readonly unknown[],
): ValidationResult<K> {
  const schema = RECORD_SCHEMAS[kind] as unknown as z.ZodType<RecordByKind[K]>;
  const valid: RecordByKind[K][] = [];
  const errors: RecordError[] = [];
  records.forEach((record, index) => {
    const parsed = schema.safeParse(record);
    if (parsed.success) {
      valid.push(parsed.data);
      return;
    }
    const recordId = readRecordId(record);
    for (const issue of parsed.error.issues) {
      errors.push(...issueToErrors(issue, index, recordId, record));
    }
  });
  return { valid, errors };
}

function issueToErrors(
  issue: z.core.$ZodIssue,
  index: number,
  recordId: string | undefined,
  record: unknown,
) {
  const base = { index, ...(recordId === undefined ? {} : { recordId }) };
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ ...base, field: key, message: 'is not a field of this record kind' }));
  }
  const field = issue.path.map(String).join('.') || '(record)';
  const value = issue.path.length === 1 && isObject(record) ? record[String(issue.path[0])] : undefined;
  return [
    { ...base, field, message: describeIssue(issue, value), ...(value === undefined ? {} : { value }) },
  ];
}

function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  if (issue.code === 'invalid_type') {
    if (value === undefined) return 'is required';
    return `must be a ${issue.expected}, got ${value === null ? 'null' : typeof value}`;
  }
  if (issue.code === 'invalid_value') {
    return `must be one of ${issue.values.map((v) => String(v)).join(', ')}`;
  }
  return issue.message;
}

function readRecordId(record: unknown): string | undefined {
  if (!isObject(record)) return undefined;
  for (const key of ['applicationId', 'candidateId', 'interviewId']) {
    const v = record[key];
    if (typeof v === 'string' && v.length > 0) return v;
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
