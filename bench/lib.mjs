// What every benchmark shares: the built API's path, a build step, a free port, medians and percentiles.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

export const MAIN = 'dist/apps/api/main.js';

export const log = (...args) => console.log(...args);
export const ms = (t) => `${t.toFixed(0)} ms`;

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** The nearest-rank percentile (p in 0..1); NaN for no values. */
export const percentile = (xs, p) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))];
};

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** Builds the API (and any other projects named) unless BENCH_SKIP_BUILD=1 and the API's build is there. */
export function build(projects = ['api']) {
  if (process.env.BENCH_SKIP_BUILD === '1' && existsSync(MAIN)) return;
  log(`building ${projects.join(' and ')} (nx run-many -t build) ...`);
  const nx = ['node_modules/nx/dist/bin/nx.js', 'node_modules/nx/bin/nx.js'].find((p) => existsSync(p));
  const r = spawnSync(
    process.execPath,
    [nx, 'run-many', '-t', 'build', '-p', ...projects, '--outputStyle=static'],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (r.status !== 0) throw new Error(`build of ${projects.join(', ')} failed`);
}
