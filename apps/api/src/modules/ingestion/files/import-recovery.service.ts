import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../../config/config';
import { QueueService } from '../../queue/queue.service';
import { JOB_NAMES } from '../../queue/queue.types';

/**
 * The in-process queue (embedded mode) is not durable: after a crash or restart its jobs are gone, but the import
 * runs in the database are not. At boot this re-enqueues unfinished file imports, which resume from their cursor,
 * and fails uploads that were cut off. With BullMQ the jobs live in Redis and stalled ones are picked up again, so
 * nothing is done here.
 */
@Injectable()
export class ImportRecoveryService implements OnApplicationBootstrap {
  private readonly logger = new Logger('ImportRecovery');

  constructor(
    private readonly db: DataSource,
    private readonly queue: QueueService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.queue.driverKind !== 'in-process' || this.config.PROCESS_ROLE === 'api') return;
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
        `import-recovered-${run.id}`,
      );
    }
    if (runs.length > 0) this.logger.log(`resumed ${runs.length} unfinished file import(s)`);
  }
}
