import { hostname } from 'node:os';
import { Client } from 'pg';
import { applicationsCsv, createOrg, finished, orgOfKey, upload, waitFor } from '../support/imports';
import { createStorage, type ApiProcess, type Storage, processGroup } from '../support/processes';

/*
 * Faults of file imports with the built product as real processes. With PostgreSQL and Redis (CI): a worker killed
 * with SIGKILL mid-import is recovered by a second worker and the rows equal one clean import; a transient database
 * error (the worker's connection terminated) is retried; a job that keeps failing ends failed with its reason; two
 * workers share the imports, and two overlapping imports of the same rows converge. Without them: the single
 * embedded process killed mid-import resumes the import when restarted, and a rejected file is reported.
 * The test hook INGEST_BATCH_DELAY_MS slows each committed batch so the kill lands mid-import.
 */

const ROWS = 3000;

describe('file imports as real processes: crashes, retries, failures, scale-out', () => {
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

  if (process.env['REDIS_URL'] && process.env['DATABASE_URL']) {
    const workerEnv = { PROCESS_ROLE: 'worker', IMPORT_BATCH_ROWS: '100', WORKER_CONCURRENCY: '1' };
    const query = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => {
      const c = new Client({ connectionString: storage.env['DATABASE_URL'] });
      await c.connect();
      try {
        return (await c.query(sql, params)).rows as T[];
      } finally {
        await c.end();
      }
    };
    const rowsOf = (key: string) =>
      query<Record<string, unknown>>(
        `SELECT external_id, candidate_external_id, job_external_id, source, applied_at, status, hired_at
         FROM applications WHERE organization_id = $1 ORDER BY external_id`,
        [orgOfKey.get(key)],
      );
    let api: ApiProcess;
    let cleanKey: string;

    beforeAll(async () => {
      api = await start({ PROCESS_ROLE: 'api' });
      cleanKey = await createOrg(storage.env, 'Clean Import');
    });

    it('recovers an import whose worker was killed with SIGKILL mid-import, on a second worker', async () => {
      const key = await createOrg(storage.env, 'Crash Test');
      const file = applicationsCsv(ROWS);
      const slow = await start({ ...workerEnv, INGEST_BATCH_DELAY_MS: '200' }, /(worker running)/);
      const id = await upload(api, key, 'applications', file);
      const mid = await waitFor(api, key, id, (r) => r.progress.phase === 'writing' && r.processed >= 500);
      expect(mid.processed).toBeLessThan(ROWS);
      expect(await slow.stop('SIGKILL')).toBeNull();
      const rescuer = await start({ ...workerEnv }, /(worker running)/);
      const done = await waitFor(api, key, id, finished, 200_000).catch(async (error: Error) => {
        console.log(error.message, rescuer.output().slice(-4000));
        throw error;
      });
      expect(done).toMatchObject({ status: 'completed', processed: ROWS, inserted: ROWS, rejected: 0 });
      expect(done.worker).not.toBe(mid.worker);
      await rescuer.stop();

      // The same file imported cleanly elsewhere gives the same rows.
      const worker = await start(workerEnv, /(worker running)/);
      const clean = await waitFor(api, cleanKey, await upload(api, cleanKey, 'applications', file), finished);
      expect(clean).toMatchObject({ status: 'completed', inserted: ROWS });
      await worker.stop();
      expect(await rowsOf(key)).toEqual(await rowsOf(cleanKey));
    });

    it('retries a transient database error (the worker connection terminated) with backoff and resumes', async () => {
      const key = await createOrg(storage.env, 'Transient');
      const orgId = orgOfKey.get(key);
      const worker = await start({ ...workerEnv, INGEST_BATCH_DELAY_MS: '20' }, /(worker running)/);
      // Lock the organization's row against updates (foreign-key checks still pass), so a write batch, which bumps
      // the organization's data version, waits on it; then kill that backend.
      const holder = new Client({ connectionString: storage.env['DATABASE_URL'] });
      await holder.connect();
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM organizations WHERE id = $1 FOR NO KEY UPDATE', [orgId]);
      const id = await upload(api, key, 'applications', applicationsCsv(1000, 'tr'));
      let victims: { pid: number }[] = [];
      for (let i = 0; i < 300 && victims.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        // Another session: pg_stat_activity is a snapshot taken once per transaction.
        victims = await query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
             AND query LIKE 'UPDATE "organizations"%'`,
        );
      }
      expect(victims.length).toBeGreaterThan(0);
      await holder.query('SELECT pg_terminate_backend($1)', [victims[0].pid]);
      await holder.query('COMMIT');
      await holder.end();
      const done = await waitFor(api, key, id, finished);
      expect(done).toMatchObject({ status: 'completed', inserted: 1000, failureReason: null });
      expect(done.attempts).toBeGreaterThanOrEqual(2);
      expect(worker.output()).toMatch(/import-file .* attempt 1\/5 failed: terminating connection/);
      await worker.stop();
    });

    it('ends a job that keeps failing as failed, with its reason in the API', async () => {
      const key = await createOrg(storage.env, 'Poison');
      // A real, permanent database refusal: a constraint the file's last row violates on every attempt.
      await query(
        `ALTER TABLE applications ADD CONSTRAINT e2e_no_poison CHECK (source IS DISTINCT FROM 'poison')`,
      );
      try {
        const worker = await start(workerEnv, /(worker running)/);
        const file = applicationsCsv(250, 'px', (i) => (i === 249 ? 'poison' : undefined));
        const id = await upload(api, key, 'applications', file);
        const done = await waitFor(api, key, id, finished, 120_000);
        expect(done.status).toBe('failed');
        expect(done.attempts).toBe(5);
        expect(done.failureReason).toMatch(/violates check constraint "e2e_no_poison"/);
        // Batches before the poisoned one were committed (each idempotent); a re-import after a fix resumes cleanly.
        expect(done.processed).toBe(200);
        await worker.stop();
      } finally {
        await query('ALTER TABLE applications DROP CONSTRAINT e2e_no_poison');
      }
    });

    it('shares imports between two workers, and overlapping imports of the same rows converge', async () => {
      const key = await createOrg(storage.env, 'Scale Out');
      const env = { ...workerEnv, INGEST_BATCH_DELAY_MS: '30' };
      const pair = await Promise.all([start(env, /(worker running)/), start(env, /(worker running)/)]);
      const ids: string[] = [];
      for (let f = 0; f < 4; f++)
        ids.push(await upload(api, key, 'applications', applicationsCsv(400, `so${f}`)));
      // The same rows twice at once (two different files: reject and skip), which both workers run concurrently.
      const same = applicationsCsv(800, 'ov');
      ids.push(await upload(api, key, 'applications', same, 'reject'));
      ids.push(await upload(api, key, 'applications', same, 'skip'));
      const runs = await Promise.all(ids.map((id) => waitFor(api, key, id, finished)));
      for (const run of runs) expect(run.status).toBe('completed');
      expect(new Set(runs.map((r) => r.worker))).toEqual(
        new Set(pair.map((p) => `${hostname()}:${p.child.pid}`)),
      );
      const [a, b] = runs.slice(4);
      expect(a.inserted + b.inserted).toBe(800);
      expect(a.inserted + a.updated + a.unchanged).toBe(800);
      const rows = await query<{ n: number }>(
        `SELECT count(*)::int AS n FROM applications WHERE external_id LIKE 'ov-%'`,
      );
      expect(rows[0].n).toBe(800);
      const cleanWorker = await start(workerEnv, /(worker running)/);
      const clean = await waitFor(api, cleanKey, await upload(api, cleanKey, 'applications', same), finished);
      expect(clean.status).toBe('completed');
      await cleanWorker.stop();
      const pick = (rows: Record<string, unknown>[]) =>
        rows.filter((r) => String(r['external_id']).startsWith('ov-'));
      expect(pick(await rowsOf(key))).toEqual(pick(await rowsOf(cleanKey)));
    });
  } else {
    it('resumes an import after the embedded process was killed with SIGKILL mid-import', async () => {
      const env = { IMPORT_BATCH_ROWS: '100', INGEST_BATCH_DELAY_MS: '200' };
      const key = await createOrg(storage.env, 'Embedded Crash');
      const first = await start(env);
      const id = await upload(first, key, 'applications', applicationsCsv(ROWS));
      const mid = await waitFor(first, key, id, (r) => r.progress.phase === 'writing' && r.processed >= 300);
      expect(mid.processed).toBeLessThan(ROWS);
      expect(await first.stop('SIGKILL')).toBeNull();
      // Restarted with another IMPORT_BATCH_ROWS (the default): the run's own 100-row windows are resumed.
      const second = await start({});
      const done = await waitFor(second, key, id, finished);
      expect(done).toMatchObject({ status: 'completed', processed: ROWS, inserted: ROWS, rejected: 0 });
      expect(second.output()).toContain('resumed 1 unfinished file import(s)');
      await second.stop();
    });

    it('reports a rejected file with its reason and its errors as CSV, from a real process', async () => {
      const key = await createOrg(storage.env, 'Embedded Reject');
      const api = await start({});
      const bad = Buffer.from('application_id,separated_at,separation_type\r\na-1,2025-01-01,fired\r\n');
      const id = await upload(api, key, 'separations', bad);
      const done = await waitFor(api, key, id, finished);
      expect(done).toMatchObject({ status: 'failed', rejected: 1 });
      const csv = await fetch(`${api.url}/api/v1/imports/${id}/errors.csv`, {
        headers: { Authorization: `Bearer ${key}` },
      });
      expect(await csv.text()).toContain(
        'column separation_type: ""fired"" must be one of voluntary_regretted, voluntary_non_regretted, involuntary',
      );
      await api.stop();
    });
  }
});
