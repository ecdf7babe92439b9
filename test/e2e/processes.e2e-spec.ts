import type { ImportRunResponse } from '@hiresignal/shared';
import { createStorage, runCli, startApi, type ApiProcess, type Storage } from '../support/processes';

/*
 * The built product as separate processes: the admin CLI, and (with PostgreSQL and Redis) an API-only process whose
 * jobs are done by a worker-only process. Without Redis a split is impossible, and the process must say so.
 */
describe('processes: admin CLI, API and worker roles', () => {
  let storage: Storage;
  const running: ApiProcess[] = [];

  beforeAll(async () => {
    storage = await createStorage();
  });

  afterAll(async () => {
    for (const p of running) await p.stop();
    await storage?.dispose();
  });

  it('creates an organization with `admin create-org` and prints its id and admin key as JSON', async () => {
    const result = await runCli(['admin', 'create-org', '--name', 'Globex Talent'], storage.env);
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout.trim()) as Record<string, string>;
    expect(printed['organizationId']).toMatch(/^[0-9a-f-]{36}$/);
    expect(printed['apiKey']).toMatch(/^hs_/);
    expect(printed['adminEmail']).toBe('admin@globex-talent.hiresignal.local');
  });

  it('refuses to boot with a bad configuration, naming each variable', async () => {
    const result = await runCli(['serve'], { ...storage.env, PORT: 'http', SEED_DEMO: 'perhaps' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('PORT: must be a whole number from 0 to 65535 (got "http")');
    expect(result.stderr).toContain('SEED_DEMO: must be true or false (got "perhaps")');
  });

  if (process.env['REDIS_URL'] && process.env['DATABASE_URL']) {
    it('runs imports on a separate worker process sharing Redis and PostgreSQL', async () => {
      const { stdout } = await runCli(['admin', 'create-org', '--name', 'Split Roles'], storage.env);
      const { apiKey } = JSON.parse(stdout.trim()) as { apiKey: string };
      const api = await startApi({ ...storage.env, PROCESS_ROLE: 'api', SEED_DEMO: 'false' });
      running.push(api);
      const headers = { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' };
      const post = await fetch(`${api.url}/api/v1/records/separations`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          records: [{ applicationId: 'a-1', separatedAt: '2025-05-01', separationType: 'involuntary' }],
        }),
      });
      expect(post.status).toBe(202);
      const { importId } = (await post.json()) as { importId: string };
      // The API process has no worker: the import waits in Redis until one starts.
      await new Promise((r) => setTimeout(r, 1500));
      const queued = (await (
        await fetch(`${api.url}/api/v1/imports/${importId}`, { headers })
      ).json()) as ImportRunResponse;
      expect(queued.status).toBe('queued');

      const worker = await startApi({ ...storage.env, PROCESS_ROLE: 'worker' }, /(worker running)/);
      running.push(worker);
      let run = queued;
      for (let i = 0; i < 100 && run.status !== 'completed'; i++) {
        await new Promise((r) => setTimeout(r, 200));
        run = (await (
          await fetch(`${api.url}/api/v1/imports/${importId}`, { headers })
        ).json()) as ImportRunResponse;
      }
      expect(run).toMatchObject({ status: 'completed', inserted: 1 });
    });
  } else {
    it('refuses a worker-only process without Redis, saying why', async () => {
      const result = await runCli(['serve'], { ...storage.env, PROCESS_ROLE: 'worker' });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('PROCESS_ROLE: worker needs REDIS_URL');
    });
  }
});
