import { Injectable } from '@nestjs/common';
import type { ImportKindCounts } from '@hiresignal/shared';
import { DataSource, type EntityManager } from 'typeorm';

/*
 * The one owner of import_runs' states and transitions (see the state diagram in files/README.md). Every job id
 * of an import is built here, and the statements that move a run between states live here, reviewable together.
 */

/** The queue job of a file import: the same content's nth import (a double submit joins the first instead). */
export const importJobId = (contentHash: string, n: number) => `import-${contentHash.slice(0, 40)}-${n}`;

/** The job under which a recovered run is enqueued: the same for every worker, so the queue keeps one. */
export const recoveredJobId = (importId: string) => `import-recovered-${importId}`;

/** The job of a JSON records batch. */
export const ingestJobId = (importId: string) => `ingest-${importId}`;

export interface InFlightRun {
  id: string;
  jobId: string | null;
  phase: string;
  lastActivityAt: Date;
}

/** A run the sweeper looks at. */
export interface SweptRun {
  id: string;
  organization_id: string;
  content_hash: string;
  job_id: string | null;
}

export interface ValidatedCounts {
  total: number;
  rejected: number;
  errors: number;
  byKind: ImportKindCounts[];
}

export interface WriteState {
  status: string;
  write_kind_index: number;
  write_done: number[];
  by_kind: ImportKindCounts[];
  write_window_rows: number | null;
}

export interface WindowCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export { RUN_BYTES_SQL } from './import-runs.sql';

/** Fails a run that has not completed: its reason, the count of its stored errors, phase done. */
export const FAIL_RUN_SQL = `UPDATE import_runs SET status = 'failed', phase = 'done', finished_at = now(), failure_reason = $2,
   error_count = (SELECT count(*)::int FROM import_errors WHERE import_id = $1)
 WHERE id = $1 AND status <> 'completed'`;

@Injectable()
export class ImportRunsRepository {
  constructor(private readonly db: DataSource) {}

  /** A JSON-records run of the organization, as its job reads it (null when there is none). */
  async findRecordsRun(
    id: string,
    organizationId: string,
  ): Promise<{ id: string; organizationId: string; kind: string; status: string } | null> {
    const [row] = (await this.db.query(
      `SELECT id, organization_id, kind, status FROM import_runs WHERE id = $1 AND organization_id = $2`,
      [id, organizationId],
    )) as { id: string; organization_id: string; kind: string; status: string }[];
    return row
      ? { id: row.id, organizationId: row.organization_id, kind: row.kind, status: row.status }
      : null;
  }

  /** queued|running -> running, for a JSON-records run (its whole write is one transaction). */
  async startRecords(id: string, attempt: number): Promise<void> {
    await this.db.query(
      `UPDATE import_runs SET status = 'running', started_at = now(), attempts = $2 WHERE id = $1`,
      [id, attempt],
    );
  }

  /** The accepted records of a JSON run, locked for the transaction that writes them. */
  async lockPayload(tx: EntityManager, id: string): Promise<unknown[] | null> {
    const [row] = (await tx.query('SELECT payload FROM import_runs WHERE id = $1 FOR UPDATE', [id])) as {
      payload: unknown[] | null;
    }[];
    return row?.payload ?? null;
  }

  /** running -> completed, in the writing transaction: the counts, and the payload dropped. */
  async completeRecords(
    tx: EntityManager,
    id: string,
    counts: WindowCounts,
    processed: number,
  ): Promise<void> {
    await tx.query(
      `UPDATE import_runs SET inserted = $2, updated = $3, unchanged = $4, processed = $5, status = 'completed',
              finished_at = now(), payload = NULL
        WHERE id = $1`,
      [id, counts.inserted, counts.updated, counts.unchanged, processed],
    );
  }

  /** -> failed, for a JSON-records run whose last attempt failed. */
  async failRecords(id: string, organizationId: string, reason: string): Promise<void> {
    await this.db.query(
      `UPDATE import_runs SET status = 'failed', failure_reason = $3, finished_at = now()
        WHERE id = $1 AND organization_id = $2`,
      [id, organizationId, reason],
    );
  }

