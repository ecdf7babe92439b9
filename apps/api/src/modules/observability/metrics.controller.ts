import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiDoc } from '../../common/api-docs.decorator';
import { OrBearerToken, Roles } from '../identity/access.decorators';
import { MetricsService } from './metrics.service';

@Controller()
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  /** Prometheus exposition text: admins, or a scraper holding METRICS_TOKEN. */
  @Roles('admin')
  @OrBearerToken('METRICS_TOKEN')
  @ApiDoc({
    summary: 'Prometheus metrics of this process',
    description:
      'Text exposition format 0.0.4. For admins, or `Authorization: Bearer <METRICS_TOKEN>` (a scraper has no ' +
      'organization). Series: README "Metrics". Numbers are this process\'s: scrape every process (a worker-only ' +
      'process serves them on METRICS_PORT).',
    produces: 'text/plain',
    responses: { 200: { description: 'The metrics' } },
  })
  @Get('metrics')
  async scrape(@Res({ passthrough: true }) res: Response): Promise<string> {
    const { contentType, body } = await this.metrics.scrape();
    res.setHeader('Content-Type', contentType);
    return body;
  }
}
