import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Inject, Logger } from '@nestjs/common';
import { isAtsVendor, isRecordKind, type ImportKindCounts, type ImportRecordKind } from '@hiresignal/shared';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../../config/config';
import { AtsImportService } from '../../connectors/ats-import.service';
import { MetricsService } from '../../observability/metrics.service';
import { Organization } from '../../organizations/organization.entity';
import { JobProcessor } from '../../queue/job-processor.decorator';
import { JOB_NAMES, JobInterrupted, type JobContext, type JobHandler } from '../../queue/queue.types';
import { stagedSource, writeRecords } from '../../records/record-upserts';
import { RubricsService } from '../../records/rubrics.service';
import { ImportRun } from '../import-run.entity';
import { ImportRunsRepository } from '../import-runs.repository';
import type { RowProblem, RowResult } from '../../records/row-checks';
import { findCrossRowProblems } from './set-checks';
import { jsonLimited, utf8Checked } from './input-limits';
import { csvRowResults, ImportFatalError, readChunks } from './staged-file';
import { insertProblems, openStaging, stageResults, type StagingOutcome } from './staging';
import { stageInThread, stagingThreadAvailable } from './staging-thread';

import type { ImportFileJobData } from '../../queue/queue.types';

export type { ImportFileJobData };

/** Kinds are written in this order, so an application exists before the records that refer to it. */
export const WRITE_ORDER: readonly ImportRecordKind[] = [
  'jobs',
  'applications',
  'stage_events',
  'interview_scores',
  'performance_reviews',
  'separations',
  'demographics',
];

const WORKER_ID = `${hostname()}:${process.pid}`;

/**
 * Runs a file import in two phases. Validating: the staged upload is parsed and every row checked; valid records
 * go to import_rows, problems to import_errors, then set-based checks (duplicates in the file, a review before
 * the hire) run in SQL, so memory stays flat. With onError=reject and any problem the run ends here and nothing is
 * written. Writing: import_rows are upserted kind by kind in batches; each batch commits with the cursor and the
 * counts, so a retried or recovered job (another worker after a SIGKILL) resumes after the last committed batch
 * and the upserts make any replayed batch a no-op.
 */
@JobProcessor(JOB_NAMES.importFile)
export class ImportFileJob implements JobHandler<typeof JOB_NAMES.importFile> {
  private readonly logger = new Logger('ImportFileJob');

