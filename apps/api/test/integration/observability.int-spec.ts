import { jest } from '@jest/globals';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { ImportRunResponse } from '@hiresignal/shared';
import { IdentityService } from '../../src/modules/identity/identity.service';
import { LifecycleService } from '../../src/modules/observability/lifecycle.service';
import { QUEUE_NAME } from '../../src/modules/queue/queue.types';
import {
  AI_RUBRIC,
  bearer,
  createOrganization,
  must,
  startTestApp,
  usingRealServices,
  waitForImport,
  type TestApp,
} from '../support/test-app';

/*
 * GET /api/metrics, structured logs with request ids, and the health probes, on the running application: after real
 * requests, a JSON import, a CSV file import and analytics cache hits, every promised series is there with the
 * values those requests must have produced. Runs on PGlite with the in-process queue, or PostgreSQL and Redis.
 */

const TOKEN = 'metrics-token-0123456789-abcdefghijklmnop';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The Prometheus text format, sample by sample (comments skipped). */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return samples;
}

const CSV = Buffer.from(
  'application_id,candidate_id,job_id,applied_at\r\n' +
    'obs-1,c-1,req-1,2025-01-02\r\nobs-2,c-2,req-1,2025-01-03\r\nobs-3,c-3,req-2,2025-01-04\r\n',
);

