/** One BullMQ queue carries every job; job names route to handlers. */
export const QUEUE_NAME = 'hiresignal';

export const JOB_NAMES = {
  ingestRecords: 'ingest-records',
  importFile: 'import-file',
  exportFile: 'export-file',
  exportScheduled: 'export-scheduled',
} as const;
export type JobName = (typeof JOB_NAMES)[keyof typeof JOB_NAMES];

/**
 * What every job's data may carry besides its own fields: the id of the HTTP request that enqueued it (set by
 * QueueService.enqueue), so the job's log lines can be tied to that request.
 */
export interface JobTrace {
  requestId?: string;
}

/** The data of an import job (a JSON records batch or a file): the run to work on, in its organization's scope. */
export interface ImportJobData extends JobTrace {
  importId: string;
  organizationId: string;
}
export type IngestRecordsJobData = ImportJobData;
export type ImportFileJobData = ImportJobData;

/** The data of a scheduled export's run: the schedule, in its organization's scope. */
export interface ExportScheduledJobData extends JobTrace {
  scheduleId: string;
  organizationId: string;
}

/** The data of an export job: the export to write, in its organization's scope. */
export interface ExportFileJobData extends JobTrace {
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
  'export-scheduled': ExportScheduledJobData;
}

export interface JobContext {
  jobId: string;
  /** 1 on the first run. */
  attempt: number;
  maxAttempts: number;
  /**
   * Aborted when a shutdown's grace period ends with the job still running: the job is handed back to the queue
   * (BullMQ) or left to the next start's recovery (in-process), so a handler may stop at its next safe point.
   */
  signal?: AbortSignal;
}

/** Thrown by a handler that stopped because its JobContext.signal was aborted: not a failure of the job. */
export class JobInterrupted extends Error {
  constructor(what: string) {
    super(`${what} stopped for a shutdown; it resumes on the next run`);
    this.name = 'JobInterrupted';
  }
}

/** Queue depth: jobs waiting to run, running, and waiting for a retry's backoff. */
export const QUEUE_DEPTH_STATES = ['waiting', 'active', 'delayed'] as const;
export type QueueDepth = Record<(typeof QUEUE_DEPTH_STATES)[number], number>;

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

/** When a repeating job is due: a cron pattern (UTC) for BullMQ and the same rule as a function for in-process. */
export interface RepeatRule {
  pattern: string;
  /** The first due time strictly after `after`. */
  next(after: Date): Date;
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
  /**
   * Creates or replaces a repeating job (BullMQ job schedulers: one job per due time across every worker, so a
   * restarted or scaled-out worker neither skips nor doubles a run).
   */
  abstract upsertSchedule(id: string, rule: RepeatRule, name: JobName, data: unknown): Promise<void>;
  abstract removeSchedule(id: string): Promise<void>;
  /** How many jobs wait, run and wait for a retry (the whole queue with BullMQ; this process's in-process). */
  abstract depth(): Promise<QueueDepth>;
  /**
   * Stops taking jobs and lets the running ones finish for up to `graceMs`; then aborts their signals and hands them
   * back: BullMQ moves them to the waiting list at once (another worker takes them without a lost attempt), the
   * in-process queue leaves them to the recovery at the next start. Resolves once nothing runs on its behalf.
   */
  abstract stopWorker(graceMs: number): Promise<{ finished: number; handedBack: number }>;
  /** Stops taking jobs, waits for running ones and closes the connections. */
  abstract close(): Promise<void>;
}
