import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { HealthResponse, LivenessResponse, ReadinessResponse } from '@hiresignal/shared';
import type { Response } from 'express';
import { ApiDoc, apiRef } from '../../common/api-docs.decorator';
import { DATABASE_MODE, type DatabaseMode } from '../../database/database.tokens';
import { Public } from '../identity/access.decorators';
import { QueueService } from '../queue/queue.service';
import { HealthService } from './health.service';

@Controller()
export class HealthController {
  constructor(
    private readonly checks: HealthService,
    private readonly queue: QueueService,
    @Inject(DATABASE_MODE) private readonly databaseMode: DatabaseMode,
  ) {}

  /** 200 when the database and the queue answer, 503 otherwise. Kept as it was; probes use live and ready. */
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
    const { database, queue } = await this.checks.dependencies();
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

  /** Liveness: the process answers. Asks nothing else, so a slow database never gets a healthy process restarted. */
  @Public()
  @ApiDoc({
    summary: 'Liveness: the process runs',
    description: 'Asks no dependency. A probe that fails here should restart the process.',
    responses: { 200: { description: 'Alive', schema: apiRef('Liveness') } },
  })
  @Get('health/live')
  live(): LivenessResponse {
    return { status: 'alive', uptimeSeconds: Math.round(process.uptime()) };
  }

  /** Readiness: send work here. 503 while the database or the queue does not answer, and once shutdown begins. */
  @Public()
  @ApiDoc({
    summary: 'Readiness: the database and queue answer and the process is not shutting down',
    description: 'A probe that fails here should stop routing requests to the process, not restart it.',
    responses: {
      200: { description: 'Ready', schema: apiRef('Readiness') },
      503: {
        description: 'A dependency is down, or the process is shutting down',
        schema: apiRef('Readiness'),
      },
    },
  })
  @Get('health/ready')
  async ready(@Res({ passthrough: true }) res: Response): Promise<ReadinessResponse> {
    const body = await this.checks.readiness();
    res.status(body.status === 'ready' ? 200 : 503);
    return body;
  }
}
