import { Logger } from '@nestjs/common';
import { Queue, WaitingError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import {
  JOB_ATTEMPTS,
  JOB_BACKOFF_MS,
  QUEUE_NAME,
  QueueDriver,
  type EnqueueOptions,
  type JobDispatcher,
  type JobName,
  type JobState,
  type QueueDepth,
  type RepeatRule,
} from './queue.types';
import { settleWithin, type RunningJob } from './running-jobs';

/** Jobs in Redis through BullMQ: durable, retried with backoff, shared by every worker process. */
export class BullmqDriver extends QueueDriver {
  readonly kind = 'bullmq' as const;
  private readonly logger = new Logger('BullmqQueue');
  private readonly connection: Redis;
  private readonly queue: Queue;
  private worker: Worker | null = null;
  private workerConnection: Redis | null = null;
  /** Jobs this process runs, by id, with what it needs to hand one back. */
  private readonly running = new Map<string, RunningJob & { job: Job; token: string | undefined }>();

  constructor(
    private readonly url: string,
    private readonly prefix: string,
  ) {
    super();
    this.connection = new Redis(url, { maxRetriesPerRequest: null });
    this.queue = new Queue(QUEUE_NAME, { connection: this.connection, prefix });
  }

  async enqueue(name: JobName, data: unknown, options: EnqueueOptions): Promise<void> {
    await this.queue.add(name, data, {
      jobId: options.jobId,
      attempts: JOB_ATTEMPTS,
      backoff: { type: 'exponential', delay: JOB_BACKOFF_MS },
      removeOnComplete: { age: 24 * 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
  }

  async upsertSchedule(id: string, rule: RepeatRule, name: JobName, data: unknown): Promise<void> {
    await this.queue.upsertJobScheduler(
      id,
      { pattern: rule.pattern, tz: 'UTC' },
      {
        name,
        data,
        opts: {
          attempts: JOB_ATTEMPTS,
          backoff: { type: 'exponential', delay: JOB_BACKOFF_MS },
          removeOnComplete: { age: 24 * 3600, count: 10_000 },
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      },
    );
  }

  async removeSchedule(id: string): Promise<void> {
    await this.queue.removeJobScheduler(id);
  }

  async startWorker(dispatch: JobDispatcher, concurrency: number): Promise<void> {
    this.workerConnection = new Redis(this.url, { maxRetriesPerRequest: null });
    this.worker = new Worker(
      QUEUE_NAME,
      async (job, token) => {
        const abort = new AbortController();
        let handBack!: (error: Error) => void;
        const handedBack = new Promise<never>((_, reject) => (handBack = reject));
        const work = dispatch(job.name, job.data, {
          jobId: job.id ?? '',
          attempt: job.attemptsMade + 1,
          maxAttempts: job.opts.attempts ?? 1,
          signal: abort.signal,
        });
        const key = job.id ?? '';
        this.running.set(key, { job, token, abort, handBack, work });
        try {
          // A job handed back at shutdown ends here with WaitingError (BullMQ's "moved, not failed"), while its
          // handler, told by the signal, stops at its next safe point.
          return await Promise.race([work, handedBack]);
        } finally {
          this.running.delete(key);
        }
      },
      { connection: this.workerConnection, prefix: this.prefix, concurrency },
    );
    this.worker.on('error', (error) => this.logger.error(`worker error: ${error.message}`));
    await this.worker.waitUntilReady();
  }

  async jobState(jobId: string): Promise<JobState> {
    const job = await this.queue.getJob(jobId);
    if (!job) return 'unknown';
    const state = await job.getState();
    if (state === 'completed' || state === 'failed') return state;
    return state === 'unknown' ? 'unknown' : 'pending';
  }

  async depth(): Promise<QueueDepth> {
    const c = await this.queue.getJobCounts('wait', 'prioritized', 'active', 'delayed');
    return {
      waiting: (c['wait'] ?? 0) + (c['prioritized'] ?? 0),
      active: c['active'] ?? 0,
      delayed: c['delayed'] ?? 0,
    };
  }

  async stopWorker(graceMs: number): Promise<{ finished: number; handedBack: number }> {
    const worker = this.worker;
    if (!worker) return { finished: 0, handedBack: 0 };
    const before = this.running.size;
    // close() stops fetching at once and resolves when the running jobs have ended.
    const closing = worker.close();
    if (await settleWithin(closing, graceMs)) return { finished: before, handedBack: 0 };
    const left = [...this.running.values()];
    for (const entry of left) {
      entry.abort.abort();
      try {
        // Back to the waiting list with its lock released: another worker takes it now, not after the stalled-job
        // check (30 s or more), and the attempt is not counted.
        await entry.job.moveToWait(entry.token);
        this.logger.warn(`${entry.job.name} ${entry.job.id} handed back to the queue at shutdown`);
      } catch (error) {
        // The lock was already lost: BullMQ's stalled-job check hands it on.
        this.logger.warn(
          `${entry.job.name} ${entry.job.id} could not be handed back: ${(error as Error).message}`,
        );
      }
      entry.handBack(new WaitingError());
    }
    await closing;
    // The handlers were told to stop; give them a moment to reach a safe point before the pools close.
    await settleWithin(Promise.allSettled(left.map((e) => e.work)), 2000);
    return { finished: before - left.length, handedBack: left.length };
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.connection.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
    this.workerConnection?.disconnect();
    this.connection.disconnect();
  }
}
