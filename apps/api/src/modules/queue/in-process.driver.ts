import { Logger } from '@nestjs/common';
import {
  JOB_ATTEMPTS,
  JOB_BACKOFF_MS,
  QueueDriver,
  type EnqueueOptions,
  type JobDispatcher,
  type JobName,
  type JobState,
  type QueueDepth,
  type RepeatRule,
} from './queue.types';
import { settleWithin, type RunningJob } from './running-jobs';

/** setTimeout's longest delay (about 24.8 days): a later due time is reached in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface PendingJob {
  id: string;
  name: JobName;
  data: unknown;
  attempt: number;
}

/**
 * Runs jobs in this process, asynchronously and with the same retry policy as BullMQ, for the embedded mode
 * (no Redis). Jobs are not durable: the import run rows in the database are, so a restart can re-enqueue them.
 */
export class InProcessDriver extends QueueDriver {
  readonly kind = 'in-process' as const;
  private readonly logger = new Logger('InProcessQueue');
  private readonly ready: PendingJob[] = [];
  private readonly known = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private dispatch: JobDispatcher | null = null;
  private concurrency = 1;
  private running = 0;
  private readonly active = new Set<RunningJob>();
  /** No new jobs are accepted (shutdown began). */
  private refusing = false;
  /** No job is started any more. */
  private closing = false;
  /** Job attempts that have ended, for the shutdown's report. */
  private finished = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly schedules = new Map<string, NodeJS.Timeout>();

  async enqueue(name: JobName, data: unknown, options: EnqueueOptions): Promise<void> {
    if (this.refusing) throw new Error('The queue is shutting down');
    if (this.known.has(options.jobId)) return;
    this.known.add(options.jobId);
    this.ready.push({ id: options.jobId, name, data, attempt: 1 });
    // Never run a job inside the producer's call: the request that enqueued it answers first, as with BullMQ.
    setImmediate(() => this.pump());
  }

  /** A timer to the rule's next due time, which enqueues the job under `<id>:<due ms>` and arms the next one. */
  async upsertSchedule(id: string, rule: RepeatRule, name: JobName, data: unknown): Promise<void> {
    await this.removeSchedule(id);
    const arm = (due: Date) => {
      const timer = setTimeout(
        () => {
          if (this.refusing) return;
          if (Date.now() >= due.getTime()) {
            void this.enqueue(name, data, { jobId: `${id}:${due.getTime()}` });
            arm(rule.next(due));
          } else {
            arm(due);
          }
        },
        Math.min(MAX_TIMER_MS, Math.max(0, due.getTime() - Date.now())),
      );
      timer.unref();
      this.schedules.set(id, timer);
    };
    arm(rule.next(new Date()));
  }

  async removeSchedule(id: string): Promise<void> {
    const timer = this.schedules.get(id);
    if (timer) clearTimeout(timer);
    this.schedules.delete(id);
  }

  async startWorker(dispatch: JobDispatcher, concurrency: number): Promise<void> {
    this.dispatch = dispatch;
    this.concurrency = concurrency;
    this.pump();
  }

  /** The in-process queue keeps no history: a job it holds (waiting, running or waiting to retry) is pending. */
  async jobState(jobId: string): Promise<JobState> {
    return this.known.has(jobId) ? 'pending' : 'unknown';
  }

  async ping(): Promise<boolean> {
    return !this.refusing;
  }

  async depth(): Promise<QueueDepth> {
    return { waiting: this.ready.length, active: this.running, delayed: this.timers.size };
  }

  /**
   * Nothing here outlives the process, so within `graceMs` the jobs already waiting run too (a JSON import would
   * otherwise be lost; file imports and exports are also recovered at the next start); new ones are refused and
   * retries and schedules dropped. When the grace period ends, running jobs have their signals aborted and are given
   * up on, waiting ones dropped: their runs stay in the database for the next start's recovery.
   */
  async stopWorker(graceMs: number): Promise<{ finished: number; handedBack: number }> {
    this.refusing = true;
    this.clearTimers();
    const finishedBefore = this.finished;
    const idle = this.whenIdle();
    if (!(await settleWithin(idle, graceMs))) {
      this.closing = true;
      const finished = this.finished - finishedBefore;
      const dropped = this.ready.splice(0).length;
      const left = [...this.active];
      for (const job of left) {
        job.abort.abort();
        job.handBack(new Error('handed back at shutdown'));
      }
      await settleWithin(Promise.allSettled(left.map((j) => j.work)), 2000);
      return { finished, handedBack: left.length + dropped };
    }
    this.closing = true;
    return { finished: this.finished - finishedBefore, handedBack: 0 };
  }

  async close(): Promise<void> {
    this.refusing = true;
    this.closing = true;
    this.clearTimers();
    this.ready.length = 0;
    await this.whenIdle();
  }

  private clearTimers(): void {
    for (const timer of this.schedules.values()) clearTimeout(timer);
    this.schedules.clear();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** Resolves once nothing runs and nothing waits (or, closing, nothing runs: waiting jobs are not started). */
  private whenIdle(): Promise<void> {
    return this.isIdle() ? Promise.resolve() : new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return this.running === 0 && (this.closing || this.ready.length === 0 || !this.dispatch);
  }

  private pump(): void {
    while (this.dispatch && !this.closing && this.running < this.concurrency && this.ready.length > 0) {
      const job = this.ready.shift() as PendingJob;
      this.running++;
      void this.run(job, this.dispatch).finally(() => {
        this.running--;
        this.finished++;
        this.pump();
        if (this.isIdle()) this.idleWaiters.splice(0).forEach((resolve) => resolve());
      });
    }
  }

  private async run(job: PendingJob, dispatch: JobDispatcher): Promise<void> {
    const abort = new AbortController();
    let handBack!: (error: Error) => void;
    const handedBack = new Promise<never>((_, reject) => (handBack = reject));
    const work = dispatch(job.name, job.data, {
      jobId: job.id,
      attempt: job.attempt,
      maxAttempts: JOB_ATTEMPTS,
      signal: abort.signal,
    });
    const entry: RunningJob = { abort, handBack, work };
    this.active.add(entry);
    try {
      // A job given up on at shutdown stops counting as running here, whatever its handler still does.
      await Promise.race([work, handedBack]);
      this.known.delete(job.id);
    } catch (error) {
      // No retry once shutdown began: the run stays in the database for the next start's recovery.
      if (job.attempt >= JOB_ATTEMPTS || this.refusing) {
        this.known.delete(job.id);
        return;
      }
      const delay = JOB_BACKOFF_MS * 2 ** (job.attempt - 1);
      this.logger.warn(
        `${job.name} ${job.id} failed (attempt ${job.attempt}), retrying in ${delay} ms: ${error}`,
      );
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.ready.push({ ...job, attempt: job.attempt + 1 });
        this.pump();
      }, delay);
      this.timers.add(timer);
    } finally {
      this.active.delete(entry);
    }
  }
}
