import {
  parseTimestamp,
  type ImportRecordKind,
  type RecordByKind,
  type RecordKind,
} from '@hiresignal/shared';
import type { EntityManager } from 'typeorm';

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/** A batch's counts, and whether it changed any row the records imply (an interviewer's name, a job's title). */
export interface WriteResult extends UpsertCounts {
  impliedChanged: boolean;
}

type SqlType = 'text' | 'timestamptz' | 'double precision' | 'integer';

/** One table a record kind writes: target columns as SQL over the record's fields (`r."applicationId"`). */
interface TableWrite {
  table: string;
  columns: Record<string, string>;
  /** Natural key columns, after organization_id. */
  key: string[];
  /** How a conflicting row is treated: overwrite changed columns, keep existing values where the new one is null, or keep the row. */
  onConflict: 'update' | 'coalesce' | 'nothing';
  touchUpdatedAt?: boolean;
  /**
   * A row implied by the records (a job for an application, an interview for a score): several records may name
   * it, so the first one (in file or payload order) is written. Implied rows are not counted.
   */
  implied?: boolean;
  /**
   * For an implied row: which record names it when several do, as ORDER BY terms before the record's order (e.g.
   * prefer a record that carries a value over one that leaves it null).
   */
  prefer?: string[];
}

interface KindWrite {
  /** The record's fields as stored in JSON (canonical camelCase names), with their SQL types. */
  fields: Record<string, SqlType>;
  /** In order: implied tables first, the kind's own table (the counted one) last. */
  tables: TableWrite[];
}

const r = (field: string) => `r."${field}"`;

const JOBS_FROM = (jobId: string, title: string | null, department: string | null): TableWrite => ({
  table: 'jobs',
  columns: {
    external_id: r(jobId),
    title: title === null ? 'NULL::text' : r(title),
    department: department === null ? 'NULL::text' : r(department),
  },
  key: ['external_id'],
  onConflict: 'coalesce',
  touchUpdatedAt: true,
  implied: true,
});

const CANDIDATES_FROM = (candidateId: string): TableWrite => ({
  table: 'candidates',
  columns: { external_id: r(candidateId) },
  key: ['external_id'],
  onConflict: 'nothing',
  implied: true,
});

/** A job's title and department, e.g. from a Greenhouse jobs export; null values keep what is stored. */
export interface JobRecord {
  jobId: string;
  jobTitle?: string;
  department?: string;
}

/** Every kind a file import or the JSON API writes, including `jobs` (ATS job exports). */
export type WritableKind = ImportRecordKind;
export type WritableRecord<K extends WritableKind> = K extends RecordKind ? RecordByKind[K] : JobRecord;

/**
 * What each kind writes. The same statements serve the JSON API (records sent as one JSON parameter) and file
 * imports (records read from the staging table inside PostgreSQL, so a million rows never travel back to Node).
 */
