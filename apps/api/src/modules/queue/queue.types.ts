/** One BullMQ queue carries every job; job names route to handlers. */
export const QUEUE_NAME = 'hiresignal';

export const JOB_NAMES = {
  ingestRecords: 'ingest-records',
  importFile: 'import-file',
  exportFile: 'export-file',
} as const;
export type JobName = (typeof JOB_NAMES)[keyof typeof JOB_NAMES];

/** The data of an import job (a JSON records batch or a file): the run to work on, in its organization's scope. */
export interface ImportJobData {
  importId: string;
  organizationId: string;
}
export type IngestRecordsJobData = ImportJobData;
export type ImportFileJobData = ImportJobData;

/** The data of an export job: the export to write, in its organization's scope. */
export interface ExportFileJobData {
  exportId: string;
  organizationId: string;
}

/**
 * The data each job carries: the one place that ties a job name to its payload type. The types live here, not
 * beside the handlers, so the queue layer depends on no domain module.
 */
export interface JobDataMap {
  'ingest-records': IngestRecordsJobData;
  'import-file': ImportFileJobData;
  'export-file': ExportFileJobData;
}

export interface JobContext {
  jobId: string;
  /** 1 on the first run. */
  attempt: number;
  maxAttempts: number;
}

export interface JobHandler<N extends JobName> {
  handle(data: JobDataMap[N], context: JobContext): Promise<void>;
  /** Called once when the last attempt has failed, to record the failure where users can see it. */
  onFinalFailure?(data: JobDataMap[N], error: Error, context: JobContext): Promise<void>;
}

/** What a driver can say about a job: it will still run, it ended, or the queue does not know it (gone, or never enqueued). */
export type JobState = 'pending' | 'completed' | 'failed' | 'unknown';

export interface EnqueueOptions {
  /** Deterministic id: enqueueing the same id twice runs the job once. */
  jobId: string;
}

export type JobDispatcher = (name: string, data: unknown, context: JobContext) => Promise<void>;

/** Retry policy shared by both drivers: exponential backoff from one second. */
export const JOB_ATTEMPTS = 5;
export const JOB_BACKOFF_MS = 1000;

/** The producing and consuming side of the queue, whichever driver runs it. */
export abstract class QueueDriver {
  abstract readonly kind: 'bullmq' | 'in-process';
  abstract enqueue(name: JobName, data: unknown, options: EnqueueOptions): Promise<void>;
  abstract startWorker(dispatch: JobDispatcher, concurrency: number): Promise<void>;
  abstract ping(): Promise<boolean>;
  /** Whether the job will still run (pending: waiting, delayed, active...), has ended, or is unknown here. */
  abstract jobState(jobId: string): Promise<JobState>;
  /** Stops taking jobs and waits for running ones. */
  abstract close(): Promise<void>;
}
