import type { Role } from './roles';
import type { ImportRunDetail } from './imports';
import type { RecordError } from './validation';

/** Body of POST /api/v1/records/{kind}. */
export interface IngestRequest {
  records: unknown[];
}

/** 202 answer to an accepted ingestion. */
export interface IngestAccepted {
  importId: string;
  /** True when an identical payload was already queued or running and this request joined it. */
  deduplicated: boolean;
}

export const IMPORT_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/**
 * GET /api/v1/imports/{importId}. Since the file imports it is the ImportRunDetail of imports.ts: every field
 * it had (importId, status, total, processed, inserted, updated, unchanged, rejected, errors, failureReason,
 * createdAt, startedAt, finishedAt) keeps its meaning; kind may also be an ATS vendor, and errors carry row numbers.
 */
export type ImportRunResponse = ImportRunDetail;

/** Body of a 400/422 answer. */
export interface ErrorResponse {
  statusCode: number;
  error: string;
  message: string;
  errors?: RecordError[] | { field: string; message: string }[];
}

export interface LoginRequest {
  email: string;
  password: string;
}

/** GET /api/v1/auth/me. */
export interface SessionInfo {
  userId: string | null;
  email: string | null;
  role: Role;
  organizationId: string;
  organizationName: string;
}

export interface JobSummary {
  jobId: string;
  title: string | null;
  department: string | null;
}

/**
 * GET /api/v1/filter-options: the values the dashboard's job, department and source filters can take, read from
 * the organization's data (a filter in a URL is checked against these before it is used).
 */
export interface FilterOptions {
  jobs: JobSummary[];
  /** Departments of the jobs, sorted. */
  departments: string[];
  /** Sources of the applications, sorted, each with its number of applications. */
  sources: { source: string; applications: number }[];
}

export interface HealthResponse {
  status: 'ok' | 'degraded';
  database: 'up' | 'down';
  queue: 'up' | 'down';
  queueDriver: 'bullmq' | 'in-process';
  databaseMode: 'postgres' | 'embedded';
}

/** GET /api/health/live: the process runs (no dependency is asked). */
export interface LivenessResponse {
  status: 'alive';
  /** Seconds since the process started. */
  uptimeSeconds: number;
}

/** GET /api/health/ready: 200 when the database and the queue answer and the process is not shutting down. */
export interface ReadinessResponse {
  status: 'ready' | 'not_ready';
  database: 'up' | 'down';
  queue: 'up' | 'down';
  shuttingDown: boolean;
}
