import 'reflect-metadata';
import { runCli } from './cli/cli';

runCli(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
