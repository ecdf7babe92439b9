import { Logger } from '@nestjs/common';
import { createApp } from '../bootstrap';
import type { AppConfig } from '../config/config';
import { DemoSeeder, type DemoSeedResult } from '../modules/demo/demo-seeder.service';

/** Runs the API, the worker, or both, until SIGINT or SIGTERM. */
export async function serve(config: AppConfig): Promise<void> {
  const logger = new Logger('HireSignal');
  const app = await createApp(config);
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.log(`${signal}: shutting down`);
    app
      .close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error(error);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  if (!app.http) {
    logger.log('worker running');
    return;
  }
  const seeded = config.SEED_DEMO ? await app.http.get(DemoSeeder).seedIfEmpty() : null;
  await app.http.listen(config.PORT, config.HOST);
  const address = app.http.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${port}`;
  if (seeded) printDemo(seeded, url);
  logger.log(`listening on ${url} (dashboard at ${url}/, API at ${url}/api)`);
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
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
}
