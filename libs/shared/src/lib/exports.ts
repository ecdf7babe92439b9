import { z } from 'zod';
import { OUTCOMES } from './analytics';
import { FAIRNESS_GROUPINGS } from './fairness';
import { APPLICATION_STATUSES, CONTROL_CHARACTERS, MAX_YEAR, MIN_YEAR, yearInRange } from './records';

/*
 * Saved cohorts and exports (PRODUCT.md "Cohort report definitions"; README "Cohorts and exports").
 * Routes: /api/v1/cohorts, POST /api/v1/exports, GET /api/v1/exports/{id}, GET /api/v1/exports/{id}/download.
 */

const text = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .refine((v) => !CONTROL_CHARACTERS.test(v), { message: 'must not contain control characters' });
const isoDate = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2025-01-31')
  .refine(
    (v) =>
      !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
    {
      message: 'must be a valid calendar date',
      abort: true,
    },
  )
  .refine(yearInRange, { message: `must lie between ${MIN_YEAR}-01-01 and ${MAX_YEAR}-12-31` });

/** A cohort: the analytics filters, with the applied-date range choosing the cohort and an optional status. */
export const cohortFiltersSchema = z
  .strictObject({
    jobId: text.optional(),
    department: text.optional(),
    source: text.optional(),
    rubric: text.optional(),
    rubricVersion: z.number().int('must be a whole number').min(1).max(1_000_000).optional(),
    appliedFrom: isoDate.optional(),
    appliedTo: isoDate.optional(),
    hiredFrom: isoDate.optional(),
    hiredTo: isoDate.optional(),
    status: z.enum(APPLICATION_STATUSES).optional(),
  })
  .refine((f) => !f.appliedFrom || !f.appliedTo || f.appliedFrom <= f.appliedTo, {
    message: 'appliedFrom must not be after appliedTo',
    path: ['appliedFrom'],
  })
  .refine((f) => !f.hiredFrom || !f.hiredTo || f.hiredFrom <= f.hiredTo, {
    message: 'hiredFrom must not be after hiredTo',
    path: ['hiredFrom'],
  });
export type CohortFilters = z.output<typeof cohortFiltersSchema>;

/** The cohort filter keys in the order reports echo them and cache and deduplicate on. */
export const COHORT_FILTER_KEYS = [
  'jobId',
  'department',
  'source',
  'rubric',
  'rubricVersion',
  'appliedFrom',
  'appliedTo',
  'hiredFrom',
  'hiredTo',
  'status',
] as const;

/** Body of POST /api/v1/cohorts. */
export const cohortCreateSchema = z.strictObject({ name: text, filters: cohortFiltersSchema.default({}) });
/** Body of PATCH /api/v1/cohorts/{id}. */
export const cohortUpdateSchema = z
  .strictObject({ name: text.optional(), filters: cohortFiltersSchema.optional() })
  .refine((v) => v.name !== undefined || v.filters !== undefined, { message: 'name or filters to change' });

