import type { Server } from 'node:http';
import { Logger } from '@nestjs/common';
import { createApp, type RunningApp } from '../bootstrap';
import type { AppConfig } from '../config/config';
import { DemoSeeder, type DemoSeedResult } from '../modules/demo/demo-seeder.service';
import { LifecycleService } from '../modules/observability/lifecycle.service';
import { startWorkerHttp } from '../modules/observability/worker-http';
import { QueueService } from '../modules/queue/queue.service';
import { settleWithin } from '../modules/queue/running-jobs';

/** After the jobs' grace period, how long closing the modules, the queue and the pools may take before we exit. */
const CLOSE_DEADLINE_MS = 10_000;

/** Runs the API, the worker, or both, until SIGINT or SIGTERM (then shuts down gracefully; a second signal exits). */
export async function serve(config: AppConfig): Promise<void> {
  const logger = new Logger('HireSignal');
  const app = await createApp(config);
  const servers: Server[] = [];
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) {
      logger.warn(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    closing = true;
    gracefulShutdown(app, servers, config, logger, signal)
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error(error);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  if (!app.http) {
    if (config.METRICS_PORT !== undefined) {
      servers.push(await startWorkerHttp(app.context, config, config.METRICS_PORT));
      logger.log(`metrics and health on http://${config.HOST}:${config.METRICS_PORT}/api/metrics`);
    }
    logger.log('worker running');
    return;
  }
  const seeded = config.SEED_DEMO ? await app.http.get(DemoSeeder).seedIfEmpty() : null;
  await app.http.listen(config.PORT, config.HOST);
  servers.push(app.http.getHttpServer() as Server);
  const address = app.http.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${port}`;
  if (seeded) printDemo(seeded, url);
  logger.log(`listening on ${url} (dashboard at ${url}/, API at ${url}/api)`);
}

/**
 * Readiness answers 503 at once and the listeners stop taking connections (requests in flight go on); running jobs
 * get SHUTDOWN_GRACE_SECONDS to finish, then are handed back (BullMQ: to the waiting list, for another worker now;
 * in-process: to the recovery at the next start); requests still open then are cut; modules, the queue's
 * connections and the database pools close within CLOSE_DEADLINE_MS more.
 */
async function gracefulShutdown(
  app: RunningApp,
  servers: Server[],
  config: AppConfig,
  logger: Logger,
  signal: string,
): Promise<void> {
  const started = Date.now();
  const graceMs = config.SHUTDOWN_GRACE_SECONDS * 1000;
  app.context.get(LifecycleService).beginShutdown();
  logger.log(`${signal}: shutting down; running jobs get ${config.SHUTDOWN_GRACE_SECONDS} s to finish`);
  const listening = servers.map(
    (server) =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  );
  const { finished, handedBack } = await app.context.get(QueueService).stopWorker(graceMs);
  if (finished + handedBack > 0) {
    logger.log(
      `jobs at shutdown: ${finished} finished, ${handedBack} handed back ${handedBack > 0 ? '(they resume on the next run)' : ''}`.trim(),
    );
  }
  const left = Math.max(0, graceMs - (Date.now() - started));
  if (!(await settleWithin(Promise.all(listening), left))) {
    logger.warn('requests still open after the grace period: closing their connections');
    for (const server of servers) server.closeAllConnections();
  }
  if (!(await settleWithin(app.close(), CLOSE_DEADLINE_MS))) {
    logger.warn(`closing took over ${CLOSE_DEADLINE_MS / 1000} s: exiting anyway`);
    return;
  }
  logger.log(`stopped in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function printDemo(result: DemoSeedResult, url: string): void {
  const reset = `npm run admin -- reset-password --email ${result.email}`;
  let lines: string[];
  if (result.created) {
    lines = [
      'Demo organization created.',
      `  Dashboard: ${url}`,
      `  Email:     ${result.email}`,
      `  Password:  ${result.password ?? '(the DEMO_PASSWORD you set)'}`,
      `  API key:   ${result.apiKey ?? '(the DEMO_API_KEY you set)'}`,
      ...(result.password || result.apiKey
        ? ['  These generated credentials are shown only this once.']
        : []),
      ...(result.password
        ? ['  (Until someone signs in with this password, each start prints a new one instead.)']
        : []),
    ];
  } else if (result.renewed) {
    lines = [
      'Demo organization present; nobody has signed in as its admin yet, so here is a new password.',
      `  Dashboard: ${url}`,
      `  Email:     ${result.email}`,
      `  Password:  ${result.password ?? ''}`,
      '  (The one printed before no longer works.)',
    ];
  } else {
    lines = [
      `Demo organization present. Log in at ${url} as ${result.email}`,
      '  with the password printed when it was first created (or DEMO_PASSWORD).',
      `  Lost it? Stop the server, run \`${reset}\`, start again and open the link it prints.`,
    ];
  }
  // On stderr: stdout carries only the JSON log lines, for a log collector to parse.
  process.stderr.write(`\n${lines.join('\n')}\n\n`);
}
