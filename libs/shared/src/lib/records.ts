import { z } from 'zod';

/**
 * The canonical records of PRODUCT.md: the interchange contract for the JSON API (camelCase) and CSV (snake_case).
 * This file is the single source of truth for their fields, types and rules.
 */

export const RECORD_KINDS = [
  'applications',
  'stage_events',
  'interview_scores',
  'performance_reviews',
  'separations',
  'demographics',
] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

export function isRecordKind(value: string): value is RecordKind {
  return (RECORD_KINDS as readonly string[]).includes(value);
}

export const APPLICATION_STATUSES = ['active', 'hired', 'rejected', 'withdrawn', 'offer_declined'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const SEPARATION_TYPES = ['voluntary_regretted', 'voluntary_non_regretted', 'involuntary'] as const;
export type SeparationType = (typeof SEPARATION_TYPES)[number];

export const RECOMMENDATIONS = ['strong_no', 'no', 'yes', 'strong_yes'] as const;
export type Recommendation = (typeof RECOMMENDATIONS)[number];

export const SEXES = ['female', 'male', 'another', 'declined'] as const;
export type Sex = (typeof SEXES)[number];

/** EEO-1 race/ethnicity categories (U.S. EEOC), plus an explicit "declined to answer". */
export const RACE_ETHNICITIES = [
  'hispanic_or_latino',
  'white',
  'black_or_african_american',
  'native_hawaiian_or_other_pacific_islander',
  'asian',
  'american_indian_or_alaska_native',
  'two_or_more_races',
  'declined',
] as const;
export type RaceEthnicity = (typeof RACE_ETHNICITIES)[number];

const ISO_8601 =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])([T ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):?[0-5]\d)?)?$/;

/** The years a date may fall in: older or later dates are typing errors, and PostgreSQL refuses year 0. */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2200;

/** Whether an ISO date's (or date-time's) year lies in MIN_YEAR..MAX_YEAR. */
export function yearInRange(value: string): boolean {
  const year = Number(value.slice(0, 4));
  return year >= MIN_YEAR && year <= MAX_YEAR;
}

/** An ISO 8601 date or date-time from 1900 to 2200. A date-time without an offset is read as UTC. */
const timestamp = z
  .string()
  .refine((value) => ISO_8601.test(value) && !Number.isNaN(parseTimestamp(value)), {
    message: 'must be an ISO 8601 date or date-time, e.g. 2025-03-01 or 2025-03-01T14:30:00Z',
    abort: true,
  })
  .refine(yearInRange, { message: `must lie between ${MIN_YEAR}-01-01 and ${MAX_YEAR}-12-31` });

/** Milliseconds since the epoch for a value accepted by the `timestamp` schema; NaN otherwise. */
export function parseTimestamp(value: string): number {
  // Imports meet the same timestamp on consecutive rows (the scores of one interview): remember the last one.
  if (value === lastTimestamp.value) return lastTimestamp.ms;
  const ms = parseTimestampUncached(value);
  lastTimestamp.value = value;
  lastTimestamp.ms = ms;
  return ms;
}

const lastTimestamp = { value: '', ms: Number.NaN };

/** The fields of a value ISO_8601 accepts: year, month, day, then optionally hour, minute, second, fraction, zone. */
const ISO_PARTS =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):?(\d{2}))?)?$/;

function parseTimestampUncached(value: string): number {
  if (!ISO_8601.test(value)) return Number.NaN;
  const m = ISO_PARTS.exec(value) as RegExpExecArray;
  const y = Number(m[1]);
  const mo = Number(m[2]) - 1;
  const d = Number(m[3]);
  // Date.UTC reads years 0-99 as 1900-1999; those take the slow path below.
  if (y < 100) return parseTimestampSlow(value);
  const day = Date.UTC(y, mo, d);
  const probe = new Date(day);
  if (probe.getUTCMonth() !== mo || probe.getUTCDate() !== d) return Number.NaN; // e.g. 2025-02-30
  if (m[4] === undefined) return day;
  // Milliseconds: the first three digits of the fraction (further digits are dropped, as Date.parse does).
  const ms = m[7] === undefined ? 0 : Number(`${m[7]}00`.slice(0, 3));
  const offset =
    m[9] === undefined ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11])) * 60_000;
  return Date.UTC(y, mo, d, Number(m[4]), Number(m[5]), m[6] === undefined ? 0 : Number(m[6]), ms) - offset;
}

function parseTimestampSlow(value: string): number {
  const [datePart] = value.split(/[T ]/);
  const [y, mo, d] = datePart.split('-').map(Number);
  const probe = new Date(0);
  probe.setUTCFullYear(y, mo - 1, d);
  if (probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) return Number.NaN;
  const hasTime = /[T ]/.test(value);
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(value) && hasTime;
  const normalised = hasTime ? value.replace(' ', 'T') + (hasZone ? '' : 'Z') : `${value}T00:00:00Z`;
  return Date.parse(normalised);
}

/** C0 control characters and DEL: never part of an identifier or a filter value. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

const externalId = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .refine((v) => !CONTROL_CHARACTERS.test(v), {
    message: 'must not contain control characters (NUL, tab, line breaks and the like)',
  });
/** Free text may hold tabs and line breaks, but never NUL, which PostgreSQL text cannot store. */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .refine((v) => !v.includes('\u0000'), { message: 'must not contain a NUL character' })
    .optional();

