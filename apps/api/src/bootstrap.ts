import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type INestApplication, type INestApplicationContext, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import type { NextFunction, Request, Response } from 'express';
import { AppModule } from './app.module';
import { ApiExceptionFilter } from './common/error-body';
import { crossSiteGuard, securityHeaders, trustProxySetting } from './common/http-security';
import { loggerParams, nestLogger, PINO_LEVELS, pinoLevelOf, requestIds, rootLogger } from './common/logging';
import { compressedStaticAssets, HASHED_NAME, YEAR_CACHE } from './common/static-assets';
import type { AppConfig } from './config/config';
import { openDatabase, type OpenDatabase } from './database/data-source';
import { BullmqDriver } from './modules/queue/bullmq.driver';
import { httpMetrics } from './modules/observability/http-metrics';
import { MetricsService } from './modules/observability/metrics.service';
import { InProcessDriver } from './modules/queue/in-process.driver';
import type { QueueDriver } from './modules/queue/queue.types';

export interface RunningApp {
  /** The HTTP application, or null in worker-only mode. */
  http: NestExpressApplication | null;
  context: INestApplicationContext;
  db: OpenDatabase;
  close(): Promise<void>;
}

export function createQueueDriver(config: AppConfig): QueueDriver {
  return config.REDIS_URL ? new BullmqDriver(config.REDIS_URL, config.QUEUE_PREFIX) : new InProcessDriver();
}

/**
 * Opens the database (embedded when DATABASE_URL is unset), picks the queue driver (in-process when REDIS_URL is
 * unset) and builds the Nest application for the configured role. Used by `main` and by the integration tests.
 */
export async function createApp(
  config: AppConfig,
  options: { embeddedDataDir?: string | null; logger?: LogLevel[] | false } = {},
): Promise<RunningApp> {
  // JSON lines through pino for every Nest logger, at LOG_LEVEL (or, for tests, the most verbose of `logger`).
  const params = loggerParams(
    rootLogger(options.logger === undefined ? PINO_LEVELS[config.LOG_LEVEL] : pinoLevelOf(options.logger)),
  );
  const logger = nestLogger(params);
  const db = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    poolSize: config.DATABASE_POOL_SIZE,
    embeddedDataDir: options.embeddedDataDir === undefined ? config.PGLITE_DATA_DIR : options.embeddedDataDir,
  });
  const driver = createQueueDriver(config);
  logger.log(
    `database: ${db.mode === 'embedded' ? `embedded PGlite (${db.embedded?.dataDir ?? 'in memory'})` : 'PostgreSQL (DATABASE_URL)'}; ` +
      `queue: ${driver.kind === 'bullmq' ? 'BullMQ on Redis (REDIS_URL)' : 'in-process'}; role: ${config.PROCESS_ROLE}`,
    'Bootstrap',
  );
  const module = AppModule.forRoot(config, db, driver, params);
  try {
    if (config.PROCESS_ROLE === 'worker') {
      const context = await NestFactory.createApplicationContext(module, { logger });
      return { http: null, context, db, close: () => closeAll(context, db) };
    }
    const http = await NestFactory.create<NestExpressApplication>(module, { logger });
    configureHttp(http, config, logger);
    await http.init();
    return { http, context: http, db, close: () => closeAll(http, db) };
  } catch (error) {
    await driver.close().catch(() => undefined);
    await db.close();
    throw error;
  }
}

async function closeAll(app: INestApplication | INestApplicationContext, db: OpenDatabase): Promise<void> {
  await app.close();
  await db.close();
}

function configureHttp(
  app: NestExpressApplication,
  config: AppConfig,
  logger: ReturnType<typeof nestLogger>,
): void {
  app.setGlobalPrefix('api');
  app.disable('x-powered-by');
  // First: the request's id (X-Request-Id in and out, on its log lines and on the jobs it enqueues), then its timing.
  app.use(requestIds());
  app.use(httpMetrics(app.get(MetricsService)));
  // Whose X-Forwarded-For/-Proto to believe: the client address (sign-in throttle, sessions, audit) and HTTPS
  // (Secure cookie, HSTS) come from them.
  app.set('trust proxy', trustProxySetting(config.TRUST_PROXY));
  // Headers on every response, then the cross-site rule, before any body is read.
  app.use(securityHeaders());
  app.use(crossSiteGuard());
  app.useBodyParser('json', { limit: `${config.BODY_LIMIT_MB}mb` });
  app.use(cookieParser());
  // One error body for every route (common/error-body.ts), Retry-After included on 429/503 sign-in refusals.
  app.useGlobalFilters(new ApiExceptionFilter());

  const webDir = resolve(config.WEB_DIST_DIR);
  const index = join(webDir, 'index.html');
  if (!existsSync(index)) {
    logger.warn(`no dashboard build at ${webDir}: run "npx nx build web" to serve it`, 'Bootstrap');
    return;
  }
  // Compressed (brotli, gzip) and long-cached where the name is hashed; the plain handler serves the rest.
  app.use(compressedStaticAssets(webDir));
  app.useStaticAssets(webDir, {
    index: false,
    maxAge: '1h',
    setHeaders: (res: Response, path: string) => {
      if (HASHED_NAME.test(path)) res.setHeader('Cache-Control', YEAR_CACHE);
    },
  });
  // Client-side routes of the dashboard: any other GET outside /api answers the app shell.
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || req.path.startsWith('/api/') || req.path === '/api') return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}
