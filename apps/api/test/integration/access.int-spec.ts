import { SESSION_COOKIE } from '../../src/modules/identity/secrets';
import { IdentityService } from '../../src/modules/identity/identity.service';
import { bearer, createOrganization, startTestApp, type TestApp } from '../support/test-app';

describe('identity and access (HTTP)', () => {
  let t: TestApp;
  let org: Awaited<ReturnType<typeof createOrganization>>;

  beforeAll(async () => {
    t = await startTestApp();
    org = await createOrganization(t);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('answers health without credentials, naming the database and queue in use', async () => {
    const res = await t.http.get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', database: 'up', queue: 'up' });
    expect(res.body.queueDriver).toBe(t.config.REDIS_URL ? 'bullmq' : 'in-process');
    expect(res.body.databaseMode).toBe(t.config.DATABASE_URL ? 'postgres' : 'embedded');
  });

  it('denies every other route without credentials', async () => {
    for (const [method, path] of [
      ['get', '/api/v1/auth/me'],
      ['get', '/api/v1/jobs'],
      ['get', '/api/v1/rubrics'],
      ['get', '/api/v1/imports'],
      ['get', '/api/v1/analytics/validity'],
      ['post', '/api/v1/records/applications'],
      ['put', '/api/v1/rubrics'],
    ] as const) {
      const res = await t.http[method](path);
      expect({ path, status: res.status }).toEqual({ path, status: 401 });
      expect(res.body.message).toMatch(/Sign in/);
    }
  });

  it('refuses a wrong or malformed API key', async () => {
    expect((await t.http.get('/api/v1/jobs').set(bearer('hs_not-a-real-key'))).status).toBe(401);
    expect((await t.http.get('/api/v1/jobs').set('Authorization', 'Basic abc')).status).toBe(401);
  });

  it('logs a person in with an httpOnly session cookie, and out again', async () => {
    const bad = await t.http
      .post('/api/v1/auth/login')
      .send({ email: org.adminEmail, password: 'wrong password' });
    expect(bad.status).toBe(401);
    const res = await t.http
      .post('/api/v1/auth/login')
      .send({ email: org.adminEmail.toUpperCase(), password: 'correct horse battery' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ email: org.adminEmail, role: 'admin', organizationName: 'Acme Hiring' });
    const cookie = ([] as string[])
      .concat(res.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const session = cookie?.split(';')[0] ?? '';
    const me = await t.http.get('/api/v1/auth/me').set('Cookie', session);
    expect(me.status).toBe(200);
    expect(me.body.organizationId).toBe(org.organizationId);
    expect((await t.http.post('/api/v1/auth/logout').set('Cookie', session)).status).toBe(204);
    expect((await t.http.get('/api/v1/auth/me').set('Cookie', session)).status).toBe(401);
  });

  it('rejects a login body that is not {email, password} with 400 naming the field', async () => {
    const res = await t.http.post('/api/v1/auth/login').send({ email: 'x@y.z' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'password', message: expect.any(String) }]);
  });

  it("enforces each route's roles", async () => {
    const analyst = await t.app.context
      .get(IdentityService)
      .createApiKey(org.organizationId, 'reports', 'analyst');
    const recruiter = await t.app.context
      .get(IdentityService)
      .createApiKey(org.organizationId, 'ats', 'recruiter');
    const post = await t.http
      .post('/api/v1/records/applications')
      .set(bearer(analyst.key))
      .send({ records: [] });
    expect(post.status).toBe(403);
    expect(post.body.message).toMatch(/Role analyst may not use this route/);
    expect((await t.http.get('/api/v1/analytics/validity').set(bearer(analyst.key))).status).toBe(200);
    expect((await t.http.get('/api/v1/analytics/validity').set(bearer(recruiter.key))).status).toBe(403);
    expect((await t.http.get('/api/v1/jobs').set(bearer(recruiter.key))).status).toBe(200);
  });

  it('answers malformed JSON with 400', async () => {
    const res = await t.http
      .post('/api/v1/records/applications')
      .set(bearer(org.apiKey))
      .set('Content-Type', 'application/json')
      .send('{"records": [');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400 });
  });
});