  constructor(
    private readonly db: DataSource,
    private readonly rubrics: RubricsService,
    private readonly ats: AtsImportService,
    private readonly importRuns: ImportRunsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * The embedded database (no DATABASE_URL) has one connection and cannot take COPY FROM STDIN: it stages with
   * INSERTs, on the job's own thread, and writes one window at a time.
   */
  private get embedded(): boolean {
    return this.config.DATABASE_URL === undefined;
  }

  async handle(data: ImportFileJobData, context: JobContext): Promise<void> {
    const started = performance.now();
    const runs = this.db.getRepository(ImportRun);
    let run = await runs.findOne({ where: { id: data.importId, organizationId: data.organizationId } });
    if (!run) throw new Error(`import ${data.importId} not found`);
    if (run.status === 'completed' || run.status === 'failed') return;
    const starts = await this.importRuns.start(run.id, context.attempt, WORKER_ID);
    if (starts > this.config.IMPORT_MAX_STARTS) {
      // A poison file: each start before this one killed or stalled its worker (out of memory, a crash).
      await this.fail(
        run.id,
        `the import was started ${starts - 1} times without finishing (its worker stopped or stalled each time); it is not tried again (IMPORT_MAX_STARTS)`,
        [],
      );
      return;
    }
    try {
      let resuming = false;
      if (run.phase === 'writing' && !(await this.stagingIntact(run))) {
        this.logger.warn(`import ${run.id}: its staged rows are gone (database restart); staging them again`);
        resuming = true;
      }
      if (run.phase === 'queued' || run.phase === 'validating' || resuming) {
        const proceed = await this.validate(run, resuming);
        if (!proceed) return;
        run = (await runs.findOneByOrFail({ id: run.id })) as ImportRun;
      }
      const written = await this.write(run, context.signal);
      this.metrics.importCompleted(JOB_NAMES.importFile, written, (performance.now() - started) / 1000);
    } catch (error) {
      if (isDataException(error)) {
        // The database refused a value (out of range, malformed): the same rows would fail every retry.
        await this.fail(run.id, `the database refused a value of the file: ${(error as Error).message}`, []);
        return;
      }
      if (!(error instanceof ImportFatalError)) throw error;
      await this.fail(run.id, error.message, error.problems);
    }
  }

  async onFinalFailure(data: ImportFileJobData, error: Error): Promise<void> {
    await this.fail(data.importId, error.message, []);
  }

  /** import_rows is unlogged: after a database crash it is empty, and the raw chunks rebuild it. */
  private async stagingIntact(run: ImportRun): Promise<boolean> {
    const expected = run.byKind.reduce((n, k) => n + k.rows, 0);
    const [{ n }] = (await this.db.query('SELECT count(*)::int AS n FROM import_rows WHERE import_id = $1', [
      run.id,
    ])) as { n: number }[];
    return n === expected;
  }

  /**
   * Phase 1. Returns false when the run has ended (rejected file). `resuming`: the write phase had started and the
   * staging was lost; it is rebuilt identically (same file, same seq numbers), so the committed windows and the
   * counts are kept.
   */
  private async validate(run: ImportRun, resuming = false): Promise<boolean> {
    const id = run.id;
    // A retried validation starts over: its staging is rebuilt from the raw upload.
    await this.db.query('DELETE FROM import_rows WHERE import_id = $1', [id]);
    await this.db.query('DELETE FROM import_errors WHERE import_id = $1', [id]);
    if (!resuming) {
      await this.importRuns.beginValidation(id);
    }

    const started = Date.now();
    const rubrics = await this.rubrics.list(run.organizationId);
    const batchRows = this.config.IMPORT_BATCH_ROWS;
    let bytes = 0;
    const results = async (): Promise<AsyncIterable<RowResult> | Iterable<RowResult>> =>
      isRecordKind(run.kind)
        ? csvRowResults(
            readChunks(this.db, id),
            run.kind,
            rubrics,
            (b) => (bytes = b),
            this.config.IMPORT_MAX_LINE_BYTES,
          )
        : isAtsVendor(run.kind)
          ? await this.ats.convert(
              run.kind,
              run.organizationId,
              jsonLimited(utf8Checked(readChunks(this.db, id)), {
                maxDepth: this.config.JSON_MAX_DEPTH,
                maxStringChars: this.config.JSON_MAX_STRING_CHARS,
              }),
              rubrics,
            )
          : [];
    if (!isRecordKind(run.kind)) bytes = run.fileSize ?? 0;

    let outcome: StagingOutcome;
    // A CSV on a PostgreSQL server is validated in a thread of its own (staging-thread.ts), when the bundle has one.
    const databaseUrl = this.config.DATABASE_URL;
    const kind = run.kind;
    const inThread = isRecordKind(kind) && databaseUrl !== undefined && stagingThreadAvailable();
    if (inThread) {
      outcome = await stageInThread({
        databaseUrl,
        importId: id,
        kind,
        rubrics: rubrics.map((r) => ({ ...r })),
        batchRows,
        maxLineBytes: this.config.IMPORT_MAX_LINE_BYTES,
      });
    } else {
      const staging = await openStaging(this.db, id, this.embedded ? 'insert' : 'copy');
      outcome = await stageResults(this.db, staging, id, await results(), batchRows, () => bytes);
    }
    const { maxRow } = outcome;

    const parsedAt = Date.now();
    // Checks that need every row (and the stored data): duplicates in the file, dates against the hire date.
    await findCrossRowProblems(this.db, id, run.organizationId);
    this.logger.log(
      `import ${id}: ${maxRow} rows parsed and staged (${inThread ? 'COPY, in a staging thread' : this.embedded ? 'INSERT' : 'COPY'}) in ${parsedAt - started} ms, checked across rows in ${Date.now() - parsedAt} ms`,
    );
    const [summary] = (await this.db.query(
      `SELECT
         (SELECT count(*)::int FROM import_errors WHERE import_id = $1) AS errors,
         (SELECT count(DISTINCT row_no)::int FROM import_errors WHERE import_id = $1 AND row_no > 0) AS rejected`,
      [id],
    )) as { errors: number; rejected: number }[];
    const byKind = (await this.db.query(
      `SELECT record_kind, count(*)::int AS n FROM import_rows WHERE import_id = $1 GROUP BY record_kind`,
      [id],
    )) as { record_kind: ImportRecordKind; n: number }[];
    const counts: ImportKindCounts[] = WRITE_ORDER.flatMap((kind) => {
      const n = byKind.find((k) => k.record_kind === kind)?.n ?? 0;
      const before = resuming ? run.byKind.find((k) => k.recordKind === kind) : undefined;
      return n > 0
        ? [
            {
              recordKind: kind,
              rows: n,
              inserted: before?.inserted ?? 0,
              updated: before?.updated ?? 0,
              unchanged: before?.unchanged ?? 0,
              rejected: 0,
            },
          ]
        : [];
    });
    if (resuming) {
      await this.importRuns.restaged(id, counts, summary.errors);
      return true;
    }

    if (summary.errors > 0 && run.onError === 'reject') {
      await this.importRuns.reject(
        id,
        { total: maxRow, rejected: summary.rejected, errors: summary.errors, byKind: counts },
        summary.rejected > 0
          ? `${summary.rejected} of ${maxRow} rows are invalid; nothing was written (onError=reject): see errors.csv`
          : `the file has ${summary.errors} problem${summary.errors === 1 ? '' : 's'}; nothing was written (onError=reject): see errors.csv`,
      );
      await this.cleanUp(id);
      this.logger.log(`import ${id} rejected: ${summary.rejected} bad rows`);
      return false;
    }
    await this.importRuns.beginWriting(
      id,
      {
        total: maxRow,
        rejected: summary.rejected,
        errors: summary.errors,
        byKind: counts,
      },
      this.config.IMPORT_BATCH_ROWS,
    );
    return true;
  }

  /**
   * Phase 2, kind by kind. A kind's staged records are cut into fixed windows of seq numbers (IMPORT_BATCH_ROWS of
   * the worker that began the writing, kept on the run, so a resume with another setting cuts the same windows); each
   * window is one transaction (the upsert statement, the counts, the window marked done), and IMPORT_WRITE_LANES
   * lanes commit windows in parallel. A resumed job (retry, another worker after a crash) writes the windows not
   * marked done; one written twice at once (two workers on one run) is counted once: the second finds it done and
   * rolls back.
   */
  private async write(run: ImportRun, signal: AbortSignal | undefined): Promise<number> {
    const id = run.id;
    const started = Date.now();
    let written = 0;
    for (;;) {
      const state = await this.importRuns.writeState(id);
      if (state.status !== 'running') break;
      const windowRows = state.write_window_rows ?? this.config.IMPORT_BATCH_ROWS;
      const kindIndex = state.write_kind_index;
      if (kindIndex >= state.by_kind.length) break;
      const kind = state.by_kind[kindIndex].recordKind;
      const [range] = (await this.db.query(
        `SELECT min(seq)::text AS lo, max(seq)::text AS hi FROM import_rows WHERE import_id = $1 AND record_kind = $2`,
        [id, kind],
      )) as { lo: string | null; hi: string | null }[];
      if (range.lo !== null && range.hi !== null) {
        const done = new Set(state.write_done);
        const todo: number[] = [];
        const last = Math.floor((Number(range.hi) - 1) / windowRows);
        for (let w = Math.floor((Number(range.lo) - 1) / windowRows); w <= last; w++)
          if (!done.has(w)) todo.push(w);
        await this.inLanes(
          todo,
          async (w) => (written += await this.writeWindow(run, kindIndex, kind, w, windowRows)),
          signal,
        );
      }
      await this.importRuns.kindWritten(id, kindIndex);
    }
    await this.importRuns.complete(id);
    await this.cleanUp(id);
    const counts = await this.db.getRepository(ImportRun).findOneBy({ id });
    if (counts) {
      this.logger.log(
        `import ${id} (${run.kind}) completed: ${counts.inserted} inserted, ${counts.updated} updated, ${counts.unchanged} unchanged, ${counts.rejected} rejected; written in ${Date.now() - started} ms`,
      );
    }
    return written;
  }

  /**
   * Parallel lanes (one on the embedded database) taking the next window until none is left or one fails. A shutdown
   * (`signal`) stops them between windows: every committed window stays, and the next run resumes after them.
   */
  private async inLanes(
    windows: number[],
    write: (window: number) => Promise<unknown>,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const lanes = this.embedded ? 1 : this.config.IMPORT_WRITE_LANES;
    let next = 0;
    let failed = false;
    const lane = async () => {
      while (!failed && next < windows.length) {
        if (signal?.aborted) throw new JobInterrupted('the import');
        const window = windows[next++];
        try {
          await write(window);
        } catch (error) {
          failed = true;
          throw error;
        }
        if (this.config.INGEST_BATCH_DELAY_MS > 0) {
          await new Promise((resolve) => setTimeout(resolve, this.config.INGEST_BATCH_DELAY_MS));
        }
      }
    };
    // Every lane ends before the phase does (no transaction outlives a failed attempt).
    const outcomes = await Promise.allSettled(Array.from({ length: Math.min(lanes, windows.length) }, lane));
    const rejected = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (rejected) throw rejected.reason;
  }

  /** One window in one transaction; a deadlock with another lane or import is retried. */
  private async writeWindow(
    run: ImportRun,
    kindIndex: number,
    kind: ImportRecordKind,
    window: number,
    windowRows: number,
  ): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        let rows = 0;
        await this.db.transaction(async (tx) => {
          const source = stagedSource(
            run.id,
            kind,
            String(window * windowRows),
            String((window + 1) * windowRows),
          );
          const c = await writeRecords(tx, run.organizationId, kind, source);
          if (c.inserted + c.updated > 0 || c.impliedChanged) {
            await tx.increment(Organization, { id: run.organizationId }, 'dataVersion', 1);
          }
          const marked = await this.importRuns.markWindow(tx, run.id, kindIndex, window, c);
          if (!marked) throw new WindowAlreadyWritten();
          rows = c.inserted + c.updated + c.unchanged;
        });
        this.metrics.importWritten(JOB_NAMES.importFile, kind, rows);
        return rows;
      } catch (error) {
        if (error instanceof WindowAlreadyWritten) return 0;
        if ((error as { code?: string }).code === DEADLOCK && attempt < 5) continue;
        throw error;
      }
    }
  }

  private async fail(id: string, reason: string, problems: RowProblem[]): Promise<void> {
    if (problems.length > 0) await insertProblems(this.db.manager, id, problems);
    await this.importRuns.fail(id, reason);
    await this.cleanUp(id);
  }

  private async cleanUp(id: string): Promise<void> {
    await this.db.query('DELETE FROM import_rows WHERE import_id = $1', [id]);
    await this.db.query('DELETE FROM import_chunks WHERE import_id = $1', [id]);
  }
}

/** SQLSTATE classes 22 (data exception) and 54 (program limit exceeded): caused by the data, never transient. */
function isDataException(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(22|54)[0-9A-Z]{3}$/.test(code);
}

/** PostgreSQL's deadlock_detected: one of the transactions is rolled back and may simply run again. */
const DEADLOCK = '40P01';

/** Another lane or worker committed this window first: this copy rolls back (its writes were the same). */
class WindowAlreadyWritten extends Error {}
