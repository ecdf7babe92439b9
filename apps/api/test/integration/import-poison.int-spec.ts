import { runInOrganization } from '../../src/database/tenancy';
import { ImportFileJob } from '../../src/modules/ingestion/files/import-file.job';
import { bearer, createOrganization, startTestApp, waitForImport, type TestApp } from '../support/test-app';

/*
 * Nothing wedges a file import (both modes): a poison run, one started IMPORT_MAX_STARTS times without finishing
 * (each start killed or stalled its worker), ends failed with its reason instead of running again; and a run left
 * queued or running whose job the queue no longer holds (BullMQ gave up on it) never makes a new upload of the
 * same file join it.
 */
describe('file imports that would wedge: poison runs and runs whose job is gone', () => {
  let t: TestApp;
  let key: string;
  let organizationId: string;
  const csv = (prefix: string) =>
    Buffer.from(`application_id,candidate_id,job_id,applied_at\n${prefix}-1,c,j,2024-01-01\n`);
  const query = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
    t.app.db.dataSource.query(sql, params) as Promise<T[]>;
  const upload = async (file: Buffer) => {
    const res = await t.http
      .post('/api/v1/imports')
      .set(bearer(key))
      .field('kind', 'applications')
      .field('onError', 'skip')
      .attach('file', file, 'a.csv');
    expect(res.status).toBe(202);
    return res.body as { importId: string; deduplicated: boolean };
  };

  beforeAll(async () => {
    t = await startTestApp({ IMPORT_MAX_STARTS: '3' });
    ({ apiKey: key, organizationId } = await createOrganization(t));
  });

  afterAll(async () => {
    await t?.close();
  });

  it('a run started IMPORT_MAX_STARTS times already ends failed as poison, without running again', async () => {
    const first = await upload(csv('poison'));
    await waitForImport(t, key, first.importId);
    await query(`UPDATE import_runs SET status = 'queued', phase = 'queued', starts = 3 WHERE id = $1`, [
      first.importId,
    ]);
    const job = t.app.context.get(ImportFileJob);
    await runInOrganization(organizationId, () =>
      job.handle(
        { importId: first.importId, organizationId },
        { jobId: 'poison-test', attempt: 1, maxAttempts: 5 },
      ),
    );
    const run = await waitForImport(t, key, first.importId);
    expect(run.status).toBe('failed');
    expect(run.failureReason).toMatch(/started 3 times without finishing.*IMPORT_MAX_STARTS/);
  });

  it('a new upload of a file whose run is stuck with no job in the queue starts afresh', async () => {
    const file = csv('stuck');
    const first = await upload(file);
    await waitForImport(t, key, first.importId);
    // As a run is left when BullMQ gives up on a job that stalled its worker too often.
    await query(
      `UPDATE import_runs SET status = 'running', phase = 'validating', job_id = 'import-gone',
         last_activity_at = now() - interval '1 hour' WHERE id = $1`,
      [first.importId],
    );
    const again = await upload(file);
    expect(again.deduplicated).toBe(false);
    expect(again.importId).not.toBe(first.importId);
    expect((await waitForImport(t, key, again.importId)).status).toBe('completed');
    const stuck = await waitForImport(t, key, first.importId);
    expect(stuck.status).toBe('failed');
    expect(stuck.failureReason).toMatch(/a new upload of the file replaced it/);
  });

  it('a double submit while the first is in flight still joins it', async () => {
    const file = csv('double');
    const [a, b] = await Promise.all([upload(file), upload(file)]);
    expect([a.deduplicated, b.deduplicated].sort()).toEqual([false, true]);
    expect(a.importId).toBe(b.importId);
    await waitForImport(t, key, a.importId);
  });
});
