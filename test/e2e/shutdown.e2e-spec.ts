import { hostname } from 'node:os';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { applicationsCsv, createOrg, finished, upload, waitFor } from '../support/imports';
import { createStorage, freePort, type ApiProcess, type Storage, processGroup } from '../support/processes';

/*
 * Graceful shutdown with the built product as real processes: SIGTERM lands in the middle of a file import. Within
 * the grace period (SHUTDOWN_GRACE_SECONDS) the import finishes before the process exits; past it, a BullMQ worker
 * hands the job back to the waiting list (another worker takes it at once, not after the stalled-job check) and an
 * embedded process leaves the run for its next start, which resumes it. INGEST_BATCH_DELAY_MS slows each committed
 * batch of 100 rows so the signal lands mid-import.
 */

const ROWS = 1500;
const SLOW = { IMPORT_BATCH_ROWS: '100', INGEST_BATCH_DELAY_MS: '250' };

describe('graceful shutdown: SIGTERM in the middle of a job', () => {
  let storage: Storage;
  const processes = processGroup(() => ({ SEED_DEMO: 'false', ...storage.env }));
  const start = processes.start;

  beforeAll(async () => {
    storage = await createStorage();
  });

  afterAll(async () => {
    await processes.stopAll('SIGKILL');
    await storage?.dispose();
  });

  const workerId = (p: ApiProcess) => `${hostname()}:${p.child.pid}`;
  /** Sends SIGTERM and resolves with the exit code and how long the process took to exit. */
  const terminate = async (p: ApiProcess) => {
    const sent = Date.now();
    const code = await p.stop('SIGTERM');
    return { code, ms: Date.now() - sent, exitedAt: Date.now() };
  };
  const midImport = (r: { progress: { phase: string }; processed: number }) =>
    r.progress.phase === 'writing' && r.processed >= 300;

  if (process.env['REDIS_URL'] && process.env['DATABASE_URL']) {
    const workerEnv = { PROCESS_ROLE: 'worker', WORKER_CONCURRENCY: '1' };
    let api: ApiProcess;

    beforeAll(async () => {
      api = await start({ PROCESS_ROLE: 'api' });
    });

    it('lets the running import finish within the grace period, then exits 0', async () => {
      const key = await createOrg(storage.env, 'Finish On Shutdown');
      const token = 'e2e-metrics-token-0123456789abcdefghij';
      const port = await freePort();
      const worker = await start(
        {
          ...workerEnv,
          ...SLOW,
          SHUTDOWN_GRACE_SECONDS: '120',
          METRICS_PORT: String(port),
          METRICS_TOKEN: token,
        },
        /(worker running)/,
      );
      const id = await upload(api, key, 'applications', applicationsCsv(ROWS, 'fin'));
      const mid = await waitFor(api, key, id, midImport);
      expect(mid.processed).toBeLessThan(ROWS);
      // The worker's own listener (METRICS_PORT): its probes, and its metrics with the running job, token only.
      const base = `http://127.0.0.1:${port}`;
      expect((await fetch(`${base}/api/health/live`)).status).toBe(200);
      expect(await (await fetch(`${base}/api/health/ready`)).json()).toMatchObject({ status: 'ready' });
      expect((await fetch(`${base}/api/metrics`)).status).toBe(401);
      const scraped = await fetch(`${base}/api/metrics`, { headers: { Authorization: `Bearer ${token}` } });
      expect(scraped.status).toBe(200);
      const text = await scraped.text();
      expect(text).toContain('hiresignal_jobs_running{job="import-file"} 1');
      expect(text).toMatch(/hiresignal_import_rows_total\{job="import-file",kind="applications"\} [1-9]\d*/);
      expect(text).toContain('nodejs_eventloop_lag_seconds');
      const { code, exitedAt } = await terminate(worker);
      expect(code).toBe(0);
      // No other worker exists: the one that got SIGTERM finished the import, in its first attempt, then exited.
      const done = await waitFor(api, key, id, finished, 10_000);
      expect(done).toMatchObject({ status: 'completed', processed: ROWS, inserted: ROWS, attempts: 1 });
      expect(done.worker).toBe(workerId(worker));
      expect(Date.parse(String(done.finishedAt))).toBeLessThanOrEqual(exitedAt);
      expect(worker.output()).toContain('SIGTERM: shutting down');
      expect(worker.output()).toContain('jobs at shutdown: 1 finished, 0 handed back');
    });

    it('hands a job still running at the end of the grace period back to the queue, and another worker finishes it', async () => {
      const key = await createOrg(storage.env, 'Hand Back');
      const first = await start(
        { ...workerEnv, ...SLOW, INGEST_BATCH_DELAY_MS: '400', SHUTDOWN_GRACE_SECONDS: '1' },
        /(worker running)/,
      );
      const id = await upload(api, key, 'applications', applicationsCsv(ROWS, 'hb'));
      await waitFor(api, key, id, midImport);
      const { code, ms } = await terminate(first);
      expect(code).toBe(0);
      // One second of grace, up to two for the handler to stop between batches, then the pools close.
      expect(ms).toBeLessThan(15_000);
      expect(first.output()).toMatch(/import-file \S+ handed back to the queue at shutdown/);
      expect(first.output()).toContain('jobs at shutdown: 0 finished, 1 handed back');

      // Not failed and not finished: the run waits in BullMQ's waiting list, its lock released.
      const left = await waitFor(api, key, id, () => true);
      expect(left.status).toBe('running');
      expect(left.processed).toBeLessThan(ROWS);
      const db = new Client({ connectionString: storage.env['DATABASE_URL'] });
      await db.connect();
      const [{ job_id: jobId }] = (
        await db.query<{ job_id: string }>('SELECT job_id FROM import_runs WHERE id = $1', [id])
      ).rows;
      await db.end();
      const connection = new Redis(storage.env['REDIS_URL'], { maxRetriesPerRequest: null });
      // The API's one queue (QUEUE_NAME in apps/api/src/modules/queue/queue.types.ts).
      const queue = new Queue('hiresignal', { connection, prefix: storage.env['QUEUE_PREFIX'] });
      try {
        const job = await queue.getJob(jobId);
        expect(await job?.getState()).toBe('waiting');
        expect(job?.attemptsMade).toBe(0);
      } finally {
        await queue.close();
        connection.disconnect();
      }

      // The second worker runs with the default IMPORT_BATCH_ROWS (20,000, not 100): the run keeps the windows its
      // writing began with, so the windows marked done still mean the same rows and none is skipped.
      const second = await start(workerEnv, /(worker running)/);
      const done = await waitFor(api, key, id, finished, 60_000);
      expect(done).toMatchObject({ status: 'completed', processed: ROWS, inserted: ROWS, rejected: 0 });
      expect(done.worker).toBe(workerId(second));
      await second.stop();
    });
  } else {
    it('lets the embedded process finish the running import within the grace period before it exits', async () => {
      const key = await createOrg(storage.env, 'Embedded Finish');
      const first = await start({ ...SLOW, SHUTDOWN_GRACE_SECONDS: '120' });
      const id = await upload(first, key, 'applications', applicationsCsv(ROWS, 'efin'));
      const mid = await waitFor(first, key, id, midImport);
      expect(mid.processed).toBeLessThan(ROWS);
      const { code } = await terminate(first);
      expect(code).toBe(0);
      expect(first.output()).toContain('jobs at shutdown: 1 finished, 0 handed back');
      const second = await start({ IMPORT_BATCH_ROWS: SLOW.IMPORT_BATCH_ROWS });
      const done = await waitFor(second, key, id, () => true);
      expect(done).toMatchObject({ status: 'completed', processed: ROWS, inserted: ROWS });
      expect(done.worker).toBe(workerId(first));
      expect(second.output()).not.toContain('unfinished file import');
      await second.stop();
    });

    it('leaves an import still running at the end of the grace period to the next start, which resumes it', async () => {
      const key = await createOrg(storage.env, 'Embedded Resume');
      const first = await start({ ...SLOW, INGEST_BATCH_DELAY_MS: '400', SHUTDOWN_GRACE_SECONDS: '1' });
      const id = await upload(first, key, 'applications', applicationsCsv(ROWS, 'eres'));
      const mid = await waitFor(first, key, id, midImport);
      const { code, ms } = await terminate(first);
      expect(code).toBe(0);
      expect(ms).toBeLessThan(15_000);
      expect(first.output()).toContain('jobs at shutdown: 0 finished, 1 handed back');
      expect(first.output()).toMatch(/import-file \S+ attempt 1 interrupted/);
      // Restarted with the default IMPORT_BATCH_ROWS: the resume still cuts the run's own 100-row windows.
      const second = await start({});
      expect(second.output()).toContain('resumed 1 unfinished file import(s)');
      const done = await waitFor(second, key, id, finished);
      expect(done).toMatchObject({ status: 'completed', processed: ROWS, inserted: ROWS, rejected: 0 });
      expect(mid.processed).toBeLessThan(ROWS);
      expect(done.worker).toBe(workerId(second));
      await second.stop();
    });
  }
});
