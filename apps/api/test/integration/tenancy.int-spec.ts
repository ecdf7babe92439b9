import type { ApiKeyCreated, ImportRunResponse, InvitationCreated, TeamUser } from '@hiresignal/shared';
import { DataSource } from 'typeorm';
import { runAsSystem, runInOrganization } from '../../src/database/tenancy';
import { OpenApiService } from '../../src/modules/docs/openapi.service';
import {
  AI_RUBRIC,
  bearer,
  createOrganization,
  ingest,
  must,
  startTestApp,
  type TestApp,
} from '../support/test-app';

/*
 * Two organizations in one database. Organization A has data of every kind; organization B (made the way the
 * `admin create-org` CLI makes one: IdentityService.createOrganization) must see none of it over any route, and
 * the database itself must refuse to show it: row-level security on every organization table, proven with
 * queries that deliberately leave out their organization filter.
 */
const A_MARK = 'zz-org-a-only';

describe('tenancy: two organizations see nothing of each other', () => {
  let t: TestApp;
  let a: Awaited<ReturnType<typeof createOrganization>>;
  let b: Awaited<ReturnType<typeof createOrganization>>;
  let db: DataSource;
  let aImport: ImportRunResponse;
  let aUser: TeamUser;
  let aKey: ApiKeyCreated;

  beforeAll(async () => {
    t = await startTestApp({ PASSWORD_HASH_LOG2_N: '12' });
    db = t.app.context.get(DataSource);
    a = await createOrganization(t, 'Org A');
    b = await createOrganization(t, 'Org B');
    const admin = bearer(a.apiKey);
    expect((await t.http.put('/api/v1/rubrics').set(admin).send(AI_RUBRIC)).status).toBe(200);
    aImport = await ingest(t, a.apiKey, 'applications', [
      {
        applicationId: `${A_MARK}-app-1`,
        candidateId: `${A_MARK}-cand-1`,
        jobId: `${A_MARK}-job`,
        jobTitle: `${A_MARK} title`,
        department: `${A_MARK} dept`,
        source: `${A_MARK} source`,
        appliedAt: '2024-01-10',
        status: 'hired',
        hiredAt: '2024-03-01',
      },
    ]);
    expect(aImport.status).toBe('completed');
    await ingest(t, a.apiKey, 'interview_scores', [
      {
        applicationId: `${A_MARK}-app-1`,
        interviewId: `${A_MARK}-int-1`,
        interviewerId: `${A_MARK}-iv`,
        criterion: 'fundamentals',
        score: 3,
      },
    ]);
    await ingest(t, a.apiKey, 'demographics', [{ candidateId: `${A_MARK}-cand-1`, sex: 'female' }]);
    const invited = await t.http
      .post('/api/v1/users/invitations')
      .set(admin)
      .send({ email: `${A_MARK}@a.example`, role: 'recruiter' });
    expect(invited.status).toBe(201);
    aUser = must(
      ((await t.http.get('/api/v1/users').set(admin)).body as TeamUser[]).find(
        (u) => u.id === (invited.body as InvitationCreated).userId,
      ),
      'the invited user',
    );
    aKey = (
      await t.http
        .post('/api/v1/api-keys')
        .set(admin)
        .send({ name: `${A_MARK} key`, role: 'analyst' })
    ).body as ApiKeyCreated;
  });

  afterAll(async () => {
    await t?.close();
  });

  it('has row-level security with a policy on every table that carries an organization', async () => {
    const rows: { table_name: string; rls: boolean; policies: number }[] = await db.query(`
      SELECT c.table_name, cl.relrowsecurity AS rls,
             (SELECT count(*)::int FROM pg_policies p WHERE p.tablename = c.table_name) AS policies
        FROM information_schema.columns c
        JOIN information_schema.tables tb USING (table_schema, table_name)
        JOIN pg_class cl ON cl.relname = c.table_name AND cl.relkind = 'r'
       WHERE c.table_schema = 'public' AND c.column_name = 'organization_id' AND tb.table_type = 'BASE TABLE'`);
    expect(rows.length).toBeGreaterThanOrEqual(20);
    expect(rows.filter((r) => !r.rls || r.policies === 0).map((r) => r.table_name)).toEqual([]);
  });

  it('returns nothing of another organization to a query that forgets its organization filter', async () => {
    const unfiltered = () => db.query(`SELECT organization_id FROM applications`);
    const inB: { organization_id: string }[] = await runInOrganization(b.organizationId, unfiltered);
    expect(inB).toEqual([]);
    const inA: { organization_id: string }[] = await runInOrganization(a.organizationId, unfiltered);
    expect(inA.length).toBe(1);
    expect(new Set(inA.map((r) => r.organization_id))).toEqual(new Set([a.organizationId]));
    // Every organization table, unfiltered, from B's scope: nothing of A.
    const tables: { table_name: string }[] = await db.query(
      `SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'organization_id'`,
    );
    for (const { table_name } of tables) {
      const leaked: { n: number }[] = await runInOrganization(b.organizationId, () =>
        db.query(`SELECT count(*)::int AS n FROM ${table_name} WHERE organization_id <> $1`, [
          b.organizationId,
        ]),
      );
      expect({ table_name, leaked: leaked[0].n }).toEqual({ table_name, leaked: 0 });
    }
    // The uploaded-file tables follow their import run.
    const errors = await runInOrganization(b.organizationId, () => db.query(`SELECT * FROM import_errors`));
    expect(errors).toEqual([]);
    // The system scope (boot, sweeps, the CLI) sees both.
    const all: { n: number }[] = await runAsSystem(() =>
      db.query(
        `SELECT count(DISTINCT organization_id)::int AS n FROM organizations o JOIN users u ON u.organization_id = o.id`,
      ),
    );
    expect(all[0].n).toBe(2);
  });

  it("refuses to write a row into another organization's data", async () => {
    await expect(
      runInOrganization(b.organizationId, () =>
        db.query(`INSERT INTO jobs (organization_id, external_id, title) VALUES ($1, 'sneaky', 'x')`, [
          a.organizationId,
        ]),
      ),
    ).rejects.toThrow(/row-level security/);
    const updated = await runInOrganization(b.organizationId, () =>
      db.query(`UPDATE applications SET status = 'rejected' RETURNING id`),
    );
    expect(updated[0] ?? []).toEqual([]);
  });

  it("answers organization B's every read route with none of organization A's data", async () => {
    const routes = t.app.context
      .get(OpenApiService)
      .routes()
      .filter((r) => r.method === 'get' && !r.path.includes(':') && r.access?.kind === 'roles');
    expect(routes.length).toBeGreaterThanOrEqual(10);
    for (const route of routes) {
      const res = await t.http.get(route.path).set(bearer(b.apiKey));
      const body = res.text;
      expect({ route: route.path, status: res.status < 500 }).toEqual({ route: route.path, status: true });
      for (const secret of [A_MARK, a.organizationId, aUser.id, aKey.id, aImport.importId, a.adminEmail]) {
        expect({ route: route.path, leaks: body.includes(secret) }).toEqual({
          route: route.path,
          leaks: false,
        });
      }
    }
  });

  it("answers 404 when organization B names organization A's import, user or key", async () => {
    const admin = bearer(b.apiKey);
    expect((await t.http.get(`/api/v1/imports/${aImport.importId}`).set(admin)).status).toBe(404);
    expect((await t.http.get(`/api/v1/imports/${aImport.importId}/errors.csv`).set(admin)).status).toBe(404);
    expect((await t.http.patch(`/api/v1/users/${aUser.id}`).set(admin).send({ role: 'admin' })).status).toBe(
      404,
    );
    expect((await t.http.post(`/api/v1/users/${aUser.id}/password-reset`).set(admin)).status).toBe(404);
    expect((await t.http.delete(`/api/v1/api-keys/${aKey.id}`).set(admin)).status).toBe(404);
    // A's key still works for A: B's attempts changed nothing.
    expect((await t.http.get('/api/v1/jobs').set(bearer(aKey.key))).status).toBe(200);
    expect(
      ((await t.http.get('/api/v1/users').set(bearer(a.apiKey))).body as TeamUser[]).find(
        (u) => u.id === aUser.id,
      )?.role,
    ).toBe('recruiter');
  });
});
