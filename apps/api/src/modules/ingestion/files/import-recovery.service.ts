import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../../config/config';
import { QueueService } from '../../queue/queue.service';
import { JOB_NAMES } from '../../queue/queue.types';
import { importJobId, ImportRunsRepository, recoveredJobId, type SweptRun } from '../import-runs.repository';

/** One sweeper at a time across every worker process: the others skip that round. */
export const SWEEP_LOCK_KEY = 'hiresignal:import-sweeper';
const SWEEP_LOCK_SQL = 'SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked';

export interface SweepResult {
  /** False when another worker held the sweep lock. */
  swept: boolean;
  /** Uploads that stopped receiving, now failed. */
  failed: string[];
  /** Committed runs whose job was missing, enqueued again. */
  requeued: string[];
}

export { recoveredJobId } from '../import-runs.repository';

/**
 * Recovers file imports that nothing would finish otherwise.
 *
 * Embedded mode: the in-process queue is not durable, so at boot unfinished runs are re-enqueued (they resume from
 * their cursor) and uploads cut off by the stop are failed.
 *
 * With BullMQ the jobs live in Redis and stalled ones are picked up again, but two gaps remain, which every worker
 * process sweeps every IMPORT_SWEEP_INTERVAL_SECONDS: a run still `receiving` after IMPORT_STALE_AFTER_SECONDS
 * without a chunk (the API process receiving it died) is failed; a run committed as `queued` that long ago whose
 * job is not in the queue (the API died between the commit and the enqueue) is enqueued again under
 * `import-recovered-<id>`. The sweep runs under a transaction-level advisory lock, so one worker sweeps at a time,
 * and the deterministic job id makes a second enqueue a no-op anyway.
 */
@Injectable()
export class ImportRecoveryService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ImportRecovery');
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<unknown> | null = null;
  private stopped = false;

  constructor(
    private readonly db: DataSource,
    private readonly queue: QueueService,
    private readonly runs: ImportRunsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.PROCESS_ROLE === 'api') return;
    if (this.queue.driverKind === 'in-process') {
      await this.recoverEmbedded();
      return;
    }
    this.timer = setInterval(() => this.tick(), this.config.IMPORT_SWEEP_INTERVAL_SECONDS * 1000);
    this.timer.unref();
    this.tick();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.sweeping;
  }

  /** One sweep (BullMQ). Public for tests and for an operator's console. */
  async sweep(): Promise<SweepResult> {
    const staleSeconds = this.config.IMPORT_STALE_AFTER_SECONDS;
    return this.db.transaction(async (tx) => {
      const [{ locked }] = (await tx.query(SWEEP_LOCK_SQL, [SWEEP_LOCK_KEY])) as { locked: boolean }[];
      if (!locked) return { swept: false, failed: [], requeued: [] };
      const failed = await this.runs.failStalledUploads(
        tx,
        staleSeconds,
        `the upload stopped: no data arrived for ${staleSeconds} s (the API process receiving it stopped, or the client went away)`,
      );
      if (failed.length > 0)
        this.logger.warn(`failed ${failed.length} stalled upload(s): ${failed.join(', ')}`);

      const waiting = await this.runs.staleQueued(tx, staleSeconds);
      const requeued: string[] = [];
      for (const run of waiting) {
        if (this.stopped) break;
        if (await this.hasPendingJob(tx, run)) continue;
        await this.queue.enqueue(
          JOB_NAMES.importFile,
          { importId: run.id, organizationId: run.organization_id },
          recoveredJobId(run.id),
        );
        await this.runs.requeued(tx, run.id, recoveredJobId(run.id));
        requeued.push(run.id);
      }
      // A running run whose job ended without finishing it (BullMQ gave up on a job that stalled its worker once
      // too often): nothing will run it again, so it fails with that reason.
      const running = await this.runs.staleRunning(tx, staleSeconds);
      for (const run of running) {
        if (this.stopped) break;
        if (await this.hasPendingJob(tx, run)) continue;
        await this.runs.fail(
          run.id,
          'the import stopped without finishing: its worker stopped or stalled too often and the queue gave up on it',
          tx,
        );
        failed.push(run.id);
      }
      if (requeued.length > 0) {
        this.logger.warn(
          `enqueued ${requeued.length} queued import(s) missing from the queue: ${requeued.join(', ')}`,
        );
      }
      return { swept: true, failed, requeued };
    });
  }

  private tick(): void {
    if (this.sweeping || this.stopped) return;
    this.sweeping = this.sweep()
      .catch((error: unknown) => this.logger.error(`import sweep failed: ${(error as Error).message}`))
      .finally(() => (this.sweeping = null));
  }

  /**
   * Whether a job that will still run carries this import, as the queue driver answers. The job id is stored with
   * the run; a run from before job ids were stored is looked up under the ids it may have had (import-<hash>-<n>,
   * n < the runs of that content, and import-recovered-<id>).
   */
  private async hasPendingJob(tx: EntityManager, run: SweptRun): Promise<boolean> {
    const ids = [recoveredJobId(run.id)];
    if (run.job_id !== null) ids.unshift(run.job_id);
    else {
      const n = await this.runs.countOfContent(tx, run.organization_id, run.content_hash);
      for (let k = n - 1; k >= 0; k--) ids.push(importJobId(run.content_hash, k));
    }
    for (const id of ids) if ((await this.queue.jobState(id)) === 'pending') return true;
    return false;
  }

  private async recoverEmbedded(): Promise<void> {
    await this.runs.failInterruptedUploads();
    const runs = await this.runs.unfinishedFileRuns();
    for (const run of runs) {
      // The job id is stored first, so an identical upload meanwhile asks the queue about the job that runs it.
      await this.runs.setJob(run.id, recoveredJobId(run.id));
      await this.queue.enqueue(
        JOB_NAMES.importFile,
        { importId: run.id, organizationId: run.organization_id },
        recoveredJobId(run.id),
      );
    }
    if (runs.length > 0) this.logger.log(`resumed ${runs.length} unfinished file import(s)`);
  }
}
