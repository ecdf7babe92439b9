import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import request from 'supertest';
import type { ImportRunResponse } from '@hiresignal/shared';
import { createApp, type RunningApp } from '../../src/bootstrap';
import { loadConfig, type AppConfig } from '../../src/config/config';
import { IdentityService } from '../../src/modules/identity/identity.service';

/*
 * Integration tests run the real application in-process against a real database and queue: PostgreSQL and Redis
 * when DATABASE_URL and REDIS_URL are set (CI), else the embedded defaults (in-memory PGlite, in-process queue).
 * Each suite gets a database of its own and a queue prefix of its own, created here and dropped at the end.
 */

export interface TestApp {
  app: RunningApp;
  config: AppConfig;
  http: ReturnType<typeof request>;
  close(): Promise<void>;
}

export const usingRealServices = Boolean(process.env['DATABASE_URL'] && process.env['REDIS_URL']);

export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const suffix = randomBytes(6).toString('hex');
  const database = process.env['DATABASE_URL']
    ? await createDatabase(process.env['DATABASE_URL'], `hs_test_${suffix}`)
    : null;
  const config = loadConfig({
    SEED_DEMO: 'false',
    LOG_LEVEL: 'error',
    QUEUE_PREFIX: `hs-test-${suffix}`,
    WEB_DIST_DIR: 'tmp/no-web-build',
    ...(database ? { DATABASE_URL: database.url } : {}),
    ...(process.env['REDIS_URL'] ? { REDIS_URL: process.env['REDIS_URL'] } : {}),
    ...env,
  });
  // Errors only, unless the suite asks for a LOG_LEVEL (to read the log lines it captures).
  const app = await createApp(config, {
    embeddedDataDir: null,
    logger: env['LOG_LEVEL'] ? undefined : ['error'],
  });
  if (!app.http) throw new Error('test app has no HTTP server');
  const server = app.http.getHttpServer();
  return {
    app,
    config,
    http: request(server),
    async close() {
      await app.close();
      await database?.drop();
      if (config.REDIS_URL) await deleteQueueKeys(config.REDIS_URL, config.QUEUE_PREFIX);
    },
  };
}

async function createDatabase(adminUrl: string, name: string) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

async function deleteQueueKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  redis.disconnect();
}

export async function createOrganization(t: TestApp, name = 'Acme Hiring') {
  return t.app.context
    .get(IdentityService)
    .createOrganization({ name, adminPassword: 'correct horse battery' });
}

/** The value, or a failed test naming what was missing (instead of a non-null assertion). */
export function must<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`expected ${what}`);
  return value;
}

export function bearer(apiKey: string) {
  return { Authorization: `Bearer ${apiKey}` };
}

/** Polls an import until it has finished; fails the test if it does not within the timeout. */
export async function waitForImport(t: TestApp, apiKey: string, importId: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await t.http.get(`/api/v1/imports/${importId}`).set(bearer(apiKey));
    if (res.status !== 200)
      throw new Error(`GET import ${importId}: ${res.status} ${JSON.stringify(res.body)}`);
    const run = res.body as ImportRunResponse;
    if (run.status === 'completed' || run.status === 'failed') return run;
    if (Date.now() > deadline)
      throw new Error(`import ${importId} still ${run.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Submits records and waits for the import to finish. */
export async function ingest(t: TestApp, apiKey: string, kind: string, records: unknown[]) {
  const res = await t.http.post(`/api/v1/records/${kind}`).set(bearer(apiKey)).send({ records });
  if (res.status !== 202) throw new Error(`POST ${kind}: ${res.status} ${JSON.stringify(res.body)}`);
  return waitForImport(t, apiKey, (res.body as { importId: string }).importId);
}

export const AI_RUBRIC = {
  name: 'AI Engineer',
  version: 1,
  scaleMin: 1,
  scaleMax: 4,
  isDefault: true,
  criteria: [
    { key: 'fundamentals', label: 'Fundamentals' },
    { key: 'deployment_at_scale', label: 'Deployment at scale' },
    { key: 'communication', label: 'Communication' },
  ],
};
