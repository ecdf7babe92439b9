import { Injectable } from '@nestjs/common';
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

/** Fails a run that has not completed: its reason, the count of its stored errors, phase done. */
export const FAIL_RUN_SQL = `UPDATE import_runs SET status = 'failed', phase = 'done', finished_at = now(), failure_reason = $2,
   error_count = (SELECT count(*)::int FROM import_errors WHERE import_id = $1)
 WHERE id = $1 AND status <> 'completed'`;

@Injectable()
export class ImportRunsRepository {
  constructor(private readonly db: DataSource) {}

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
}
