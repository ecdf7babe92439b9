import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { HttpException, NotFoundException, UnauthorizedException } from '@nestjs/common';
import type { INestApplicationContext } from '@nestjs/common';
import { toErrorBody } from '../../common/error-body';
import { REQUEST_ID_HEADER, requestIdFrom } from '../../common/logging';
import type { AppConfig } from '../../config/config';
import { HealthService } from '../health/health.service';
import { sameSecret } from '../identity/secrets';
import { MetricsService } from './metrics.service';

/**
 * A worker-only process has no HTTP API, yet its jobs' metrics are only in its memory: with METRICS_PORT it serves
 * GET /api/metrics (bearer METRICS_TOKEN), /api/health/live and /api/health/ready on a bare node:http server (no
 * Express, no controllers: a worker's memory is kept for its jobs).
 */
export async function startWorkerHttp(
  context: INestApplicationContext,
  config: AppConfig,
  port: number,
): Promise<Server> {
  const metrics = context.get(MetricsService);
  const health = context.get(HealthService);
  const token = config.METRICS_TOKEN;
  const send = (res: ServerResponse, status: number, body: unknown, type = 'application/json') => {
    res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const refuse = (res: ServerResponse, error: HttpException) =>
    send(res, error.getStatus(), toErrorBody(error).body);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    res.setHeader(REQUEST_ID_HEADER, requestIdFrom(req.headers['x-request-id']));
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') return refuse(res, new NotFoundException(`Cannot ${req.method} ${path}`));
    if (path === '/api/health/live') {
      return send(res, 200, { status: 'alive', uptimeSeconds: Math.round(process.uptime()) });
    }
    if (path === '/api/health/ready') {
      const body = await health.readiness();
      return send(res, body.status === 'ready' ? 200 : 503, body);
    }
    if (path === '/api/metrics') {
      const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
      if (!token || !match || !sameSecret(match[1], token)) {
        return refuse(res, new UnauthorizedException('Send "Authorization: Bearer <METRICS_TOKEN>"'));
      }
      const { contentType, body } = await metrics.scrape();
      return send(res, 200, body, contentType);
    }
    return refuse(res, new NotFoundException(`Cannot GET ${path}`));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, toErrorBody(new Error('failed')).body));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, config.HOST, () => resolve());
  });
  return server;
}
