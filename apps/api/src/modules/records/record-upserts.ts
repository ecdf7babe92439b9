import {
  parseTimestamp,
  type ApplicationRecord,
  type DemographicRecord,
  type InterviewScoreRecord,
  type PerformanceReviewRecord,
  type RecordByKind,
  type RecordKind,
  type SeparationRecord,
  type StageEventRecord,
} from '@hiresignal/shared';
import type { EntityManager } from 'typeorm';

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

interface ColumnSpec {
  name: string;
  type: 'text' | 'timestamptz' | 'double precision' | 'integer';
}

interface TableSpec {
  table: string;
  columns: ColumnSpec[];
  /** Natural key, after organization_id. */
  key: string[];
  /** How a conflicting row is treated: overwrite changed columns, keep existing values where the new one is null, or keep the row. */
  onConflict: 'update' | 'coalesce' | 'nothing';
  touchUpdatedAt?: boolean;
}

/**
 * One set-based upsert of a batch. Rows whose values already match are not written (the WHERE ... IS DISTINCT
 * FROM skips them), so a repeated import changes nothing and reports every row unchanged; `xmax = 0` tells an
 * inserted row from an updated one. The batch must not contain two rows with the same key.
 */
async function upsert(
  tx: EntityManager,
  spec: TableSpec,
  organizationId: string,
  rows: Record<string, unknown>[],
): Promise<UpsertCounts> {
  if (rows.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  const names = spec.columns.map((c) => c.name);
  const valueCols = names.filter((n) => !spec.key.includes(n));
  const recordset = spec.columns.map((c) => `${c.name} ${c.type}`).join(', ');
  let conflict = 'DO NOTHING';
  if (spec.onConflict !== 'nothing' && valueCols.length > 0) {
    const set = valueCols.map((n) =>
      spec.onConflict === 'coalesce' ? `${n} = COALESCE(EXCLUDED.${n}, t.${n})` : `${n} = EXCLUDED.${n}`,
    );
    if (spec.touchUpdatedAt) set.push('updated_at = now()');
    const incoming = valueCols.map((n) =>
      spec.onConflict === 'coalesce' ? `COALESCE(EXCLUDED.${n}, t.${n})` : `EXCLUDED.${n}`,
    );
    conflict = `DO UPDATE SET ${set.join(', ')}
      WHERE (${valueCols.map((n) => `t.${n}`).join(', ')}) IS DISTINCT FROM (${incoming.join(', ')})`;
  }
  const sql = `
    INSERT INTO ${spec.table} AS t (organization_id, ${names.join(', ')})
    SELECT $1::uuid, ${names.map((n) => `r.${n}`).join(', ')}
    FROM jsonb_to_recordset($2::jsonb) AS r(${recordset})
    ON CONFLICT (organization_id, ${spec.key.join(', ')}) ${conflict}
    RETURNING (xmax = 0) AS inserted`;
  const result = (await tx.query(sql, [organizationId, JSON.stringify(rows)])) as { inserted: boolean }[];
  const inserted = result.filter((r) => r.inserted).length;
  return { inserted, updated: result.length - inserted, unchanged: rows.length - result.length };
}

const iso = (value: string | undefined): string | null =>
  value === undefined ? null : new Date(parseTimestamp(value)).toISOString();

function uniqueBy<T>(rows: T[], key: (row: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const row of rows) if (!seen.has(key(row))) seen.set(key(row), row);
  return [...seen.values()];
}

const SPECS = {
  applications: {
    table: 'applications',
    columns: [
      { name: 'external_id', type: 'text' },
      { name: 'candidate_external_id', type: 'text' },
      { name: 'job_external_id', type: 'text' },
      { name: 'source', type: 'text' },
      { name: 'applied_at', type: 'timestamptz' },
      { name: 'status', type: 'text' },
      { name: 'decided_at', type: 'timestamptz' },
      { name: 'hired_at', type: 'timestamptz' },
      { name: 'rejection_reason', type: 'text' },
    ],
    key: ['external_id'],
    onConflict: 'update',
    touchUpdatedAt: true,
  },
  jobs: {
    table: 'jobs',
    columns: [
      { name: 'external_id', type: 'text' },
      { name: 'title', type: 'text' },
      { name: 'department', type: 'text' },
    ],
    key: ['external_id'],
    onConflict: 'coalesce',
    touchUpdatedAt: true,
  },
  candidates: {
    table: 'candidates',
    columns: [{ name: 'external_id', type: 'text' }],
    key: ['external_id'],
    onConflict: 'nothing',
  },
  stage_events: {
    table: 'stage_events',
    columns: [
      { name: 'application_external_id', type: 'text' },
      { name: 'stage', type: 'text' },
      { name: 'entered_at', type: 'timestamptz' },
    ],
    key: ['application_external_id', 'stage'],
    onConflict: 'update',
  },
  interviewers: {
    table: 'interviewers',
    columns: [{ name: 'external_id', type: 'text' }],
    key: ['external_id'],
    onConflict: 'nothing',
  },
  interviews: {
    table: 'interviews',
    columns: [
      { name: 'external_id', type: 'text' },
      { name: 'application_external_id', type: 'text' },
      { name: 'stage', type: 'text' },
      { name: 'interviewed_at', type: 'timestamptz' },
    ],
    key: ['external_id'],
    onConflict: 'coalesce',
  },
  interview_scores: {
    table: 'interview_scores',
    columns: [
      { name: 'interview_external_id', type: 'text' },
      { name: 'interviewer_external_id', type: 'text' },
      { name: 'criterion', type: 'text' },
      { name: 'application_external_id', type: 'text' },
      { name: 'score', type: 'double precision' },
      { name: 'stage', type: 'text' },
      { name: 'interviewed_at', type: 'timestamptz' },
      { name: 'rubric_name', type: 'text' },
      { name: 'rubric_version', type: 'integer' },
      { name: 'recommendation', type: 'text' },
    ],
    key: ['interview_external_id', 'interviewer_external_id', 'criterion'],
    onConflict: 'update',
  },
  performance_reviews: {
    table: 'performance_reviews',
    columns: [
      { name: 'application_external_id', type: 'text' },
      { name: 'review_date', type: 'timestamptz' },
      { name: 'rating', type: 'double precision' },
      { name: 'review_period', type: 'text' },
      { name: 'scale_max', type: 'integer' },
    ],
    key: ['application_external_id', 'review_date'],
    onConflict: 'update',
  },
  separations: {
    table: 'separations',
    columns: [
      { name: 'application_external_id', type: 'text' },
      { name: 'separated_at', type: 'timestamptz' },
      { name: 'separation_type', type: 'text' },
    ],
    key: ['application_external_id'],
    onConflict: 'update',
  },
  demographics: {
    table: 'demographics',
    columns: [
      { name: 'candidate_external_id', type: 'text' },
      { name: 'sex', type: 'text' },
      { name: 'race_ethnicity', type: 'text' },
    ],
    key: ['candidate_external_id'],
    onConflict: 'update',
  },
} satisfies Record<string, TableSpec>;

type Writer<K extends RecordKind> = (
  tx: EntityManager,
  org: string,
  records: RecordByKind[K][],
) => Promise<UpsertCounts>;

/**
 * Writes one batch of validated records of a kind, with the rows they imply (a job and a candidate for an
 * application, an interview and an interviewer for a score). Only the records' own rows are counted.
 */
export const RECORD_WRITERS: { [K in RecordKind]: Writer<K> } = {
  async applications(tx, org, records: ApplicationRecord[]) {
    await writeJobs(
      tx,
      org,
      uniqueBy(records, (r) => r.jobId),
    );
    await writeCandidates(tx, org, records);
    return upsert(
      tx,
      SPECS.applications,
      org,
      records.map((r) => ({
        external_id: r.applicationId,
        candidate_external_id: r.candidateId,
        job_external_id: r.jobId,
        source: r.source ?? null,
        applied_at: iso(r.appliedAt),
        status: r.status,
        decided_at: iso(r.decidedAt),
        hired_at: iso(r.hiredAt),
        rejection_reason: r.rejectionReason ?? null,
      })),
    );
  },
  async stage_events(tx, org, records: StageEventRecord[]) {
    return upsert(
      tx,
      SPECS.stage_events,
      org,
      records.map((r) => ({
        application_external_id: r.applicationId,
        stage: r.stage,
        entered_at: iso(r.enteredAt),
      })),
    );
  },
  async interview_scores(tx, org, records: InterviewScoreRecord[]) {
    await upsert(
      tx,
      SPECS.interviewers,
      org,
      uniqueBy(records, (r) => r.interviewerId).map((r) => ({ external_id: r.interviewerId })),
    );
    await upsert(
      tx,
      SPECS.interviews,
      org,
      uniqueBy(records, (r) => r.interviewId).map((r) => ({
        external_id: r.interviewId,
        application_external_id: r.applicationId,
        stage: r.stage ?? null,
        interviewed_at: iso(r.interviewedAt),
      })),
    );
    return upsert(
      tx,
      SPECS.interview_scores,
      org,
      records.map((r) => ({
        interview_external_id: r.interviewId,
        interviewer_external_id: r.interviewerId,
        criterion: r.criterion,
        application_external_id: r.applicationId,
        score: r.score,
        stage: r.stage ?? null,
        interviewed_at: iso(r.interviewedAt),
        rubric_name: r.rubric,
        rubric_version: r.rubricVersion,
        recommendation: r.recommendation ?? null,
      })),
    );
  },
  async performance_reviews(tx, org, records: PerformanceReviewRecord[]) {
    return upsert(
      tx,
      SPECS.performance_reviews,
      org,
      records.map((r) => ({
        application_external_id: r.applicationId,
        review_date: iso(r.reviewDate),
        rating: r.rating,
        review_period: r.reviewPeriod ?? null,
        scale_max: r.scaleMax,
      })),
    );
  },
  async separations(tx, org, records: SeparationRecord[]) {
    return upsert(
      tx,
      SPECS.separations,
      org,
      records.map((r) => ({
        application_external_id: r.applicationId,
        separated_at: iso(r.separatedAt),
        separation_type: r.separationType,
      })),
    );
  },
  async demographics(tx, org, records: DemographicRecord[]) {
    await writeCandidates(tx, org, records);
    return upsert(
      tx,
      SPECS.demographics,
      org,
      records.map((r) => ({
        candidate_external_id: r.candidateId,
        sex: r.sex ?? null,
        race_ethnicity: r.raceEthnicity ?? null,
      })),
    );
  },
};

/** The candidates a batch refers to; an existing candidate is left as it is. */
function writeCandidates(tx: EntityManager, org: string, records: { candidateId: string }[]) {
  return upsert(
    tx,
    SPECS.candidates,
    org,
    uniqueBy(records, (r) => r.candidateId).map((r) => ({ external_id: r.candidateId })),
  );
}

/** A job's title and department, e.g. from a Greenhouse jobs export; null values keep what is stored. */
export interface JobRecord {
  jobId: string;
  jobTitle?: string;
  department?: string;
}

export function writeJobs(tx: EntityManager, org: string, records: JobRecord[]): Promise<UpsertCounts> {
  return upsert(
    tx,
    SPECS.jobs,
    org,
    records.map((r) => ({
      external_id: r.jobId,
      title: r.jobTitle ?? null,
      department: r.department ?? null,
    })),
  );
}