const KIND_WRITES: Record<WritableKind, KindWrite> = {
  jobs: {
    fields: { jobId: 'text', jobTitle: 'text', department: 'text' },
    tables: [{ ...JOBS_FROM('jobId', 'jobTitle', 'department'), implied: false }],
  },
  applications: {
    fields: {
      applicationId: 'text',
      candidateId: 'text',
      jobId: 'text',
      jobTitle: 'text',
      department: 'text',
      source: 'text',
      appliedAt: 'timestamptz',
      status: 'text',
      decidedAt: 'timestamptz',
      hiredAt: 'timestamptz',
      rejectionReason: 'text',
    },
    tables: [
      JOBS_FROM('jobId', 'jobTitle', 'department'),
      CANDIDATES_FROM('candidateId'),
      {
        table: 'applications',
        columns: {
          external_id: r('applicationId'),
          candidate_external_id: r('candidateId'),
          job_external_id: r('jobId'),
          source: r('source'),
          applied_at: r('appliedAt'),
          status: r('status'),
          decided_at: r('decidedAt'),
          hired_at: r('hiredAt'),
          rejection_reason: r('rejectionReason'),
        },
        key: ['external_id'],
        onConflict: 'update',
        touchUpdatedAt: true,
      },
    ],
  },
  stage_events: {
    fields: { applicationId: 'text', stage: 'text', enteredAt: 'timestamptz' },
    tables: [
      {
        table: 'stage_events',
        columns: {
          application_external_id: r('applicationId'),
          stage: r('stage'),
          entered_at: r('enteredAt'),
        },
        key: ['application_external_id', 'stage'],
        onConflict: 'update',
      },
    ],
  },
  interview_scores: {
    fields: {
      applicationId: 'text',
      interviewId: 'text',
      interviewerId: 'text',
      criterion: 'text',
      score: 'double precision',
      stage: 'text',
      interviewedAt: 'timestamptz',
      rubric: 'text',
      rubricVersion: 'integer',
      recommendation: 'text',
      interviewerName: 'text',
    },
    tables: [
      {
        // The display name rides on the scores: a record without one keeps the stored name.
        table: 'interviewers',
        columns: { external_id: r('interviewerId'), name: r('interviewerName') },
        key: ['external_id'],
        onConflict: 'coalesce',
        implied: true,
        prefer: [`${r('interviewerName')} IS NULL`],
      },
      {
        table: 'interviews',
        columns: {
          external_id: r('interviewId'),
          application_external_id: r('applicationId'),
          stage: r('stage'),
          interviewed_at: r('interviewedAt'),
        },
        key: ['external_id'],
        onConflict: 'coalesce',
        implied: true,
      },
      {
        table: 'interview_scores',
        columns: {
          interview_external_id: r('interviewId'),
          interviewer_external_id: r('interviewerId'),
          criterion: r('criterion'),
          application_external_id: r('applicationId'),
          score: r('score'),
          stage: r('stage'),
          interviewed_at: r('interviewedAt'),
          rubric_name: r('rubric'),
          rubric_version: r('rubricVersion'),
          recommendation: r('recommendation'),
        },
        key: ['interview_external_id', 'interviewer_external_id', 'criterion'],
        onConflict: 'update',
      },
    ],
  },
  performance_reviews: {
    fields: {
      applicationId: 'text',
      reviewDate: 'timestamptz',
      rating: 'double precision',
      reviewPeriod: 'text',
      scaleMax: 'integer',
    },
    tables: [
      {
        table: 'performance_reviews',
        columns: {
          application_external_id: r('applicationId'),
          review_date: r('reviewDate'),
          rating: r('rating'),
          review_period: r('reviewPeriod'),
          scale_max: r('scaleMax'),
        },
        key: ['application_external_id', 'review_date'],
        onConflict: 'update',
      },
    ],
  },
  separations: {
    fields: { applicationId: 'text', separatedAt: 'timestamptz', separationType: 'text' },
    tables: [
      {
        table: 'separations',
        columns: {
          application_external_id: r('applicationId'),
          separated_at: r('separatedAt'),
          separation_type: r('separationType'),
        },
        key: ['application_external_id'],
        onConflict: 'update',
      },
    ],
  },
  demographics: {
    fields: { candidateId: 'text', sex: 'text', raceEthnicity: 'text' },
    tables: [
      CANDIDATES_FROM('candidateId'),
      {
        table: 'demographics',
        columns: {
          candidate_external_id: r('candidateId'),
          sex: r('sex'),
          race_ethnicity: r('raceEthnicity'),
        },
        key: ['candidate_external_id'],
        onConflict: 'update',
      },
    ],
  },
};

/** Fields holding a timestamp; stored as full UTC ISO strings so SQL reads them the same whatever its time zone. */
const TIMESTAMP_FIELDS = new Set(
  Object.values(KIND_WRITES).flatMap((k) =>
    Object.entries(k.fields)
      .filter(([, type]) => type === 'timestamptz')
      .map(([field]) => field),
  ),
);

/** Rewrites a validated record's timestamps (date only, no zone: UTC) as full ISO strings, in place. */
export function canonicalTimestamps(record: object): void {
  const values = record as Record<string, unknown>;
  for (const field of TIMESTAMP_FIELDS) {
    const v = values[field];
    if (typeof v !== 'string') continue;
    // Consecutive rows often share a timestamp (the scores of one interview).
    if (v !== lastCanonical.value) {
      lastCanonical.value = v;
      lastCanonical.iso = new Date(parseTimestamp(v)).toISOString();
    }
    values[field] = lastCanonical.iso;
  }
}

const lastCanonical = { value: '', iso: '' };

/**
 * Where a batch of records comes from, as SQL yielding `seq` (the record's order) and the record's fields `r.*`
 * from its JSON; `params` start at $2 ($1 is the organization).
 */
export interface RecordSource {
  sql: (recordset: string) => string;
  params: unknown[];
}

/** The records of a JSON API batch, sent as one JSON array. */
export function payloadSource(records: object[]): RecordSource {
  return {
    sql: (recordset) =>
      `SELECT e.seq, r.* FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS e(d, seq),
         jsonb_to_record(e.d) AS r(${recordset})`,
    params: [JSON.stringify(records)],
  };
}

