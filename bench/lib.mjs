// What every benchmark shares: the built API's path, a build step, a free port, medians and percentiles.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

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

/**
 * Node's arguments before the script in the worker service's command of docker-compose.yml (a block list under
 * `command:`), so a benchmark starts its worker process exactly as the product does (V8 heap bounds included).
 */
export function workerNodeArgs(file = 'docker-compose.yml') {
  const lines = readFileSync(file, 'utf8').split('\n');
  const service = lines.indexOf('  worker:');
  const end = lines.findIndex((l, i) => i > service && /^ {2}\S/.test(l));
  const block = lines.slice(service + 1, end < 0 ? undefined : end);
  const at = block.indexOf('    command:');
  const command = [];
  for (const line of block.slice(at + 1)) {
    const item = /^ {6}- (.+)$/.exec(line);
    if (!item) break;
    command.push(item[1]);
  }
  const script = command.indexOf(MAIN);
  if (service < 0 || at < 0 || command[0] !== 'node' || script < 0) {
    throw new Error(`${file}: the worker service has no command "node ... ${MAIN}"`);
  }
  return command.slice(1, script);
}

/** Deletes a run's BullMQ keys (everything under `<prefix>:`), so benchmark runs leave nothing in Redis. */
export async function deleteQueueKeys(redisUrl, prefix) {
  const redis = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
