import { Injectable } from '@nestjs/common';
import type { ReadinessResponse } from '@hiresignal/shared';
import { DataSource } from 'typeorm';
import { LifecycleService } from '../observability/lifecycle.service';
import { QueueService } from '../queue/queue.service';

type UpDown = 'up' | 'down';

/** The checks behind /api/health and /api/health/ready (also served by a worker's METRICS_PORT). */
@Injectable()
export class HealthService {
  constructor(
    private readonly db: DataSource,
    private readonly queue: QueueService,
    private readonly lifecycle: LifecycleService,
  ) {}

  /** Whether the database and the queue answer, asked side by side. */
  async dependencies(): Promise<{ database: UpDown; queue: UpDown }> {
    const [database, queue] = await Promise.all([
      this.db.query('SELECT 1').then(
        (): UpDown => 'up',
        (): UpDown => 'down',
      ),
      this.queue.ping().then(
        (up): UpDown => (up ? 'up' : 'down'),
        (): UpDown => 'down',
      ),
    ]);
    return { database, queue };
  }

  /** Ready: both answer and the process is not shutting down. */
  async readiness(): Promise<ReadinessResponse> {
    const { database, queue } = await this.dependencies();
    const shuttingDown = this.lifecycle.shuttingDown;
    const ready = database === 'up' && queue === 'up' && !shuttingDown;
    return { status: ready ? 'ready' : 'not_ready', database, queue, shuttingDown };
  }
}