/** A range of an import's staged records (import_rows), read inside PostgreSQL. */
export function stagedSource(
  importId: string,
  kind: WritableKind,
  afterSeq: string,
  lastSeq: string,
): RecordSource {
  return {
    sql: (recordset) =>
      `SELECT s.seq, r.* FROM import_rows s, jsonb_to_record(s.data) AS r(${recordset})
       WHERE s.import_id = $2 AND s.record_kind = $3 AND s.seq > $4::bigint AND s.seq <= $5::bigint`,
    params: [importId, kind, afterSeq, lastSeq],
  };
}

/**
 * One INSERT ... ON CONFLICT per table, as data-modifying CTEs of a single statement that reads the records once
 * (the tables of one kind have no foreign keys to one another, so the order inside the statement does not matter).
 * Rows whose values already match are not written (the WHERE ... IS DISTINCT FROM skips them), so a repeated import
 * changes nothing and reports every row unchanged; `xmax = 0` tells an inserted row from an updated one. The records
 * must not contain two with the same natural key (the ingestion checks refuse those); implied rows are deduplicated
 * here, keeping the first record that names them.
 */
function upsertCte(write: TableWrite, counted: boolean): string {
  const names = Object.keys(write.columns);
  const valueCols = names.filter((n) => !write.key.includes(n));
  let conflict = 'DO NOTHING';
  if (write.onConflict !== 'nothing' && valueCols.length > 0) {
    const incoming = valueCols.map((n) =>
      write.onConflict === 'coalesce' ? `COALESCE(EXCLUDED.${n}, t.${n})` : `EXCLUDED.${n}`,
    );
    const set = valueCols.map((n, i) => `${n} = ${incoming[i]}`);
    if (write.touchUpdatedAt) set.push('updated_at = now()');
    conflict = `DO UPDATE SET ${set.join(', ')}
      WHERE (${valueCols.map((n) => `t.${n}`).join(', ')}) IS DISTINCT FROM (${incoming.join(', ')})`;
  }
  const exprs = names.map((n) => write.columns[n]);
  const keyExprs = write.key.map((k) => write.columns[k]);
  const select = write.implied
    ? `SELECT DISTINCT ON (${keyExprs.join(', ')}) $1::uuid, ${exprs.join(', ')}
       FROM src r ORDER BY ${[...keyExprs, ...(write.prefer ?? []), 'r.seq'].join(', ')}`
    : `SELECT $1::uuid, ${exprs.join(', ')} FROM src r`;
  return `INSERT INTO ${write.table} AS t (organization_id, ${names.join(', ')})
      ${select}
      ON CONFLICT (organization_id, ${write.key.join(', ')}) ${conflict}
      ${counted ? 'RETURNING (xmax = 0) AS inserted' : 'RETURNING 1'}`;
}

/**
 * Writes a batch of validated records of one kind, with the rows they imply (a job and a candidate for an
 * application, an interview and an interviewer for a score). Only the records' own rows are counted; whether an
 * implied row changed is reported apart, so a new interviewer name alone still counts as a change of the data.
 */
export async function writeRecords(
  tx: EntityManager,
  organizationId: string,
  kind: WritableKind,
  source: RecordSource,
): Promise<WriteResult> {
  const spec = KIND_WRITES[kind];
  const recordset = Object.entries(spec.fields)
    .map(([field, type]) => `"${field}" ${type}`)
    .join(', ');
  const own = spec.tables.findIndex((w) => !w.implied);
  const ctes = spec.tables.map((w, i) => `w${i} AS (${upsertCte(w, i === own)})`);
  const implied = spec.tables.flatMap((w, i) => (w.implied ? [`EXISTS (SELECT 1 FROM w${i})`] : []));
  const [c] = (await tx.query(
    `WITH src AS MATERIALIZED (${source.sql(recordset)}),
     ${ctes.join(',\n     ')}
     SELECT (SELECT count(*) FROM src)::int AS total,
            count(*) FILTER (WHERE inserted)::int AS inserted, count(*)::int AS written,
            ${implied.length > 0 ? implied.join(' OR ') : 'false'} AS implied_changed
     FROM w${own}`,
    [organizationId, ...source.params],
  )) as { total: number; inserted: number; written: number; implied_changed: boolean }[];
  return {
    inserted: c.inserted,
    updated: c.written - c.inserted,
    unchanged: c.total - c.written,
    impliedChanged: c.implied_changed,
  };
}

/** The JSON API's writer: records validated, their timestamps made canonical, then written like staged ones. */
export function writePayload<K extends WritableKind>(
  tx: EntityManager,
  organizationId: string,
  kind: K,
  records: WritableRecord<K>[],
): Promise<WriteResult> {
  if (records.length === 0) {
    return Promise.resolve({ inserted: 0, updated: 0, unchanged: 0, impliedChanged: false });
  }
  for (const record of records) canonicalTimestamps(record);
  return writeRecords(tx, organizationId, kind, payloadSource(records));
}
