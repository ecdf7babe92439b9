import { Worker } from 'node:worker_threads';
import type { RecordKind } from '@hiresignal/shared';
import { Client } from 'pg';
import type { Rubric } from '../../records/hiring-records.entities';
import type { RowProblem } from '../../records/row-checks';
import { csvRowResults, ImportFatalError, readChunks } from './staged-file';
import { copyWriter, queryable, stageResults, type StagingOutcome } from './staging';

/**
 * CSV validation of a file import in a worker thread with a heap of its own. Parsing and checking a million rows
 * makes gigabytes of short-lived garbage; on the process's main heap, V8 lets that grow by a few hundred MB before
 * it collects, so the worker's resident memory would depend on the file. A thread's heap is capped
 * (resourceLimits), so it collects early and the process stays flat. The thread has its own two connections (one
 * reads the upload and records progress and errors, one runs the COPY) and needs a PostgreSQL server; the main
 * thread stays free for the queue's lock renewals.
 */
export interface StagingTask {
  databaseUrl: string;
  importId: string;
  kind: RecordKind;
  rubrics: Rubric[];
  batchRows: number;
  /** IMPORT_MAX_LINE_BYTES. */
  maxLineBytes: number;
}

type ThreadMessage =
  | { type: 'done'; outcome: StagingOutcome }
  | { type: 'failed'; fatal: boolean; message: string; problems: RowProblem[] };

/** The thread's heap: the validation keeps one batch alive (about 20 MB at 5,000 rows), so 64 MB is ample. */
const RESOURCE_LIMITS = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 };

const WORKER_DATA_KEY = 'hiresignalStagingTask';

let threadEntry: string | null = null;

/**
 * The script a staging thread runs: the API's own bundle (main.ts registers it and, started as a thread, calls
 * runStagingThread). Unregistered (the API loaded from source, as in the in-process tests), validation stays on
 * the main thread.
 */
export function registerStagingThreadEntry(script: string): void {
  threadEntry = script;
}

export function stagingThreadAvailable(): boolean {
  return threadEntry !== null;
}

/** The task handed to this thread when it was started as a staging thread, else null. */
export function stagingTaskOf(workerData: unknown): StagingTask | null {
  const data = workerData as Record<string, StagingTask | undefined> | null;
  return data?.[WORKER_DATA_KEY] ?? null;
}

/** Runs the task in a new thread; rejects with ImportFatalError for a file that cannot be imported. */
export function stageInThread(task: StagingTask): Promise<StagingOutcome> {
  if (threadEntry === null) throw new Error('no staging thread entry registered');
  const worker = new Worker(threadEntry, {
    workerData: { [WORKER_DATA_KEY]: task },
    resourceLimits: RESOURCE_LIMITS,
    // The thread prints nothing; an uncaught error reaches the 'error' event.
    stdout: false,
    stderr: false,
  });
  return new Promise<StagingOutcome>((resolve, reject) => {
    let settled = false;
    worker.once('message', (message: ThreadMessage) => {
      settled = true;
      if (message.type === 'done') resolve(message.outcome);
      else if (message.fatal) reject(new ImportFatalError(message.message, message.problems));
      else reject(new Error(message.message));
    });
    worker.once('error', (error: Error & { code?: string }) => {
      // The capped heap ran out: the same file would do it again, so this fails the import instead of a retry.
      if (!settled && error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        reject(
          new ImportFatalError(
            'the file needs more memory to validate than an import may use (a huge line or cell?); nothing was written',
          ),
        );
      } else if (!settled) {
        // The thread may have posted its verdict (a file error) just before it failed: a message still in flight
        // wins, so a file error is never retried as a transient one.
        setTimeout(() => {
          if (!settled) reject(error);
          settled = true;
        }, 250).unref();
        return;
      }
      settled = true;
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the staging thread stopped (exit code ${code}) before it finished`));
    });
  });
}

/** The thread's side: validates and stages the upload, then reports to the parent and ends. */
export async function runStagingThread(
  task: StagingTask,
  post: (message: ThreadMessage) => void,
): Promise<void> {
  const reader = new Client({ connectionString: task.databaseUrl, application_name: 'hiresignal-staging' });
  const copier = new Client({ connectionString: task.databaseUrl, application_name: 'hiresignal-staging' });
  // A connection that ends while the thread stops on a file error (an aborted COPY) emits 'error' on its client;
  // unheard, it would crash the thread before its verdict reaches the parent, and a file error would be retried
  // as a transient one. Errors of work in progress reach their promises anyway.
  reader.on('error', () => undefined);
  copier.on('error', () => undefined);
  try {
    await reader.connect();
    await copier.connect();
    const db = queryable(reader);
    let bytes = 0;
    const results = csvRowResults(
      readChunks(db, task.importId),
      task.kind,
      task.rubrics,
      (b) => (bytes = b),
      task.maxLineBytes,
    );
    const staging = copyWriter({ client: copier, release: () => undefined }, task.importId);
    const outcome = await stageResults(db, staging, task.importId, results, task.batchRows, () => bytes);
    post({ type: 'done', outcome });
  } catch (error) {
    const e = error as Error;
    post({
      type: 'failed',
      fatal: e instanceof ImportFatalError,
      message: e.message,
      problems: e instanceof ImportFatalError ? e.problems : [],
    });
  } finally {
    await Promise.allSettled([reader.end(), copier.end()]);
  }
}