  /** queued|running -> running: a worker starts (or resumes) the run; answers how many times it was started. */
  async start(id: string, attempt: number, worker: string): Promise<number> {
    const [rows] = (await this.db.query(
      `UPDATE import_runs SET status = 'running', started_at = coalesce(started_at, now()), attempts = $2,
         worker = $3, starts = starts + 1 WHERE id = $1 RETURNING starts`,
      [id, attempt, worker],
    )) as [{ starts: number }[], number];
    return rows[0]?.starts ?? 0;
  }

  /** any but completed -> failed, with its reason. */
  async fail(id: string, reason: string, db: EntityManager | DataSource = this.db): Promise<void> {
    await db.query(FAIL_RUN_SQL, [id, reason]);
  }

  /** The queued or running run of the same content (other than `exceptId`), for a double submit to join. */
  async findInFlight(
    tx: EntityManager,
    organizationId: string,
    contentHash: string,
    exceptId: string | null,
  ): Promise<InFlightRun | null> {
    const [run] = (await tx.query(
      `SELECT id, job_id AS "jobId", phase, last_activity_at AS "lastActivityAt" FROM import_runs WHERE organization_id = $1 AND content_hash = $2
         AND status IN ('queued', 'running') AND id IS DISTINCT FROM $3 ORDER BY created_at LIMIT 1`,
      [organizationId, contentHash, exceptId],
    )) as InFlightRun[];
    return run ?? null;
  }

  /** How many runs of this content exist (the n of the next importJobId). */
  async countOfContent(tx: EntityManager, organizationId: string, contentHash: string): Promise<number> {
    const [{ n }] = (await tx.query(
      'SELECT count(*)::int AS n FROM import_runs WHERE organization_id = $1 AND content_hash = $2',
      [organizationId, contentHash],
    )) as { n: number }[];
    return n;
  }

  /** Remembers the job that carries the run. */
  async setJob(id: string, jobId: string, db: EntityManager | DataSource = this.db): Promise<void> {
    await db.query('UPDATE import_runs SET job_id = $2 WHERE id = $1', [id, jobId]);
  }

  /** queued|running -> running/validating: the staging starts over from the raw upload. */
  async beginValidation(id: string): Promise<void> {
    await this.db.query(`UPDATE import_runs SET phase = 'validating', bytes_processed = 0 WHERE id = $1`, [
      id,
    ]);
  }

  /** running/writing, staging rebuilt after a database restart: the counts of the rebuilt staging. */
  async restaged(id: string, byKind: ImportKindCounts[], errors: number): Promise<void> {
    await this.db.query(`UPDATE import_runs SET by_kind = $2::jsonb, error_count = $3 WHERE id = $1`, [
      id,
      JSON.stringify(byKind),
      errors,
    ]);
  }

  /** running/validating -> failed/done: onError=reject and the file has problems; nothing was written. */
  async reject(id: string, counts: ValidatedCounts, reason: string): Promise<void> {
    await this.db.query(
      `UPDATE import_runs SET status = 'failed', phase = 'done', finished_at = now(), total = $2, rejected = $3,
         error_count = $4, by_kind = $5::jsonb, bytes_processed = coalesce(file_size, 0),
         failure_reason = $6 WHERE id = $1`,
      [id, counts.total, counts.rejected, counts.errors, JSON.stringify(counts.byKind), reason],
    );
  }

  /**
   * running/validating -> running/writing, from the first kind and window. `windowRows`: rows per write window (the
   * IMPORT_BATCH_ROWS of this worker), kept for every later resume.
   */
  async beginWriting(id: string, counts: ValidatedCounts, windowRows: number): Promise<void> {
    await this.db.query(
      `UPDATE import_runs SET phase = 'writing', write_kind_index = 0, write_done = '{}', processed = 0,
         inserted = 0, updated = 0, unchanged = 0, total = $2, rejected = $3, error_count = $4,
         by_kind = $5::jsonb, bytes_processed = coalesce(file_size, 0), write_window_rows = $6 WHERE id = $1`,
      [id, counts.total, counts.rejected, counts.errors, JSON.stringify(counts.byKind), windowRows],
    );
  }

