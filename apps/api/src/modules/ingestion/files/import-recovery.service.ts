import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../../config/config';
import { QueueService } from '../../queue/queue.service';
import { JOB_NAMES, QUEUE_NAME } from '../../queue/queue.types';

/** One sweeper at a time across every worker process: the others skip that round. */
export const SWEEP_LOCK_KEY = 'hiresignal:import-sweeper';
const SWEEP_LOCK_SQL = 'SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked';

/** Job states in which a job will still run. */
const PENDING_STATES = new Set(['waiting', 'active', 'delayed', 'prioritized', 'paused', 'waiting-children']);

export interface SweepResult {
  /** False when another worker held the sweep lock. */
  swept: boolean;
  /** Uploads that stopped receiving, now failed. */
  failed: string[];
  /** Committed runs whose job was missing, enqueued again. */
  requeued: string[];
}

/** The job id under which a recovered run is enqueued: the same for every worker, so the queue keeps one. */
export const recoveredJobId = (importId: string) => `import-recovered-${importId}`;

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
  private inspector: { queue: Queue; connection: Redis } | null = null;
  private stopped = false;

  constructor(
    private readonly db: DataSource,
    private readonly queue: QueueService,
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
    if (this.inspector) {
      await this.inspector.queue.close();
      this.inspector.connection.disconnect();
    }
  }

  /** One sweep (BullMQ). Public for tests and for an operator's console. */
  async sweep(): Promise<SweepResult> {
    const staleSeconds = this.config.IMPORT_STALE_AFTER_SECONDS;
    return this.db.transaction(async (tx) => {
      const [{ locked }] = (await tx.query(SWEEP_LOCK_SQL, [SWEEP_LOCK_KEY])) as { locked: boolean }[];
      if (!locked) return { swept: false, failed: [], requeued: [] };
      const [failedRows] = (await tx.query(
        `UPDATE import_runs SET status = 'failed', phase = 'done', finished_at = now(), last_activity_at = now(),
           failure_reason = $2
         WHERE status = 'queued' AND phase = 'receiving' AND last_activity_at < now() - make_interval(secs => $1)
         RETURNING id`,
        [
          staleSeconds,
          `the upload stopped: no data arrived for ${staleSeconds} s (the API process receiving it stopped, or the client went away)`,
        ],
      )) as [{ id: string }[], number];
      const failed = failedRows.map((r) => r.id);
      if (failed.length > 0)
        this.logger.warn(`failed ${failed.length} stalled upload(s): ${failed.join(', ')}`);

      const waiting = (await tx.query(
        `SELECT id, organization_id, content_hash FROM import_runs
         WHERE source <> 'api' AND status = 'queued' AND phase = 'queued'
           AND last_activity_at < now() - make_interval(secs => $1)
         ORDER BY created_at LIMIT 500`,
        [staleSeconds],
      )) as { id: string; organization_id: string; content_hash: string }[];
      const requeued: string[] = [];
      for (const run of waiting) {
        if (this.stopped) break;
        if (await this.hasPendingJob(tx, run)) continue;
        await this.queue.enqueue(
          JOB_NAMES.importFile,
          { importId: run.id, organizationId: run.organization_id },
          recoveredJobId(run.id),
        );
        await tx.query('UPDATE import_runs SET last_activity_at = now() WHERE id = $1', [run.id]);
        requeued.push(run.id);
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
   * Whether a job that will still run carries this import. The API enqueues it as import-<hash>-<n>, n being the
   * number of earlier runs of the same content (all of them still in the table), and a recovery as
   * import-recovered-<id>; so the candidates are few and each is one lookup.
   */
  private async hasPendingJob(
    tx: EntityManager,
    run: { id: string; organization_id: string; content_hash: string },
  ): Promise<boolean> {
    const queue = this.inspectorQueue();
    const [{ n }] = (await tx.query(
      'SELECT count(*)::int AS n FROM import_runs WHERE organization_id = $1 AND content_hash = $2',
      [run.organization_id, run.content_hash],
    )) as { n: number }[];
    const ids = [recoveredJobId(run.id)];
    for (let k = n - 1; k >= 0; k--) ids.push(`import-${run.content_hash.slice(0, 40)}-${k}`);
    for (const id of ids) {
      const job = await queue.getJob(id);
      if (!job || (job.data as { importId?: string }).importId !== run.id) continue;
      if (PENDING_STATES.has(await job.getState())) return true;
    }
    return false;
  }

  private inspectorQueue(): Queue {
    if (!this.inspector) {
      const connection = new Redis(this.config.REDIS_URL as string, { maxRetriesPerRequest: null });
      this.inspector = {
        connection,
        queue: new Queue(QUEUE_NAME, { connection, prefix: this.config.QUEUE_PREFIX }),
      };
    }
    return this.inspector.queue;
  }

  private async recoverEmbedded(): Promise<void> {
    await this.db.query(
      `UPDATE import_runs SET status = 'failed', phase = 'done', finished_at = now(),
         failure_reason = 'the upload was interrupted (the server stopped while receiving the file)'
       WHERE phase = 'receiving' AND status IN ('queued', 'running')`,
    );
    const runs = (await this.db.query(
      `SELECT id, organization_id FROM import_runs
       WHERE source <> 'api' AND status IN ('queued', 'running') ORDER BY created_at`,
    )) as { id: string; organization_id: string }[];
    for (const run of runs) {
      await this.queue.enqueue(
        JOB_NAMES.importFile,
        { importId: run.id, organizationId: run.organization_id },
        recoveredJobId(run.id),
      );
    }
    if (runs.length > 0) this.logger.log(`resumed ${runs.length} unfinished file import(s)`);
  }
}