export interface Cohort {
  id: string;
  name: string;
  filters: CohortFilters;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The reports an export can carry; the aggregate ones are a screen's table as rows. */
export const EXPORT_REPORTS = [
  'cohort',
  'validity',
  'interviewers',
  'reliability',
  'funnel',
  'adverse-impact',
  'bias-audit',
  'differential-validity',
] as const;
export type ExportReport = (typeof EXPORT_REPORTS)[number];
/** The options of the fairness reports, as stored with an export or schedule. */
export interface ExportOptions {
  groupBy?: string;
  criterion?: string;
}

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Body of POST /api/v1/exports: the filters given inline or a saved cohort's id (not both). */
export const exportCreateSchema = z
  .strictObject({
    report: z.enum(EXPORT_REPORTS),
    format: z.enum(EXPORT_FORMATS),
    filters: cohortFiltersSchema.optional(),
    cohortId: z.uuid('must be a cohort id').optional(),
    includeDemographics: z.boolean().default(false),
    /** validity, interviewers and differential-validity: the outcome (default performance), as on their screens. */
    outcome: z.enum(OUTCOMES).optional(),
    /** adverse-impact and differential-validity: the grouping (default sex). */
    groupBy: z.enum(FAIRNESS_GROUPINGS).optional(),
    /** bias-audit and differential-validity: a rubric criterion's key or composite (the default). */
    criterion: text.optional(),
  })
  .refine((v) => v.filters === undefined || v.cohortId === undefined, {
    message: 'give filters or cohortId, not both',
    path: ['cohortId'],
  });
export type ExportCreate = z.output<typeof exportCreateSchema>;

export const EXPORT_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

/** GET /api/v1/exports/{id}. */
export interface ExportSummary {
  id: string;
  report: ExportReport;
  format: ExportFormat;
  filters: CohortFilters;
  cohortId: string | null;
  includeDemographics: boolean;
  /** validity, interviewers, differential-validity: the outcome the figures are for; null for the other reports. */
  outcome: string | null;
  /** The fairness reports' grouping and criterion, where they take one. */
  options: ExportOptions;
  status: ExportStatus;
  rowsWritten: number;
  /** Rows expected (counted when the export starts); null before. */
  rowsTotal: number | null;
  bytes: number | null;
  /** 0 to 1. */
  progress: number;
  /** The organization's data version the rows were read at. */
  dataVersion: string | null;
  /** SHA-256 of the file, hex; null until completed. */
  sha256: string | null;
  error: string | null;
  fileName: string | null;
  createdAt: string;
  completedAt: string | null;
  expiresAt: string | null;
  /** The schedule that made this export; null for one asked for by hand. */
  scheduleId: string | null;
}

/** POST /api/v1/exports answers 202 with this. */
export interface ExportCreated {
  exportId: string;
  /** An export of the same report, format, filters and data version was queued, running or done: that one. */
  deduplicated: boolean;
}

/*
 * Scheduled exports: GET|POST /api/v1/export-schedules, DELETE /api/v1/export-schedules/{id}. Each run is an
 * export like any other (GET /api/v1/exports lists it, with its scheduleId).
 */
export const EXPORT_FREQUENCIES = ['daily', 'weekly', 'monthly'] as const;
export type ExportFrequency = (typeof EXPORT_FREQUENCIES)[number];

/** Body of POST /api/v1/export-schedules. */
export const exportScheduleCreateSchema = z
  .strictObject({
    name: text,
    report: z.enum(EXPORT_REPORTS),
    format: z.enum(EXPORT_FORMATS),
    filters: cohortFiltersSchema.optional(),
    cohortId: z.uuid('must be a cohort id').optional(),
    includeDemographics: z.boolean().default(false),
    outcome: z.enum(OUTCOMES).optional(),
    groupBy: z.enum(FAIRNESS_GROUPINGS).optional(),
    criterion: text.optional(),
    frequency: z.enum(EXPORT_FREQUENCIES),
  })
  .refine((v) => v.filters === undefined || v.cohortId === undefined, {
    message: 'give filters or cohortId, not both',
    path: ['cohortId'],
  });
export type ExportScheduleCreate = z.output<typeof exportScheduleCreateSchema>;

export interface ExportSchedule {
  id: string;
  name: string;
  report: ExportReport;
  format: ExportFormat;
  filters: CohortFilters;
  cohortId: string | null;
  includeDemographics: boolean;
  outcome: string | null;
  options: ExportOptions;
  frequency: ExportFrequency;
  /** When the next run is due (UTC): daily 02:00, weekly Monday 02:00, monthly the 1st at 02:00. */
  nextRunAt: string | null;
  createdBy: string | null;
  createdAt: string;
  /** The latest runs, newest first (at most 5): their status, rows and, when failed, why. */
  lastRuns: ExportSummary[];
}