  /** The write cursor: the kind being written and its committed windows. */
  async writeState(id: string): Promise<WriteState> {
    const [state] = (await this.db.query(
      'SELECT status, write_kind_index, write_done, by_kind, write_window_rows FROM import_runs WHERE id = $1',
      [id],
    )) as WriteState[];
    return state;
  }

  /**
   * A window committed, inside its write transaction: the counts and the window marked done, unless another lane
   * or worker marked it first (then false, and the caller rolls back).
   */
  async markWindow(
    tx: EntityManager,
    id: string,
    kindIndex: number,
    window: number,
    c: WindowCounts,
  ): Promise<boolean> {
    const [marked] = (await tx.query(
      `WITH u AS (
         UPDATE import_runs SET write_done = array_append(write_done, $3),
           processed = processed + $4, inserted = inserted + $5, updated = updated + $6,
           unchanged = unchanged + $7,
           by_kind = jsonb_set(by_kind, ARRAY[$8::text], (by_kind -> $2) || jsonb_build_object(
             'inserted', (by_kind -> $2 ->> 'inserted')::int + $5,
             'updated', (by_kind -> $2 ->> 'updated')::int + $6,
             'unchanged', (by_kind -> $2 ->> 'unchanged')::int + $7))
         WHERE id = $1 AND status = 'running' AND write_kind_index = $2 AND NOT ($3 = ANY (write_done))
         RETURNING 1)
       SELECT count(*)::int AS n FROM u`,
      [
        id,
        kindIndex,
        window,
        c.inserted + c.updated + c.unchanged,
        c.inserted,
        c.updated,
        c.unchanged,
        String(kindIndex),
      ],
    )) as { n: number }[];
    return marked.n > 0;
  }

  /** running/writing: every window of a kind is written; on to the next kind. */
  async kindWritten(id: string, kindIndex: number): Promise<void> {
    await this.db.query(
      `UPDATE import_runs SET write_kind_index = $2 + 1, write_done = '{}'
       WHERE id = $1 AND write_kind_index = $2 AND status = 'running'`,
      [id, kindIndex],
    );
  }

  /** running/writing -> completed/done. */
  async complete(id: string): Promise<void> {
    await this.db.query(
      `UPDATE import_runs SET status = 'completed', phase = 'done', finished_at = now()
       WHERE id = $1 AND status = 'running'`,
      [id],
    );
  }

  /** -> queued/receiving: an upload starts; its content hash is a placeholder until the whole file is in. */
  async createReceiving(run: {
    organizationId: string;
    kind: string;
    source: string;
    filename: string | null;
    onError: string;
    userId: string | null;
    apiKeyId: string | null;
  }): Promise<string> {
    const [{ id }] = (await this.db.query(
      `INSERT INTO import_runs (organization_id, kind, source, status, phase, content_hash, filename, on_error,
         created_by_user_id, created_by_api_key_id)
       VALUES ($1, $2, $3, 'queued', 'receiving', 'receiving:' || gen_random_uuid(), $4, $5, $6, $7)
       RETURNING id`,
      [run.organizationId, run.kind, run.source, run.filename, run.onError, run.userId, run.apiKeyId],
    )) as { id: string }[];
    return id;
  }

  /** queued/receiving: a chunk is stored (the sweeper's clock); false when the sweeper already failed the run. */
  async chunkStored(id: string, bytes: number): Promise<boolean> {
    const [, updated] = (await this.db.query(
      `UPDATE import_runs SET bytes_processed = $2, last_activity_at = now()
       WHERE id = $1 AND phase = 'receiving' AND status = 'queued'`,
      [id, bytes],
    )) as [unknown[], number];
    return updated > 0;
  }

