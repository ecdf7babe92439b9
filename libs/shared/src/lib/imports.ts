import type { ImportStatus } from './api';
import type { RecordKind } from './records';

/*
 * The import contract: file imports (CSV of each canonical kind, Greenhouse and Lever JSON), their progress and
 * history, row-level errors, and the per-organization ATS mappings. The Imports screen and the API share it.
 *
 *   POST /api/v1/imports                      multipart: file, kind (ImportKind), onError? (reject|skip)  -> 202 ImportAccepted
 *   GET  /api/v1/imports?limit=50&before=ISO  ImportRunSummary[] (newest first)
 *   GET  /api/v1/imports/{importId}           ImportRunDetail (= ImportRunResponse)
 *   GET  /api/v1/imports/{importId}/errors.csv  text/csv: row,line,column,value,message
 *   GET  /api/v1/imports/mappings/{vendor}    AtsMapping                     (admin)
 *   PUT  /api/v1/imports/mappings/{vendor}    AtsMappingUpdate -> AtsMapping (admin)
 */

export const ATS_VENDORS = ['greenhouse', 'lever'] as const;
export type AtsVendor = (typeof ATS_VENDORS)[number];

export function isAtsVendor(value: string): value is AtsVendor {
  return (ATS_VENDORS as readonly string[]).includes(value);
}

/** What a file holds: one canonical record kind as CSV, or an ATS export (JSON) of that vendor. */
export type ImportKind = RecordKind | AtsVendor;

/** How the import arrived: the JSON records API, a CSV file, or an ATS export file. */
export const IMPORT_SOURCES = ['api', 'csv', 'greenhouse', 'lever'] as const;
export type ImportSource = (typeof IMPORT_SOURCES)[number];

/** reject: nothing is written if any row is bad. skip: good rows are written, bad ones reported. */
export const ON_ERROR_MODES = ['reject', 'skip'] as const;
export type OnErrorMode = (typeof ON_ERROR_MODES)[number];

/**
 * Where a running import is. receiving: the upload is being stored; validating: the file is parsed and checked
 * (progress in bytes of the file); writing: validated rows are upserted (progress in rows); done: finished.
 */
export const IMPORT_PHASES = ['receiving', 'queued', 'validating', 'writing', 'done'] as const;
export type ImportPhase = (typeof IMPORT_PHASES)[number];

export type ImportProgressUnit = 'rows' | 'bytes';

export interface ImportProgress {
  phase: ImportPhase;
  unit: ImportProgressUnit;
  processed: number;
  /** null while unknown (e.g. rows of a file not yet parsed). */
  total: number | null;
  /** 0..100, rounded down; null when total is unknown or zero. */
  percent: number | null;
}

/** Who started an import: a signed-in user or an API key (both null for a system import). */
export interface ImportActor {
  userId: string | null;
  email: string | null;
  apiKeyId: string | null;
  apiKeyName: string | null;
}

export interface ImportCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Rows refused (invalid). With onError=reject and any rejected row, nothing is written. */
  rejected: number;
}

/** What an import writes: the canonical kinds, and jobs (titles and departments, from a Greenhouse jobs export). */
export type ImportRecordKind = RecordKind | 'jobs';

/** Counts for one record kind inside an import (an ATS file yields several kinds). */
export interface ImportKindCounts extends ImportCounts {
  recordKind: ImportRecordKind;
  /** Valid rows of this kind. */
  rows: number;
}

/**
 * One problem with one input row. Compatible with RecordError (index, field, message, value, recordId).
 * row: 1-based data row (CSV: header excluded; JSON: position in the array). line: the file line the row starts on
 * (CSV only; header is line 1). column: the CSV column or JSON field; null when the problem is the whole row.
 */
export interface ImportRowError {
  row: number;
  line: number | null;
  column: string | null;
  value: string | null;
  message: string;
  /** 0-based row index (= row - 1), for RecordError compatibility. */
  index: number;
  /** The canonical field (camelCase) or the column; '(record)' for a whole-row problem. */
  field: string;
  recordId?: string;
}

/** An item of GET /api/v1/imports. */
export interface ImportRunSummary extends ImportCounts {
  importId: string;
  kind: ImportKind;
  source: ImportSource;
  /** The uploaded file's name; null for the JSON records API. */
  filename: string | null;
  /** Size of the uploaded file in bytes; null for the JSON records API. */
  fileSize: number | null;
  onError: OnErrorMode;
  status: ImportStatus;
  progress: ImportProgress;
  /** Rows in the input once known (0 before), and rows handled so far: kept for the records API's clients. */
  total: number;
  processed: number;
  /** Number of row errors stored (the CSV download has all of them). */
  errorCount: number;
  /** Why a failed import failed (also set when onError=reject refused a file with bad rows). */
  failureReason: string | null;
  attempts: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** finishedAt - startedAt, or now - startedAt while running; null before it starts. */
  durationMs: number | null;
  startedBy: ImportActor;
  /** True when the import joined an identical one in flight instead of running again. */
  deduplicated?: boolean;
}

/** GET /api/v1/imports/{importId}: the summary with its first errors and its counts by record kind. */
export interface ImportRunDetail extends ImportRunSummary {
  /** The first errors (at most 100); the full list is at errorsCsvUrl. */
  errors: ImportRowError[];
  errorsTruncated: boolean;
  /** Relative URL of the CSV of every error: /api/v1/imports/{importId}/errors.csv */
  errorsCsvUrl: string;
  byKind: ImportKindCounts[];
  /** The worker (host:pid) that ran or is running the import; null before it starts. */
  worker: string | null;
}

/** 202 answer of POST /api/v1/imports. */
export interface ImportAccepted {
  importId: string;
  /** True when an identical file (same organization, kind, onError and bytes) was already queued or running. */
  deduplicated: boolean;
}

/** Columns of errors.csv, in order. */
export const IMPORT_ERROR_CSV_COLUMNS = ['row', 'line', 'column', 'value', 'message'] as const;

/** ATS mapping: how a vendor's stage names and scorecard attribute names map to ours. */
export const ATS_MAPPING_TYPES = ['stage', 'criterion'] as const;
export type AtsMappingType = (typeof ATS_MAPPING_TYPES)[number];

export interface AtsMappingEntry {
  /** The name as the ATS spells it (Greenhouse stage or attribute name; Lever stage id or score field text). */
  atsName: string;
  /** Our stage name, or rubric criterion key; null means "ignore this one" (no error, nothing written). */
  target: string | null;
  /** custom: set by an admin; default: matched by normalized name; unmatched: no default found (rows error). */
  origin: 'custom' | 'default' | 'unmatched';
  /** When the name was last seen in an import; null if only set by hand. */
  lastSeenAt: string | null;
}

/** GET /api/v1/imports/mappings/{vendor}. */
export interface AtsMapping {
  vendor: AtsVendor;
  stages: AtsMappingEntry[];
  criteria: AtsMappingEntry[];
  /** What can be mapped to: the organization's known stages and its default rubric's criterion keys. */
  availableStages: string[];
  availableCriteria: string[];
}

/**
 * PUT /api/v1/imports/mappings/{vendor}: replaces the custom entries. An entry with target null ignores the name;
 * a name left out falls back to its default (normalized-name match).
 */
export interface AtsMappingUpdate {
  stages: { atsName: string; target: string | null }[];
  criteria: { atsName: string; target: string | null }[];
}

/** The default match: lowercase, accents stripped, runs of anything else than letters and digits as one _. */
export function normalizeAtsName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}
