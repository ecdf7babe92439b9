import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { Client } from 'pg';

export const ROOT = resolve(__dirname, '..', '..');
export const API_MAIN = join(ROOT, 'dist/apps/api/main.js');

/** Where a suite keeps its data: a database of its own on PostgreSQL (DATABASE_URL set), else a PGlite directory. */
export interface Storage {
  env: Record<string, string>;
  dispose(): Promise<void>;
}

export async function createStorage(): Promise<Storage> {
  const suffix = randomBytes(6).toString('hex');
  const redisUrl = process.env['REDIS_URL'];
  const prefix = `hs-e2e-${suffix}`;
  const queueEnv: Record<string, string> = redisUrl ? { REDIS_URL: redisUrl, QUEUE_PREFIX: prefix } : {};
  const adminUrl = process.env['DATABASE_URL'];
  if (adminUrl) {
    const name = `hs_e2e_${suffix}`;
    await withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return {
      env: { DATABASE_URL: url.toString(), ...queueEnv },
      async dispose() {
        await withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
        if (redisUrl) await deleteKeys(redisUrl, prefix);
      },
    };
  }
  const dir = await mkdtemp(join(tmpdir(), 'hs-e2e-'));
  return {
    env: { PGLITE_DATA_DIR: dir, ...queueEnv },
    async dispose() {
      await rm(dir, { recursive: true, force: true });
      if (redisUrl) await deleteKeys(redisUrl, prefix);
    },
  };
}

async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function deleteKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
}

export interface ApiProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

function assertBuilt(): void {
  if (!existsSync(API_MAIN)) throw new Error(`${API_MAIN} is missing: build first (npm test does)`);
}

/** Runs the built API as its own process and resolves once it listens (or, for a worker, once it runs). */
export async function startApi(
  env: Record<string, string>,
  waitFor = /listening on (http:\/\/\S+)/,
): Promise<ApiProcess> {
  assertBuilt();
  const child = spawn(process.execPath, [API_MAIN], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOST: '127.0.0.1', PORT: '0', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`API did not start in 180 s:\n${log}`)), 180_000);
    const check = () => {
      const m = waitFor.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] ?? '');
      }
    };
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`API exited with ${code} before it was ready:\n${log}`));
    });
  });
  return {
    url,
    child,
    output: () => log,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/**
 * The processes one suite starts: `start` runs the built product with `baseEnv()` (read at each start, so it can
 * name a storage made in beforeAll) under `env`, and `stopAll` ends every one still running, for afterAll.
 */
export function processGroup(baseEnv: () => Record<string, string>) {
  const running: ApiProcess[] = [];
  return {
    async start(env: Record<string, string>, waitFor?: RegExp): Promise<ApiProcess> {
      const p = await startApi({ ...baseEnv(), ...env }, waitFor);
      running.push(p);
      return p;
    },
    async stopAll(signal?: NodeJS.Signals): Promise<void> {
      for (const p of running) await p.stop(signal);
    },
  };
}

/** Runs one CLI command of the built API to completion. */
export function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  assertBuilt();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [API_MAIN, ...args], {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A TCP port free on 127.0.0.1 right now (for a listener the process opens besides PORT=0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
