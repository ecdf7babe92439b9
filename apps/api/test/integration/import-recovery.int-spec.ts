import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import request from 'supertest';
import { createApp, type RunningApp } from '../../src/bootstrap';
import { loadConfig, type AppConfig } from '../../src/config/config';
import { IdentityService } from '../../src/modules/identity/identity.service';
import {
  ImportRecoveryService,
  recoveredJobId,
  SWEEP_LOCK_KEY,
} from '../../src/modules/ingestion/files/import-recovery.service';
import { QUEUE_NAME } from '../../src/modules/queue/queue.types';
import {
  bearer,
  createOrganization,
  startTestApp,
  usingRealServices,
  waitForImport,
  type TestApp,
} from '../support/test-app';

/*
 * Recovery of file imports that nothing would finish otherwise. With PostgreSQL and Redis (DATABASE_URL and
 * REDIS_URL set): the periodic sweeper of worker processes, against runs left as a dead API process leaves them.
 * Embedded (the default): the boot-time recovery of the in-process queue, across a restart on one data directory.
 */
const JOBS_JSON = readFileSync(resolve(process.cwd(), 'test/fixtures/ats/greenhouse/jobs.json'));
const STALE = 600;

if (usingRealServices) {
  describe('import sweeper (BullMQ): stalled uploads fail, committed runs whose job was lost run again', () => {
    // The API process: it receives uploads and enqueues, but runs no job, so the queue's content stays put.
    let api: TestApp;
    let key: string;
    let organizationId: string;
    let inspect: { queue: Queue; connection: Redis };
    const workers: RunningApp[] = [];

    const query = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
      api.app.db.dataSource.query(sql, params) as Promise<T[]>;
    const recovery = (app: RunningApp) => app.context.get(ImportRecoveryService);
    const age = (id: string, seconds: number) =>
      query(`UPDATE import_runs SET last_activity_at = now() - make_interval(secs => $2) WHERE id = $1`, [
        id,
        seconds,
      ]);

    async function startWorker(env: Record<string, string> = {}): Promise<RunningApp> {
      const config: AppConfig = loadConfig({
        LOG_LEVEL: 'error',
        SEED_DEMO: 'false',
        WEB_DIST_DIR: 'tmp/no-web-build',
        DATABASE_URL: api.config.DATABASE_URL,
        REDIS_URL: api.config.REDIS_URL,
        QUEUE_PREFIX: api.config.QUEUE_PREFIX,
        PROCESS_ROLE: 'worker',
        ...env,
      });
      const worker = await createApp(config, { embeddedDataDir: null, logger: ['error'] });
      workers.push(worker);
      return worker;
    }

    async function stopWorkers() {
      for (const w of workers.splice(0)) await w.close();
    }

    /** A file upload as the API stores and commits it, then its job: what is left when the API dies in between. */
    async function uploadThenLoseJob(body: Buffer): Promise<string> {
      const res = await api.http
        .post('/api/v1/imports')
        .set(bearer(key))
        .field('kind', 'greenhouse')
        .attach('file', body, 'jobs.json');
      expect(res.status).toBe(202);
      const importId = (res.body as { importId: string }).importId;
      const jobs = await pendingJobsFor(importId);
      expect(jobs).toHaveLength(1); // the API's own job, import-<hash>-<n>
      expect(jobs[0]).toMatch(/^import-[0-9a-f]{40}-\d+$/);
      await inspect.queue.remove(jobs[0]);
      expect(await pendingJobsFor(importId)).toEqual([]);
      return importId;
    }

    async function pendingJobsFor(importId: string): Promise<string[]> {
      const jobs = await inspect.queue.getJobs(['waiting', 'active', 'delayed', 'prioritized']);
      return jobs
        .filter((j) => (j.data as { importId: string }).importId === importId)
        .map((j) => j.id as string);
    }

    beforeAll(async () => {
      api = await startTestApp({ PROCESS_ROLE: 'api' });
      const org = await createOrganization(api);
      key = org.apiKey;
      organizationId = org.organizationId;
      const connection = new Redis(api.config.REDIS_URL as string, { maxRetriesPerRequest: null });
      inspect = { connection, queue: new Queue(QUEUE_NAME, { connection, prefix: api.config.QUEUE_PREFIX }) };
    });

    afterEach(async () => {
      await stopWorkers();
    });

    afterAll(async () => {
      await inspect?.queue.close();
      inspect?.connection.disconnect();
      await api?.close();
    });

    it('re-enqueues a committed run whose job never reached the queue, once, and a worker then runs it', async () => {
      const importId = await uploadThenLoseJob(JOBS_JSON);
      const sweeper = recovery(api.app);

      // Recently committed: not stale yet, left alone.
      expect(await sweeper.sweep()).toEqual({ swept: true, failed: [], requeued: [] });
      await age(importId, STALE + 60);
      expect(await sweeper.sweep()).toEqual({ swept: true, failed: [], requeued: [importId] });
      expect(await pendingJobsFor(importId)).toEqual([recoveredJobId(importId)]);
      // Its job is in the queue now: a later sweep, even once stale again, adds nothing.
      await age(importId, STALE + 60);
      expect(await sweeper.sweep()).toEqual({ swept: true, failed: [], requeued: [] });
      expect(await pendingJobsFor(importId)).toEqual([recoveredJobId(importId)]);

      await startWorker();
      const run = await waitForImport(api, key, importId);
      expect(run).toMatchObject({ status: 'completed', inserted: 1, attempts: 1 });
      expect(
        await query(`SELECT external_id, title FROM jobs WHERE organization_id = $1`, [organizationId]),
      ).toEqual([{ external_id: '4001', title: 'AI Engineer' }]);
    });

    it('leaves a queued run alone while its original job is still waiting in the queue', async () => {
      // Different bytes, same objects: a new content hash, so a new run.
      const res = await api.http
        .post('/api/v1/imports')
        .set(bearer(key))
        .field('kind', 'greenhouse')
        .attach('file', Buffer.concat([JOBS_JSON, Buffer.from('\n\n')]), 'jobs.json');
      const importId = (res.body as { importId: string }).importId;
      await age(importId, STALE + 60);
      expect(await recovery(api.app).sweep()).toEqual({ swept: true, failed: [], requeued: [] });
      const jobs = await pendingJobsFor(importId);
      expect(jobs).toHaveLength(1);
      expect(jobs[0]).not.toBe(recoveredJobId(importId));
      await startWorker();
      expect(await waitForImport(api, key, importId)).toMatchObject({ status: 'completed', unchanged: 1 });
    });

    it('fails an upload whose receiving process stopped, and ends an upload that resumes after being swept', async () => {
      const server = (api.app.http as NonNullable<RunningApp['http']>).getHttpServer();
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      const { port } = server.address() as AddressInfo;
      const boundary = 'sweeper-test-boundary';
      const req = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/v1/imports',
        headers: { ...bearer(key), 'content-type': `multipart/form-data; boundary=${boundary}` },
      });
      const answered = new Promise<{ status: number; body: string }>((done, fail) => {
        req.on('response', (res: IncomingMessage) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => done({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', fail);
      });
      req.write(
        `--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\ngreenhouse\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.json"\r\n` +
          'Content-Type: application/json\r\n\r\n[',
      );
      req.write(Buffer.alloc(1536 * 1024, ' ')); // more than one stored chunk of whitespace
      let run: { id: string; bytes_processed: string } | undefined;
      for (let i = 0; i < 100 && !run; i++) {
        await new Promise((r) => setTimeout(r, 100));
        [run] = await query<{ id: string; bytes_processed: string }>(
          `SELECT id, bytes_processed FROM import_runs WHERE phase = 'receiving' AND status = 'queued'
             AND bytes_processed > 0`,
        );
      }
      expect(run).toBeDefined();
      const stalled = (run as { id: string }).id;

      // Another upload that is still receiving (recent activity) must not be touched.
      const [{ id: fresh }] = await query<{ id: string }>(
        `INSERT INTO import_runs (organization_id, kind, source, status, phase, content_hash, on_error)
         VALUES ($1, 'greenhouse', 'greenhouse', 'queued', 'receiving', 'receiving:fresh', 'reject') RETURNING id`,
        [organizationId],
      );

      await age(stalled, STALE + 1);
      const result = await recovery(api.app).sweep();
      expect(result).toEqual({ swept: true, failed: [stalled], requeued: [] });
      const view = await api.http.get(`/api/v1/imports/${stalled}`).set(bearer(key));
      expect(view.body).toMatchObject({
        status: 'failed',
        failureReason: `the upload stopped: no data arrived for ${STALE} s (the API process receiving it stopped, or the client went away)`,
      });
      expect(await query(`SELECT status, phase FROM import_runs WHERE id = $1`, [fresh])).toEqual([
        { status: 'queued', phase: 'receiving' },
      ]);

      // The client was only slow: its next chunk finds the run failed, and the upload ends with 408.
      req.write(Buffer.alloc(1536 * 1024, ' '));
      req.end(`{"id": 1}]\r\n--${boundary}--\r\n`);
      const answer = await Promise.race([
        answered,
        new Promise<never>((_, fail) =>
          setTimeout(() => {
            req.destroy();
            fail(new Error('no answer to the resumed upload within 30 s'));
          }, 30_000).unref(),
        ),
      ]);
      expect(answer.status).toBe(408);
      expect(answer.body).toContain(`The upload stalled for longer than ${STALE} s and was abandoned`);
      expect(await query(`SELECT status, phase FROM import_runs WHERE id = $1`, [stalled])).toEqual([
        { status: 'failed', phase: 'done' },
      ]);
      await query(`DELETE FROM import_runs WHERE id = $1`, [fresh]);
    });

    it('lets one of several workers sweep at a time, and a run is enqueued once', async () => {
      const importId = await uploadThenLoseJob(Buffer.concat([JOBS_JSON, Buffer.from(' ')]));
      const [{ id: receiving }] = await query<{ id: string }>(
        `INSERT INTO import_runs (organization_id, kind, source, status, phase, content_hash, on_error)
         VALUES ($1, 'greenhouse', 'greenhouse', 'queued', 'receiving', 'receiving:dead', 'reject') RETURNING id`,
        [organizationId],
      );
      // Two workers whose timer does not fire during the test; their sweep at boot finds nothing stale yet.
      const a = await startWorker({ IMPORT_SWEEP_INTERVAL_SECONDS: '3600' });
      const b = await startWorker({ IMPORT_SWEEP_INTERVAL_SECONDS: '3600' });
      await new Promise((r) => setTimeout(r, 1000));
      await age(importId, STALE + 60);
      await age(receiving, STALE + 60);

      // While another process sweeps (holds the lock), a worker's sweep does nothing.
      const holder = api.app.db.dataSource.createQueryRunner();
      await holder.startTransaction();
      await holder.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [SWEEP_LOCK_KEY]);
      expect(await recovery(a).sweep()).toEqual({ swept: false, failed: [], requeued: [] });
      await holder.commitTransaction();
      await holder.release();
      expect(await query(`SELECT status FROM import_runs WHERE id = $1`, [receiving])).toEqual([
        { status: 'queued' },
      ]);

      const results = await Promise.all([a, b, a, b].map((w) => recovery(w).sweep()));
      expect(results.flatMap((r) => r.failed)).toEqual([receiving]);
      expect(results.flatMap((r) => r.requeued)).toEqual([importId]);
      const run = await waitForImport(api, key, importId);
      expect(run).toMatchObject({ status: 'completed', attempts: 1, unchanged: 1 });
      const jobs = await inspect.queue.getJobs(['completed', 'waiting', 'active', 'delayed', 'failed']);
      expect(
        jobs.filter((j) => (j.data as { importId: string }).importId === importId).map((j) => j.id),
      ).toEqual([recoveredJobId(importId)]);
    });

    it('sweeps on its own every IMPORT_SWEEP_INTERVAL_SECONDS in worker processes', async () => {
      const importId = await uploadThenLoseJob(Buffer.concat([JOBS_JSON, Buffer.from('  ')]));
      await startWorker({ IMPORT_SWEEP_INTERVAL_SECONDS: '1', IMPORT_STALE_AFTER_SECONDS: '2' });
      const run = await waitForImport(api, key, importId, 20_000);
      expect(run).toMatchObject({ status: 'completed', unchanged: 1 });
      // Run by the job the sweeper enqueued: the API's own job was lost.
      expect(await (await inspect.queue.getJob(recoveredJobId(importId)))?.getState()).toBe('completed');
    });
  });
} else {
  describe('embedded recovery at boot (in-process queue)', () => {
    let dir: string;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'hiresignal-recovery-'));
    });

    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    const config = loadConfig({ LOG_LEVEL: 'error', SEED_DEMO: 'false', WEB_DIST_DIR: 'tmp/no-web-build' });

    it('fails an upload cut off by the stop and resumes a committed import after a restart', async () => {
      const first = await createApp(config, { embeddedDataDir: dir, logger: ['error'] });
      let organizationId: string;
      let apiKey: string;
      let cut: string;
      let committed: string;
      try {
        ({ organizationId, apiKey } = await first.context
          .get(IdentityService)
          .createOrganization({ name: 'Acme', adminPassword: 'correct horse battery' }));
        const q = (sql: string, params: unknown[]) =>
          first.db.dataSource.query(sql, params) as Promise<{ id: string }[]>;
        // As a stop leaves them: an upload half received, and a run committed whose in-memory job was lost.
        [{ id: cut }] = await q(
          `INSERT INTO import_runs (organization_id, kind, source, status, phase, content_hash, on_error)
           VALUES ($1, 'greenhouse', 'greenhouse', 'queued', 'receiving', 'receiving:x', 'reject') RETURNING id`,
          [organizationId],
        );
        [{ id: committed }] = await q(
          `INSERT INTO import_runs (organization_id, kind, source, status, phase, content_hash, on_error, file_size)
           VALUES ($1, 'greenhouse', 'greenhouse', 'queued', 'queued', $2, 'reject', $3) RETURNING id`,
          [organizationId, 'a'.repeat(64), JOBS_JSON.length],
        );
        await q('INSERT INTO import_chunks (import_id, seq, data) VALUES ($1, 0, $2)', [
          committed,
          JOBS_JSON,
        ]);
      } finally {
        await first.close();
      }

      const second = await createApp(config, { embeddedDataDir: dir, logger: ['error'] });
      try {
        const t = {
          app: second,
          http: request((second.http as NonNullable<RunningApp['http']>).getHttpServer()),
        };
        const run = await waitForImport(t as unknown as TestApp, apiKey, committed);
        expect(run).toMatchObject({ status: 'completed', inserted: 1 });
        const res = await t.http.get(`/api/v1/imports/${cut}`).set(bearer(apiKey));
        expect(res.body).toMatchObject({
          status: 'failed',
          failureReason: 'the upload was interrupted (the server stopped while receiving the file)',
        });
        expect(
          await second.db.dataSource.query(`SELECT external_id FROM jobs WHERE organization_id = $1`, [
            organizationId,
          ]),
        ).toEqual([{ external_id: '4001' }]);
      } finally {
        await second.close();
      }
    });
  });
}
