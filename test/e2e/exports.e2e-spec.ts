import { createHash } from 'node:crypto';
import type { ExportSummary } from '@hiresignal/shared';
import { createStorage, runCli, type ApiProcess, type Storage, processGroup } from '../support/processes';

/*
 * Exports as real processes: the process writing an export is killed with SIGKILL mid-file. The export must never
 * be a truncated file marked completed: while it is unfinished its download answers 409, and once another worker
 * (PostgreSQL and Redis: BullMQ hands the stalled job on) or the restarted process (embedded: the unfinished export
 * is enqueued again at boot) has written it, the file holds every row of the cohort exactly once, in order, and its
 * bytes match the size and SHA-256 the export reports. EXPORT_PAGE_DELAY_MS slows each page so the kill lands
 * mid-export.
 */

const ROWS = 6000;

function applications(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    applicationId: `app-${String(i).padStart(5, '0')}`,
    candidateId: `cand-${i}`,
    jobId: `req-${i % 7}`,
    source: i % 3 === 0 ? 'referral' : 'linkedin',
    appliedAt: `2024-01-${String((i % 28) + 1).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:00:00Z`,
    status: 'active',
  }));
}

async function createOrg(env: Record<string, string>): Promise<string> {
  const { stdout, code, stderr } = await runCli(['admin', 'create-org', '--name', 'Export Crash'], env);
  if (code !== 0) throw new Error(`create-org failed: ${stderr}`);
  return (JSON.parse(stdout.trim()) as { apiKey: string }).apiKey;
}

async function api(p: ApiProcess, key: string, path: string, init: RequestInit = {}) {
  return fetch(`${p.url}${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
  });
}

async function status(p: ApiProcess, key: string, id: string): Promise<ExportSummary | null> {
  try {
    const res = await api(p, key, `/api/v1/exports/${id}`);
    return res.status === 200 ? ((await res.json()) as ExportSummary) : null;
  } catch {
    return null;
  }
}

async function waitFor(
  p: ApiProcess,
  key: string,
  id: string,
  until: (e: ExportSummary) => boolean,
  timeoutMs = 150_000,
): Promise<ExportSummary> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const e = await status(p, key, id);
    if (e && until(e)) return e;
    if (Date.now() > deadline)
      throw new Error(`export ${id} not there after ${timeoutMs} ms: ${JSON.stringify(e)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function ingest(p: ApiProcess, key: string) {
  const res = await api(p, key, '/api/v1/records/applications', {
    method: 'POST',
    body: JSON.stringify({ records: applications(ROWS) }),
  });
  expect(res.status).toBe(202);
  const { importId } = (await res.json()) as { importId: string };
  for (let i = 0; i < 600; i++) {
    const run = (await (await api(p, key, `/api/v1/imports/${importId}`)).json()) as { status: string };
    if (run.status === 'completed') return;
    if (run.status === 'failed') throw new Error('import failed');
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('import did not finish');
}

/** The export's file: every application once, in applied_at then id order, and the reported size and hash. */
async function checkFile(p: ApiProcess, key: string, done: ExportSummary) {
  expect(done).toMatchObject({ status: 'completed', rowsWritten: ROWS });
  const res = await api(p, key, `/api/v1/exports/${done.id}/download`);
  expect(res.status).toBe(200);
  const body = Buffer.from(await res.arrayBuffer());
  expect(body.length).toBe(done.bytes);
  expect(createHash('sha256').update(body).digest('hex')).toBe(done.sha256);
  const lines = body.toString('utf8').split('\r\n');
  expect(lines[0].startsWith('application_id,')).toBe(true);
  expect(lines.at(-1)).toBe('');
  const rows = lines.slice(1, -1).map((l) => l.split(','));
  const expected = applications(ROWS)
    .sort((a, b) => a.appliedAt.localeCompare(b.appliedAt) || a.applicationId.localeCompare(b.applicationId))
    .map((a) => a.applicationId);
  expect(rows.map((r) => r[0])).toEqual(expected);
}

describe('exports as real processes: a process killed mid-export', () => {
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
    it('hands the export of a worker killed with SIGKILL to another worker, which writes the whole file', async () => {
      const key = await createOrg(storage.env);
      const apiProcess = await start({ PROCESS_ROLE: 'api' });
      const slow = await start(
        { PROCESS_ROLE: 'worker', WORKER_CONCURRENCY: '1', EXPORT_PAGE_DELAY_MS: '700' },
        /(worker running)/,
      );
      await ingest(apiProcess, key);
      const res = await api(apiProcess, key, '/api/v1/exports', {
        method: 'POST',
        body: JSON.stringify({ report: 'cohort', format: 'csv', filters: {} }),
      });
      expect(res.status).toBe(202);
      const { exportId } = (await res.json()) as { exportId: string };
      const mid = await waitFor(
        apiProcess,
        key,
        exportId,
        (e) => e.status === 'running' && e.rowsWritten > 0,
      );
      expect(mid.rowsWritten).toBeLessThan(ROWS);
      expect(await slow.stop('SIGKILL')).toBeNull();

      // Not completed, so not downloadable: no truncated file is ever served.
      expect((await status(apiProcess, key, exportId))?.status).toBe('running');
      expect((await api(apiProcess, key, `/api/v1/exports/${exportId}/download`)).status).toBe(409);

      const rescuer = await start({ PROCESS_ROLE: 'worker', WORKER_CONCURRENCY: '1' }, /(worker running)/);
      const done = await waitFor(
        apiProcess,
        key,
        exportId,
        (e) => e.status !== 'running' && e.status !== 'queued',
        200_000,
      );
      await checkFile(apiProcess, key, done);
      await rescuer.stop();
    });
  } else {
    it('writes the whole file again when the embedded process killed mid-export restarts', async () => {
      const key = await createOrg(storage.env);
      const first = await start({ EXPORT_PAGE_DELAY_MS: '700' });
      await ingest(first, key);
      const res = await api(first, key, '/api/v1/exports', {
        method: 'POST',
        body: JSON.stringify({ report: 'cohort', format: 'csv', filters: {} }),
      });
      const { exportId } = (await res.json()) as { exportId: string };
      const mid = await waitFor(first, key, exportId, (e) => e.status === 'running' && e.rowsWritten > 0);
      expect(mid.rowsWritten).toBeLessThan(ROWS);
      expect((await api(first, key, `/api/v1/exports/${exportId}/download`)).status).toBe(409);
      expect(await first.stop('SIGKILL')).toBeNull();

      const second = await start({});
      const done = await waitFor(
        second,
        key,
        exportId,
        (e) => e.status !== 'running' && e.status !== 'queued',
      );
      await checkFile(second, key, done);
    });
  }
});
