import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { runAsSystem } from '../../database/tenancy';
import { QueueService } from '../queue/queue.service';
import { JOB_NAMES } from '../queue/queue.types';
import { ExportsRepository } from './exports.repository';
import { exportJobId } from './exports.service';

/**
 * Keeps exports moving and their files bounded. Embedded mode: the in-process queue is not durable, so at boot every
 * unfinished export is enqueued again (it starts its file again). Every worker process deletes expired exports with
 * their files every EXPORT_SWEEP_INTERVAL_SECONDS (with BullMQ a killed worker's job is picked up again by BullMQ's
 * stalled-job check).
 */
@Injectable()
export class ExportRecoveryService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ExportRecovery');
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<unknown> | null = null;

  constructor(
    private readonly repo: ExportsRepository,
    private readonly queue: QueueService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.PROCESS_ROLE === 'api') return;
    if (this.queue.driverKind === 'in-process') {
      for (const e of await runAsSystem(() => this.repo.unfinished())) {
        await this.queue.enqueue(
          JOB_NAMES.exportFile,
          { exportId: e.id, organizationId: e.organizationId },
          exportJobId(e.id),
        );
        this.logger.log(`export ${e.id} enqueued again after a restart`);
      }
    }
    this.timer = setInterval(() => this.tick(), this.config.EXPORT_SWEEP_INTERVAL_SECONDS * 1000);
    this.timer.unref();
    this.tick();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.sweeping;
  }

  /** Deletes expired exports and their files. Public for tests. */
  sweep(): Promise<number> {
    return runAsSystem(() => this.repo.deleteExpired());
  }

  private tick(): void {
    if (this.sweeping) return;
    this.sweeping = this.sweep()
      .then((n) => {
        if (n > 0) this.logger.log(`${n} expired export(s) deleted`);
      })
      .catch((error: Error) => this.logger.warn(`export sweep failed: ${error.message}`))
      .finally(() => {
        this.sweeping = null;
      });
  }
}
