import 'reflect-metadata';
import { join } from 'node:path';
import { runCli } from './cli/cli';
import { registerStagingThreadEntry } from './modules/ingestion/files/staging-thread';

// Built next to this bundle by webpack (apps/api/webpack.config.cjs).
registerStagingThreadEntry(join(__dirname, 'staging-thread.js'));

runCli(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
