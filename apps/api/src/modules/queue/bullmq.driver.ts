import { Logger } from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
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
  type RepeatRule,
} from './queue.types';

/** Jobs in Redis through BullMQ: durable, retried with backoff, shared by every worker process. */
export class BullmqDriver extends QueueDriver {
  readonly kind = 'bullmq' as const;
  private readonly logger = new Logger('BullmqQueue');
  private readonly connection: Redis;
  private readonly queue: Queue;
  private worker: Worker | null = null;
  private workerConnection: Redis | null = null;

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
      async (job) =>
        dispatch(job.name, job.data, {
          jobId: job.id ?? '',
          attempt: job.attemptsMade + 1,
          maxAttempts: job.opts.attempts ?? 1,
        }),
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
