import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { HealthResponse } from '@hiresignal/shared';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { ApiDoc, apiRef } from '../../common/api-docs.decorator';
import { DATABASE_MODE, type DatabaseMode } from '../../database/database.tokens';
import { Public } from '../identity/access.decorators';
import { QueueService } from '../queue/queue.service';

@Controller()
export class HealthController {
  constructor(
    private readonly db: DataSource,
    private readonly queue: QueueService,
    @Inject(DATABASE_MODE) private readonly databaseMode: DatabaseMode,
  ) {}

  /** 200 when the database and the queue answer, 503 otherwise. */
  @Public()
  @ApiDoc({
    summary: 'Database and queue health',
    responses: {
      200: { description: 'Both answer', schema: apiRef('Health') },
      503: { description: 'Degraded', schema: apiRef('Health') },
    },
  })
  @Get('health')
  async health(@Res({ passthrough: true }) res: Response): Promise<HealthResponse> {
    const database = await this.db
      .query('SELECT 1')
      .then(() => 'up' as const)
      .catch(() => 'down' as const);
    const queue = (await this.queue.ping().catch(() => false)) ? ('up' as const) : ('down' as const);
    const ok = database === 'up' && queue === 'up';
    res.status(ok ? 200 : 503);
    return {
      status: ok ? 'ok' : 'degraded',
      database,
      queue,
      queueDriver: this.queue.driverKind,
      databaseMode: this.databaseMode,
    };
  }
}
