import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { PinoLogger } from 'nestjs-pino';
import { currentRequestId, runWithRequestId } from '../../common/logging';
import { runAsSystem, runInOrganization } from '../../database/tenancy';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { MetricsService, type JobOutcome } from '../observability/metrics.service';
import { JOB_PROCESSOR_METADATA } from './job-processor.decorator';
import {
  JOB_NAMES,
  JobInterrupted,
  QueueDriver,
  type JobContext,
  type JobDataMap,
  type JobHandler,
  type JobName,
  type JobState,
  type RepeatRule,
} from './queue.types';

/** The typed producer and the worker-side dispatcher over whichever driver is configured. */
@Injectable()
export class QueueService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Queue');
  private readonly handlers = new Map<string, JobHandler<JobName>>();

  constructor(
    private readonly driver: QueueDriver,
    private readonly discovery: DiscoveryService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: MetricsService,
    private readonly pino: PinoLogger,
  ) {}

  get driverKind(): QueueDriver['kind'] {
    return this.driver.kind;
  }

  /** Enqueues a job; one enqueued while serving a request (or running a job) carries that request's id. */
  enqueue<N extends JobName>(name: N, data: JobDataMap[N], jobId: string): Promise<void> {
    const requestId = data.requestId ?? currentRequestId();
    return this.driver.enqueue(name, requestId ? { ...data, requestId } : data, { jobId });
  }

  upsertSchedule<N extends JobName>(
    id: string,
    rule: RepeatRule,
    name: N,
    data: JobDataMap[N],
  ): Promise<void> {
    return this.driver.upsertSchedule(id, rule, name, data);
  }

  removeSchedule(id: string): Promise<void> {
    return this.driver.removeSchedule(id);
  }

  ping(): Promise<boolean> {
    return this.driver.ping();
  }

  /** Whether a job will still run, has ended, or is unknown to the queue. */
  jobState(jobId: string): Promise<JobState> {
    return this.driver.jobState(jobId);
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as object | undefined;
      if (!instance || !wrapper.metatype) continue;
      const name = Reflect.getMetadata(JOB_PROCESSOR_METADATA, wrapper.metatype) as JobName | undefined;
      if (!name) continue;
      if (this.handlers.has(name)) throw new Error(`Job ${name} has two handlers`);
      this.handlers.set(name, instance as JobHandler<JobName>);
    }
    const missing = Object.values(JOB_NAMES).filter((name) => !this.handlers.has(name));
    if (missing.length > 0) throw new Error(`Jobs without a handler: ${missing.join(', ')}`);

    if (this.config.PROCESS_ROLE !== 'api') {
      await this.driver.startWorker(
        (name, data, context) => this.dispatch(name, data, context),
        this.config.WORKER_CONCURRENCY,
      );
      this.logger.log(`worker started (${this.driver.kind}, concurrency ${this.config.WORKER_CONCURRENCY})`);
    }
  }

  /**
   * Shutdown: stops taking jobs, lets running ones finish for up to `graceMs`, then hands the rest back
   * (QueueDriver.stopWorker). An API-only process runs no jobs and returns at once.
   */
  async stopWorker(graceMs: number): Promise<{ finished: number; handedBack: number }> {
    if (this.config.PROCESS_ROLE === 'api') return { finished: 0, handedBack: 0 };
    return this.driver.stopWorker(graceMs);
  }

  async onModuleDestroy(): Promise<void> {
    await this.driver.close();
  }

  /**
   * Runs one job attempt: in the request context of the request that enqueued it and a log context naming the job
   * (so every line it logs carries job, jobId, attempt and requestId), timed by job name and outcome.
   */
  private dispatch(name: string, data: unknown, context: JobContext): Promise<void> {
    const rawRequestId = (data as { requestId?: unknown }).requestId;
    const requestId = typeof rawRequestId === 'string' ? rawRequestId : undefined;
    const bindings = { job: name, jobId: context.jobId, attempt: context.attempt, requestId };
    return runWithRequestId(requestId, () =>
      this.pino.runInContext(() => this.timed(name, () => this.run(name, data, context)), { bindings }),
    );
  }

  private async timed(name: string, run: () => Promise<void>): Promise<void> {
    const end = this.metrics.jobDuration.startTimer({ job: name });
    this.metrics.jobsRunning.inc({ job: name });
    let outcome: JobOutcome = 'completed';
    try {
      await run();
    } catch (error) {
      outcome = error instanceof JobInterrupted ? 'interrupted' : 'failed';
      throw error;
    } finally {
      end({ outcome });
      this.metrics.jobsRunning.dec({ job: name });
    }
  }

  private async run(name: string, data: unknown, context: JobContext): Promise<void> {
    const handler = this.handlers.get(name);
    if (!handler) throw new Error(`No handler for job ${name}`);
    // A job runs in its organization's row-level-security scope (not in whatever request enqueued it).
    const organizationId = (data as { organizationId?: unknown }).organizationId;
    const handle = () => handler.handle(data as JobDataMap[JobName], context);
    try {
      await (typeof organizationId === 'string'
        ? runInOrganization(organizationId, handle)
        : runAsSystem(handle));
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      if (err instanceof JobInterrupted || context.signal?.aborted) {
        // Stopped by a shutdown (or failing because of it): handed back, never a final failure.
        this.logger.warn(`${name} ${context.jobId} attempt ${context.attempt} interrupted: ${err.message}`);
        throw err instanceof JobInterrupted ? err : new JobInterrupted(`${name} ${context.jobId}`);
      }
      this.logger.warn(
        `${name} ${context.jobId} attempt ${context.attempt}/${context.maxAttempts} failed: ${err.message}`,
      );
      if (context.attempt >= context.maxAttempts) {
        const fail = () => handler.onFinalFailure?.(data as JobDataMap[JobName], err, context);
        await (typeof organizationId === 'string'
          ? runInOrganization(organizationId, fail)
          : runAsSystem(fail));
      }
      throw err;
    }
  }
}