export const applicationRecordSchema = z
  .strictObject({
    applicationId: externalId,
    candidateId: externalId,
    jobId: externalId,
    jobTitle: optionalText(300),
    department: optionalText(200),
    source: optionalText(200),
    appliedAt: timestamp,
    status: z.enum(APPLICATION_STATUSES).default('active'),
    decidedAt: timestamp.optional(),
    hiredAt: timestamp.optional(),
    rejectionReason: optionalText(500),
  })
  .superRefine((rec, ctx) => {
    if (rec.status === 'hired' && !rec.hiredAt) {
      ctx.addIssue({ code: 'custom', path: ['hiredAt'], message: 'is required when status is hired' });
    }
    if (rec.hiredAt && rec.status !== 'hired') {
      ctx.addIssue({ code: 'custom', path: ['status'], message: 'must be hired when hiredAt is given' });
    }
    for (const field of ['decidedAt', 'hiredAt'] as const) {
      const value = rec[field];
      if (value && parseTimestamp(value) < parseTimestamp(rec.appliedAt)) {
        ctx.addIssue({ code: 'custom', path: [field], message: 'must not be before appliedAt' });
      }
    }
  });

export const stageEventRecordSchema = z.strictObject({
  applicationId: externalId,
  stage: externalId,
  enteredAt: timestamp,
});

export const interviewScoreRecordSchema = z.strictObject({
  applicationId: externalId,
  interviewId: externalId,
  interviewerId: externalId,
  criterion: externalId,
  score: z.number().finite(),
  stage: optionalText(200),
  interviewedAt: timestamp.optional(),
  rubric: optionalText(200),
  rubricVersion: z.number().int('must be a whole number').positive('must be positive').optional(),
  recommendation: z.enum(RECOMMENDATIONS).optional(),
  /** The interviewer's display name (e.g. from the ATS); interviewerId stays the key. Last, so older CSVs keep their order. */
  interviewerName: optionalText(200),
});

export const performanceReviewRecordSchema = z
  .strictObject({
    applicationId: externalId,
    reviewDate: timestamp,
    rating: z.number().finite(),
    reviewPeriod: optionalText(50),
    scaleMax: z.number().int('must be a whole number').min(2, 'must be at least 2').max(100).default(5),
  })
  .superRefine((rec, ctx) => {
    if (rec.rating < 1 || rec.rating > rec.scaleMax) {
      ctx.addIssue({
        code: 'custom',
        path: ['rating'],
        message: `must lie on the review scale 1 to ${rec.scaleMax}, got ${rec.rating}`,
      });
    }
  });

export const separationRecordSchema = z.strictObject({
  applicationId: externalId,
  separatedAt: timestamp,
  separationType: z.enum(SEPARATION_TYPES),
});

export const demographicRecordSchema = z.strictObject({
  candidateId: externalId,
  sex: z.enum(SEXES).optional(),
  raceEthnicity: z.enum(RACE_ETHNICITIES).optional(),
});

export const RECORD_SCHEMAS = {
  applications: applicationRecordSchema,
  stage_events: stageEventRecordSchema,
  interview_scores: interviewScoreRecordSchema,
  performance_reviews: performanceReviewRecordSchema,
  separations: separationRecordSchema,
  demographics: demographicRecordSchema,
} as const;

export type ApplicationRecord = z.output<typeof applicationRecordSchema>;
export type StageEventRecord = z.output<typeof stageEventRecordSchema>;
export type InterviewScoreRecord = z.output<typeof interviewScoreRecordSchema>;
export type PerformanceReviewRecord = z.output<typeof performanceReviewRecordSchema>;
export type SeparationRecord = z.output<typeof separationRecordSchema>;
export type DemographicRecord = z.output<typeof demographicRecordSchema>;

export interface RecordByKind {
  applications: ApplicationRecord;
  stage_events: StageEventRecord;
  interview_scores: InterviewScoreRecord;
  performance_reviews: PerformanceReviewRecord;
  separations: SeparationRecord;
  demographics: DemographicRecord;
}
export type AnyRecord = RecordByKind[RecordKind];

/** The input shape (before defaults) that a client sends. */
export type RecordInputByKind = { [K in RecordKind]: z.input<(typeof RECORD_SCHEMAS)[K]> };

/** The fields that identify a record within its organization: a second write with the same key updates it. */
export const NATURAL_KEYS: { [K in RecordKind]: readonly (keyof RecordByKind[K])[] } = {
  applications: ['applicationId'],
  stage_events: ['applicationId', 'stage'],
  interview_scores: ['interviewId', 'interviewerId', 'criterion'],
  performance_reviews: ['applicationId', 'reviewDate'],
  separations: ['applicationId'],
  demographics: ['candidateId'],
};

/** Column names of a kind in CSV (snake_case), in canonical order, with the required ones marked. */
export function csvColumns(kind: RecordKind): { column: string; field: string; required: boolean }[] {
  const shape = unwrapShape(RECORD_SCHEMAS[kind]);
  return Object.entries(shape).map(([field, schema]) => ({
    field,
    column: toSnakeCase(field),
    required: !(schema as z.ZodType).safeParse(undefined).success,
  }));
}

function unwrapShape(schema: z.ZodType): Record<string, z.ZodType> {
  const def = (
    schema as unknown as { def: { type: string; shape?: Record<string, z.ZodType>; in?: z.ZodType } }
  ).def;
  if (def.shape) return def.shape;
  if (def.in) return unwrapShape(def.in);
  const inner = (schema as unknown as { def: { schema?: z.ZodType } }).def.schema;
  if (inner) return unwrapShape(inner);
  throw new Error('unexpected schema shape');
}

export function toSnakeCase(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export function toCamelCase(column: string): string {
  return column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}
