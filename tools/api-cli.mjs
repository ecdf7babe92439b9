#!/usr/bin/env node
// Builds the API if needed (Nx cache makes this quick when nothing changed), then runs one of its commands.
// Build output goes to stderr so a command's own stdout (e.g. the JSON of `admin create-org`) stays clean.
import { spawnSync } from 'node:child_process';

const build = spawnSync(
  process.execPath,
  ['node_modules/nx/dist/bin/nx.js', 'build', 'api', '--outputStyle=static'],
  {
    stdio: ['ignore', process.stderr, 'inherit'],
  },
);
if (build.status !== 0) process.exit(build.status ?? 1);
const run = spawnSync(
  process.execPath,
  ['--enable-source-maps', 'dist/apps/api/main.js', ...process.argv.slice(2)],
  {
    stdio: 'inherit',
  },
);
process.exit(run.status ?? 1);