describe('observability: metrics, structured logs with request ids, liveness and readiness', () => {
  let t: TestApp;
  let adminKey: string;
  let analystKey: string;
  const logs: Record<string, unknown>[] = [];
  let stdout: ReturnType<typeof jest.spyOn>;

  const scrape = async () => {
    const res = await t.http.get('/api/metrics').set(bearer(TOKEN));
    expect(res.status).toBe(200);
    return parseExposition(res.text);
  };
  const value = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
    samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
      ?.value;

  beforeAll(async () => {
    // The log lines (JSON, one per line on stdout) are captured here instead of printed.
    stdout = jest.spyOn(process.stdout, 'write').mockImplementation(((chunk: string | Uint8Array) => {
      for (const line of String(chunk).split('\n')) {
        if (line.startsWith('{')) logs.push(JSON.parse(line) as Record<string, unknown>);
      }
      return true;
    }) as typeof process.stdout.write);
    t = await startTestApp({ METRICS_TOKEN: TOKEN, LOG_LEVEL: 'log', IMPORT_BATCH_ROWS: '10' });
    const org = await createOrganization(t);
    adminKey = org.apiKey;
    analystKey = (
      await t.app.context.get(IdentityService).createApiKey(org.organizationId, 'analyst key', 'analyst')
    ).key;
    expect((await t.http.put('/api/v1/rubrics').set(bearer(adminKey)).send(AI_RUBRIC)).status).toBe(200);
  });

  afterAll(async () => {
    await t?.close();
    stdout?.mockRestore();
  });

  describe('who may read /api/metrics', () => {
    it('answers 401 without credentials or with a wrong token, 403 to another role', async () => {
      expect((await t.http.get('/api/metrics')).status).toBe(401);
      expect((await t.http.get('/api/metrics').set(bearer(`${TOKEN}x`))).status).toBe(401);
      const analyst = await t.http.get('/api/metrics').set(bearer(analystKey));
      expect(analyst.status).toBe(403);
      expect(analyst.body.message).toMatch(/Role analyst may not use this route \(allowed: admin\)/);
    });

    it('serves the Prometheus text to an admin and to the METRICS_TOKEN bearer', async () => {
      for (const credentials of [bearer(adminKey), bearer(TOKEN)]) {
        const res = await t.http.get('/api/metrics').set(credentials);
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
        expect(res.text).toContain('# TYPE hiresignal_http_request_duration_seconds histogram');
      }
    });
  });

  describe('after requests, two imports and cache hits', () => {
    let jsonImport: ImportRunResponse;
    let fileImport: ImportRunResponse;
    let samples: Sample[];

    beforeAll(async () => {
      for (let i = 0; i < 2; i++)
        expect((await t.http.get('/api/v1/settings').set(bearer(adminKey))).status).toBe(200);
      expect((await t.http.get('/api/v1/no-such-route').set(bearer(adminKey))).status).toBe(404);
      const posted = await t.http
        .post('/api/v1/records/separations')
        .set(bearer(adminKey))
        .set('X-Request-Id', 'obs-json-import-1')
        .send({
          records: [{ applicationId: 'obs-1', separatedAt: '2025-05-01', separationType: 'involuntary' }],
        });
      expect(posted.status).toBe(202);
      expect(posted.headers['x-request-id']).toBe('obs-json-import-1');
      jsonImport = await waitForImport(t, adminKey, posted.body.importId as string);
      const uploaded = await t.http
        .post('/api/v1/imports')
        .set(bearer(adminKey))
        .set('X-Request-Id', 'obs-file-import-1')
        .field('kind', 'applications')
        .attach('file', CSV, 'applications.csv');
      expect(uploaded.status).toBe(202);
      fileImport = await waitForImport(t, adminKey, uploaded.body.importId as string);
      // The same report twice: a miss, then a hit.
      for (let i = 0; i < 2; i++) {
        expect((await t.http.get('/api/v1/analytics/funnel').set(bearer(adminKey))).status).toBe(200);
      }
      // The run is marked completed inside the job; its duration is observed as the job returns.
      for (let i = 0; i < 50; i++) {
        samples = await scrape();
        if (value(samples, 'hiresignal_job_duration_seconds_count', { job: 'import-file' }) === 1) break;
        await new Promise((r) => setTimeout(r, 100));
      }
    });

    it('ran the imports', () => {
      expect(jsonImport).toMatchObject({ status: 'completed', inserted: 1 });
      expect(fileImport).toMatchObject({ status: 'completed', inserted: 3 });
    });

    it('times requests by method, route pattern and status', () => {
      const count = 'hiresignal_http_request_duration_seconds_count';
      expect(value(samples, count, { method: 'GET', route: '/api/v1/settings', status: '200' })).toBe(2);
      expect(value(samples, count, { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
      expect(value(samples, count, { method: 'POST', route: '/api/v1/records/:kind', status: '202' })).toBe(
        1,
      );
      // Polling the import is one series whatever the id: the pattern, never the URL.
      const polls = value(samples, count, {
        method: 'GET',
        route: '/api/v1/imports/:importId',
        status: '200',
      });
      expect(polls).toBeGreaterThanOrEqual(2);
      const routes = samples.filter((s) => s.name === count).map((s) => s.labels['route']);
      expect(routes.filter((r) => UUID.test(r) || r.includes('/obs') || r.includes('?'))).toEqual([]);
      // Cumulative buckets end at the count, and the latency sum is positive and below the test's own duration.
      const inf = value(samples, 'hiresignal_http_request_duration_seconds_bucket', {
        route: '/api/v1/settings',
        le: '+Inf',
      });
      expect(inf).toBe(2);
      const sum = must(
        value(samples, 'hiresignal_http_request_duration_seconds_sum', { route: '/api/v1/settings' }),
        'settings latency sum',
      );
      expect(sum).toBeGreaterThan(0);
      expect(sum).toBeLessThan(60);
    });

    it('times jobs by job name and outcome, and counts those running', () => {
      for (const job of ['ingest-records', 'import-file']) {
        expect(value(samples, 'hiresignal_job_duration_seconds_count', { job, outcome: 'completed' })).toBe(
          1,
        );
        expect(
          value(samples, 'hiresignal_job_duration_seconds_sum', { job, outcome: 'completed' }),
        ).toBeGreaterThan(0);
        expect(value(samples, 'hiresignal_jobs_running', { job })).toBe(0);
      }
      expect(value(samples, 'hiresignal_job_duration_seconds_count', { outcome: 'failed' })).toBeUndefined();
    });

    it('reports the queue depth by state, nothing left once the imports are done', () => {
      for (const state of ['waiting', 'active', 'delayed']) {
        expect(value(samples, 'hiresignal_queue_jobs', { state })).toBe(0);
      }
    });

    it('counts imported rows by job and kind, and the last import rate', () => {
      expect(
        value(samples, 'hiresignal_import_rows_total', { job: 'ingest-records', kind: 'separations' }),
      ).toBe(1);
      expect(
        value(samples, 'hiresignal_import_rows_total', { job: 'import-file', kind: 'applications' }),
      ).toBe(3);
      for (const [job, rows] of [
        ['ingest-records', 1],
        ['import-file', 3],
      ] as const) {
        const rate = must(value(samples, 'hiresignal_import_rows_per_second', { job }), `${job} rows/s`);
        // The rows over the job's own time, which lies inside the attempt the queue timed, and over a millisecond.
        const jobSeconds = must(
          value(samples, 'hiresignal_job_duration_seconds_sum', { job, outcome: 'completed' }),
          `${job} duration`,
        );
        expect(rate).toBeGreaterThanOrEqual(rows / jobSeconds);
        expect(rate).toBeLessThan(rows * 1000);
      }
    });

    it('counts analytics cache hits and misses, with the hit ratio', () => {
      const requests = 'hiresignal_analytics_cache_requests_total';
      expect(value(samples, requests, { cache: 'funnel', result: 'miss' })).toBe(1);
      expect(value(samples, requests, { cache: 'funnel', result: 'hit' })).toBe(1);
      expect(value(samples, 'hiresignal_analytics_cache_hit_ratio', { cache: 'funnel' })).toBe(0.5);
      // A cache nobody asked has no ratio (not NaN).
      expect(value(samples, 'hiresignal_analytics_cache_hit_ratio', { cache: 'fairness' })).toBeUndefined();
    });

    it('measures the event-loop lag', () => {
      const lag = must(value(samples, 'nodejs_eventloop_lag_seconds'), 'event-loop lag');
      expect(lag).toBeGreaterThanOrEqual(0);
      expect(lag).toBeLessThan(5);
      expect(value(samples, 'nodejs_eventloop_lag_p99_seconds')).toBeGreaterThan(0);
    });

    it('logs each request as JSON with its id, and the job it started with the same id', () => {
      const completed = logs.find(
        (l) => l['requestId'] === 'obs-json-import-1' && l['msg'] === 'request completed',
      );
      expect(completed).toMatchObject({
        level: 'info',
        method: 'POST',
        route: '/api/v1/records/:kind',
        status: 202,
        responseTime: expect.any(Number),
      });
      // Never the credentials or the raw headers.
      expect(JSON.stringify(logs)).not.toContain(adminKey);
      for (const [requestId, job] of [
        ['obs-json-import-1', 'ingest-records'],
        ['obs-file-import-1', 'import-file'],
      ]) {
        const jobLine = logs.find((l) => l['job'] === job && /completed/.test(String(l['msg'])));
        expect(jobLine).toMatchObject({ requestId, jobId: expect.any(String), attempt: 1 });
      }
    });

    it('puts the request id on the job data', async () => {
      // With BullMQ the job is in Redis: its data carries the id. In-process, the job's log lines (above) read it
      // from the same data.
      if (!usingRealServices) return;
      const jobLine = must(
        logs.find((l) => l['job'] === 'import-file' && l['requestId'] === 'obs-file-import-1'),
        'the import-file job log line',
      );
      const connection = new Redis(must(t.config.REDIS_URL, 'REDIS_URL'), { maxRetriesPerRequest: null });
      const queue = new Queue(QUEUE_NAME, { connection, prefix: t.config.QUEUE_PREFIX });
      try {
        const job = must(await queue.getJob(String(jobLine['jobId'])), 'the job in Redis');
        expect(job.data).toMatchObject({ importId: fileImport.importId, requestId: 'obs-file-import-1' });
      } finally {
        await queue.close();
        connection.disconnect();
      }
    });
  });

  describe('request ids', () => {
    it('keeps a short, safe X-Request-Id and replaces anything else with a new one', async () => {
      const kept = await t.http.get('/api/health/live').set('X-Request-Id', 'abc-123_x.y:z');
      expect(kept.headers['x-request-id']).toBe('abc-123_x.y:z');
      for (const bad of ['has space', 'a'.repeat(65), '<script>', '-leading-dash']) {
        const res = await t.http.get('/api/health/live').set('X-Request-Id', bad);
        expect(res.headers['x-request-id']).toMatch(UUID);
      }
      const fresh = await t.http.get('/api/health/live');
      expect(fresh.headers['x-request-id']).toMatch(UUID);
      const again = await t.http.get('/api/health/live');
      expect(again.headers['x-request-id']).not.toBe(fresh.headers['x-request-id']);
    });
  });

  if (usingRealServices) {
    describe('queue depth with BullMQ', () => {
      it('counts a job waiting in Redis, scraped from an API-only process', async () => {
        // An API-only process sharing the database and queue: it enqueues, and no worker of its own takes the job.
        const api = await startTestApp({ METRICS_TOKEN: TOKEN, PROCESS_ROLE: 'api', LOG_LEVEL: 'log' });
        try {
          const org = await createOrganization(api, 'Queue Depth');
          const posted = await api.http
            .post('/api/v1/records/separations')
            .set(bearer(org.apiKey))
            .send({
              records: [{ applicationId: 'q-1', separatedAt: '2025-05-01', separationType: 'involuntary' }],
            });
          expect(posted.status).toBe(202);
          const res = await api.http.get('/api/metrics').set(bearer(TOKEN));
          const samples = parseExposition(res.text);
          expect(value(samples, 'hiresignal_queue_jobs', { state: 'waiting' })).toBe(1);
          expect(value(samples, 'hiresignal_queue_jobs', { state: 'active' })).toBe(0);
        } finally {
          await api.close();
        }
      });
    });
  }

  describe('liveness and readiness', () => {
    it('is alive and ready while the database and the queue answer', async () => {
      const live = await t.http.get('/api/health/live');
      expect(live.status).toBe(200);
      expect(live.body).toEqual({ status: 'alive', uptimeSeconds: expect.any(Number) });
      const ready = await t.http.get('/api/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body).toEqual({ status: 'ready', database: 'up', queue: 'up', shuttingDown: false });
    });

    it('stops being ready once shutdown begins, and stays alive; /api/health keeps its old answer', async () => {
      t.app.context.get(LifecycleService).beginShutdown();
      const ready = await t.http.get('/api/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body).toEqual({ status: 'not_ready', database: 'up', queue: 'up', shuttingDown: true });
      expect((await t.http.get('/api/health/live')).status).toBe(200);
      const health = await t.http.get('/api/health');
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ status: 'ok', database: 'up', queue: 'up' });
    });
  });
});