  /** queued/receiving: the whole file is in. */
  async received(id: string, size: number): Promise<void> {
    await this.db.query('UPDATE import_runs SET file_size = $2 WHERE id = $1', [id, size]);
  }

  /** queued/receiving -> queued/queued, inside the deduplication's transaction: the content and its job. */
  async commit(
    tx: EntityManager,
    id: string,
    run: { kind: string; source: string; onError: string; contentHash: string; size: number; jobId: string },
  ): Promise<void> {
    await tx.query(
      `UPDATE import_runs SET kind = $2, source = $3, on_error = $4, content_hash = $5, phase = 'queued',
         file_size = $6, bytes_processed = 0, last_activity_at = clock_timestamp(), job_id = $7 WHERE id = $1`,
      [id, run.kind, run.source, run.onError, run.contentHash, run.size, run.jobId],
    );
  }

  /** An upload refused or broken off (or joined to an identical one in flight) leaves nothing. */
  async remove(id: string, db: EntityManager | DataSource = this.db): Promise<void> {
    await db.query('DELETE FROM import_runs WHERE id = $1', [id]);
  }

  /** queued/receiving -> failed/done: uploads without a chunk for `staleSeconds` (their API process died). */
  async failStalledUploads(tx: EntityManager, staleSeconds: number, reason: string): Promise<string[]> {
    const [rows] = (await tx.query(
      `UPDATE import_runs SET status = 'failed', phase = 'done', finished_at = now(), last_activity_at = now(),
         failure_reason = $2
       WHERE status = 'queued' AND phase = 'receiving' AND last_activity_at < now() - make_interval(secs => $1)
       RETURNING id`,
      [staleSeconds, reason],
    )) as [{ id: string }[], number];
    return rows.map((r) => r.id);
  }

  /** Committed file runs still queued after `staleSeconds`: their job may never have reached the queue. */
  async staleQueued(tx: EntityManager, staleSeconds: number): Promise<SweptRun[]> {
    return (await tx.query(
      `SELECT id, organization_id, content_hash, job_id FROM import_runs
       WHERE source <> 'api' AND status = 'queued' AND phase = 'queued'
         AND last_activity_at < now() - make_interval(secs => $1)
       ORDER BY created_at LIMIT 500`,
      [staleSeconds],
    )) as SweptRun[];
  }

  /** File runs running for longer than `staleSeconds`: the sweeper asks the queue whether their job still runs. */
  async staleRunning(tx: EntityManager, staleSeconds: number): Promise<SweptRun[]> {
    return (await tx.query(
      `SELECT id, organization_id, content_hash, job_id FROM import_runs
       WHERE source <> 'api' AND status = 'running' AND job_id IS NOT NULL
         AND coalesce(started_at, created_at) < now() - make_interval(secs => $1)
       ORDER BY created_at LIMIT 500`,
      [staleSeconds],
    )) as SweptRun[];
  }

  /** queued/queued: enqueued again under `jobId` by the sweeper. */
  async requeued(tx: EntityManager, id: string, jobId: string): Promise<void> {
    await tx.query('UPDATE import_runs SET last_activity_at = now(), job_id = $2 WHERE id = $1', [id, jobId]);
  }

  /** Embedded boot: uploads cut off by the stop -> failed/done. */
  async failInterruptedUploads(): Promise<void> {
    await this.db.query(
      `UPDATE import_runs SET status = 'failed', phase = 'done', finished_at = now(),
         failure_reason = 'the upload was interrupted (the server stopped while receiving the file)'
       WHERE phase = 'receiving' AND status IN ('queued', 'running')`,
    );
  }

  /** Embedded boot: file runs the stopped in-process queue held, to enqueue again. */
  async unfinishedFileRuns(): Promise<{ id: string; organization_id: string }[]> {
    return (await this.db.query(
      `SELECT id, organization_id FROM import_runs
       WHERE source <> 'api' AND status IN ('queued', 'running') ORDER BY created_at`,
    )) as { id: string; organization_id: string }[];
  }
}
