import { randomBytes } from 'node:crypto';
import type { SessionSummary } from '@hiresignal/shared';
import type { Response } from 'supertest';
import { SESSION_COOKIE } from '../../src/modules/identity/secrets';
import { LoginThrottleService } from '../../src/modules/identity/login-throttle.service';
import { SessionsService } from '../../src/modules/identity/sessions.service';
import { bearer, createOrganization, startTestApp, type TestApp } from '../support/test-app';

/*
 * Sign-in protection over HTTP: the login throttle (per account, per client address), the cross-site rule,
 * response headers, session cookies (Secure, rotation, idle expiry, disabled users) and the sign-in audit trail.
 * Client addresses are set with X-Forwarded-For, which the API believes from loopback (TRUST_PROXY default), so
 * each test signs in from addresses of its own. Hashes use a cheap scrypt cost here (PASSWORD_HASH_LOG2_N=12).
 */
const PASSWORD = 'correct horse battery';
const HOST = 'app.hiresignal.test';

describe('sign-in protection (HTTP)', () => {
  let t: TestApp;
  let nextIp = 1;
  const newIp = () => `198.51.100.${nextIp++}`;
  const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []): Promise<T[]> =>
    t.app.db.dataSource.query(query, params);

  async function newUser(): Promise<{ email: string; organizationId: string; apiKey: string }> {
    const org = await createOrganization(t, `Org ${randomBytes(3).toString('hex')}`);
    return { email: org.adminEmail, organizationId: org.organizationId, apiKey: org.apiKey };
  }

  function login(email: string, password: string, ip: string, cookie?: string) {
    const req = t.http
      .post('/api/v1/auth/login')
      .set('X-Forwarded-For', ip)
      .set('User-Agent', 'abuse-test/1.0');
    if (cookie) req.set('Cookie', cookie);
    return req.send({ email, password });
  }

  function sessionCookie(res: Response): string {
    const cookie = ([] as string[])
      .concat(res.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    if (!cookie) throw new Error(`no session cookie (status ${res.status})`);
    return cookie;
  }

  const pair = (cookie: string) => cookie.split(';')[0];

  beforeAll(async () => {
    t = await startTestApp({ PASSWORD_HASH_LOG2_N: '12', NODE_ENV: 'test' });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('locks an account after 5 failures: 429 with Retry-After, even for the right password, then doubles', async () => {
    const { email } = await newUser();
    for (let i = 0; i < 5; i++) {
      const res = await login(email, 'wrong password', newIp());
      expect(res.status).toBe(401);
    }
    const locked = await login(email, PASSWORD, newIp());
    expect(locked.status).toBe(429);
    expect(locked.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    const retry = Number(locked.headers['retry-after']);
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);

    // When the lock has run out, the next failure locks twice as long.
    await sql(`UPDATE login_throttle SET locked_until = now() - interval '1 second' WHERE key = $1`, [
      `account:${email}`,
    ]);
    expect((await login(email, 'wrong again', newIp())).status).toBe(401);
    const again = await login(email, PASSWORD, newIp());
    expect(again.status).toBe(429);
    expect(Number(again.headers['retry-after'])).toBeGreaterThan(60);
    expect(Number(again.headers['retry-after'])).toBeLessThanOrEqual(120);
  });

  it('locks a client address after 20 failures, whichever emails it tries', async () => {
    const { email } = await newUser();
    const ip = newIp();
    for (let i = 0; i < 20; i++) {
      const res = await login(`nobody-${i}@example.test`, 'guess', ip);
      expect(res.status).toBe(401);
    }
    const locked = await login(email, PASSWORD, ip);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // The same account from another address is not affected.
    expect((await login(email, PASSWORD, newIp())).status).toBe(200);
  });

  it("a successful sign-in resets the account's failure counter", async () => {
    const { email } = await newUser();
    for (let i = 0; i < 4; i++) expect((await login(email, 'wrong', newIp())).status).toBe(401);
    expect((await login(email, PASSWORD, newIp())).status).toBe(200);
    expect(await sql(`SELECT 1 FROM login_throttle WHERE key = $1`, [`account:${email}`])).toEqual([]);
    for (let i = 0; i < 4; i++) expect((await login(email, 'wrong', newIp())).status).toBe(401);
    expect((await login(email, PASSWORD, newIp())).status).toBe(200);
  });

  it('refuses a form-encoded or JSON login from another origin with 403 and the JSON error body', async () => {
    const { email } = await newUser();
    const form = await t.http
      .post('/api/v1/auth/login')
      .set('Host', HOST)
      .set('Origin', 'https://evil.example')
      .type('form')
      .send({ email, password: PASSWORD });
    expect(form.status).toBe(403);
    expect(form.headers['content-type']).toMatch(/application\/json/);
    expect(form.body).toMatchObject({
      statusCode: 403,
      error: 'Forbidden',
      message: expect.any(String),
      problems: [{ message: expect.any(String) }],
    });
    const json = await t.http
      .post('/api/v1/auth/login')
      .set('Host', HOST)
      .set('Origin', 'https://evil.example')
      .send({ email, password: PASSWORD });
    expect(json.status).toBe(403);
    const fetchMetadata = await t.http
      .post('/api/v1/auth/login')
      .set('Sec-Fetch-Site', 'cross-site')
      .send({ email, password: PASSWORD });
    expect(fetchMetadata.status).toBe(403);
    expect(sessionCookieOrNull(form) ?? sessionCookieOrNull(json)).toBeNull();
  });

  it('accepts a same-origin JSON login, and a JSON login with no Origin (not a browser); refuses a form without', async () => {
    const { email } = await newUser();
    const same = await t.http
      .post('/api/v1/auth/login')
      .set('Host', HOST)
      .set('Origin', `http://${HOST}`)
      .set('X-Forwarded-For', newIp())
      .send({ email, password: PASSWORD });
    expect(same.status).toBe(200);
    const sameSite = await t.http
      .post('/api/v1/auth/login')
      .set('Sec-Fetch-Site', 'same-origin')
      .set('X-Forwarded-For', newIp())
      .send({ email, password: PASSWORD });
    expect(sameSite.status).toBe(200);
    expect((await login(email, PASSWORD, newIp())).status).toBe(200);
    const form = await t.http
      .post('/api/v1/auth/login')
      .set('X-Forwarded-For', newIp())
      .type('form')
      .send({ email, password: PASSWORD });
    expect(form.status).toBe(415);
  });

  it('refuses cookie-authenticated state changes from another origin; API keys are exempt', async () => {
    const { email, apiKey } = await newUser();
    const session = pair(sessionCookie(await login(email, PASSWORD, newIp())));
    const cross = await t.http
      .post('/api/v1/auth/logout')
      .set('Cookie', session)
      .set('Host', HOST)
      .set('Origin', 'https://evil.example');
    expect(cross.status).toBe(403);
    expect((await t.http.get('/api/v1/auth/me').set('Cookie', session)).status).toBe(200);
    // An upload signed in by cookie must name its origin.
    const upload = await t.http
      .post('/api/v1/imports')
      .set('Cookie', session)
      .attach('file', Buffer.from('a,b\n'), 'x.csv');
    expect(upload.status).toBe(403);
    // A bearer request from anywhere is judged by its key alone.
    const keyed = await t.http
      .put('/api/v1/settings')
      .set(bearer(apiKey))
      .set('Origin', 'https://elsewhere.example')
      .send({});
    expect(keyed.status).not.toBe(403);
    expect((await t.http.post('/api/v1/auth/logout').set('Cookie', session)).status).toBe(204);
  });

  it('sends a CSP on every response and no-store on API responses', async () => {
    const { email } = await newUser();
    const health = await t.http.get('/api/health');
    expect(health.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(health.headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
    expect(health.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    const session = pair(sessionCookie(await login(email, PASSWORD, newIp())));
    const me = await t.http.get('/api/v1/auth/me').set('Cookie', session);
    expect(me.status).toBe(200);
    expect(me.headers['cache-control']).toBe('no-store');
    expect(me.headers['content-security-policy']).toBeDefined();
    expect(me.headers['x-content-type-options']).toBe('nosniff');
  });

  it('sends HSTS and marks the cookie Secure only over HTTPS (X-Forwarded-Proto from a trusted proxy)', async () => {
    const { email } = await newUser();
    const plain = await login(email, PASSWORD, newIp());
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    expect(sessionCookie(plain)).not.toMatch(/;\s*Secure/i);
    const https = await t.http
      .post('/api/v1/auth/login')
      .set('X-Forwarded-Proto', 'https')
      .set('X-Forwarded-For', newIp())
      .send({ email, password: PASSWORD });
    expect(https.status).toBe(200);
    expect(https.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(sessionCookie(https)).toMatch(/;\s*Secure/i);
    expect(sessionCookie(https)).toMatch(/HttpOnly/);
    expect(sessionCookie(https)).toMatch(/SameSite=Strict/);
  });

  it('rotates the session at sign-in: the cookie presented to a new login stops working', async () => {
    const { email } = await newUser();
    const first = pair(sessionCookie(await login(email, PASSWORD, newIp())));
    const second = pair(sessionCookie(await login(email, PASSWORD, newIp(), first)));
    expect(second).not.toBe(first);
    expect((await t.http.get('/api/v1/auth/me').set('Cookie', first)).status).toBe(401);
    expect((await t.http.get('/api/v1/auth/me').set('Cookie', second)).status).toBe(200);
  });

  it('records where a session came from, refreshes last_seen_at, and ends an idle session', async () => {
    const { email } = await newUser();
    const ip = newIp();
    const cookie = pair(sessionCookie(await login(email, PASSWORD, ip)));
    const [row] = await sql<{ id: string; ip: string; user_agent: string }>(
      `SELECT s.id, s.ip, s.user_agent FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1`,
      [email],
    );
    expect(row).toMatchObject({ ip, user_agent: 'abuse-test/1.0' });

    await sql(`UPDATE sessions SET last_seen_at = now() - interval '5 minutes' WHERE id = $1`, [row.id]);
    expect((await t.http.get('/api/v1/auth/me').set('Cookie', cookie)).status).toBe(200);
    const [seen] = await sql<{ ago: number }>(
      `SELECT extract(epoch FROM now() - last_seen_at)::float8 AS ago FROM sessions WHERE id = $1`,
      [row.id],
    );
    expect(seen.ago).toBeLessThan(60);

    // SESSION_IDLE_MINUTES defaults to 60: unused for 61 minutes, the session is over.
    await sql(`UPDATE sessions SET last_seen_at = now() - interval '61 minutes' WHERE id = $1`, [row.id]);
    expect((await t.http.get('/api/v1/auth/me').set('Cookie', cookie)).status).toBe(401);
    // A later sign-in of the user deletes it.
    await login(email, PASSWORD, newIp());
    expect(await sql(`SELECT 1 FROM sessions WHERE id = $1`, [row.id])).toEqual([]);
  });

  it("ends a disabled user's sessions at once and refuses their sign-in with 403", async () => {
    const { email } = await newUser();
    const cookie = pair(sessionCookie(await login(email, PASSWORD, newIp())));
    expect((await t.http.get('/api/v1/auth/me').set('Cookie', cookie)).status).toBe(200);
    await sql(`UPDATE users SET disabled_at = now() WHERE email = $1`, [email]);
    expect((await t.http.get('/api/v1/auth/me').set('Cookie', cookie)).status).toBe(401);
    const res = await login(email, PASSWORD, newIp());
    expect(res.status).toBe(403);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect((await login(email, 'wrong', newIp())).status).toBe(401);
  });

  it('audits sign-ins: success, and failures with the email tried, the reason and the client address', async () => {
    const { email, organizationId } = await newUser();
    const ip = newIp();
    expect((await login(email.toUpperCase(), 'wrong', ip)).status).toBe(401);
    expect((await login(email, PASSWORD, ip)).status).toBe(200);
    for (let i = 0; i < 5; i++) await login(email, 'wrong', newIp());
    expect((await login(email, PASSWORD, newIp())).status).toBe(429);
    await sql(`UPDATE users SET disabled_at = now() WHERE email = $1`, [email]);
    await sql(`DELETE FROM login_throttle WHERE key = $1`, [`account:${email}`]);
    expect((await login(email, PASSWORD, newIp())).status).toBe(403);

    const rows = await sql<{
      action: string;
      actor_user_id: string | null;
      detail: Record<string, unknown>;
      ip: string | null;
      user_agent: string | null;
    }>(
      `SELECT action, actor_user_id, detail, ip, user_agent FROM audit_log
        WHERE organization_id = $1 AND action LIKE 'user.login%' ORDER BY id`,
      [organizationId],
    );
    expect(rows[0]).toMatchObject({
      action: 'user.login_failed',
      actor_user_id: null,
      detail: { email: email.toUpperCase(), reason: 'wrong_password' },
      ip,
      user_agent: 'abuse-test/1.0',
    });
    expect(rows[1]).toMatchObject({ action: 'user.login', detail: { sessionId: expect.any(String) }, ip });
    expect(rows[1].actor_user_id).toEqual(expect.any(String));
    const reasons = rows.slice(2).map((r) => r.detail['reason']);
    expect(reasons).toEqual([...Array(5).fill('wrong_password'), 'locked', 'disabled']);
    // An unknown email belongs to no organization: nothing audited, only counted.
    const before = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log`);
    expect((await login('nobody-at-all@example.test', 'x', newIp())).status).toBe(401);
    expect(await sql<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log`)).toEqual(before);
  });

  it('lists and ends the signed-in user’s own sessions; API keys have none (403)', async () => {
    const { email, apiKey } = await newUser();
    const a = pair(sessionCookie(await login(email, PASSWORD, newIp())));
    const b = pair(sessionCookie(await login(email, PASSWORD, newIp())));
    const list = await t.http.get('/api/v1/auth/sessions').set('Cookie', a);
    expect(list.status).toBe(200);
    const sessions = list.body as SessionSummary[];
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ ip: expect.any(String), userAgent: 'abuse-test/1.0' });
    const other = sessions.find((s) => !s.current);
    expect((await t.http.delete(`/api/v1/auth/sessions/${other?.id}`).set('Cookie', a)).status).toBe(204);
    expect((await t.http.get('/api/v1/auth/me').set('Cookie', b)).status).toBe(401);
    expect((await t.http.delete(`/api/v1/auth/sessions/${other?.id}`).set('Cookie', a)).status).toBe(404);
    expect((await t.http.delete('/api/v1/auth/sessions/not-a-uuid').set('Cookie', a)).status).toBe(400);
    expect((await t.http.get('/api/v1/auth/sessions').set(bearer(apiKey))).status).toBe(403);
    // Another user's session id is not found, not ended.
    const stranger = await newUser();
    const s = pair(sessionCookie(await login(stranger.email, PASSWORD, newIp())));
    const [mine] = (await t.http.get('/api/v1/auth/sessions').set('Cookie', a)).body as SessionSummary[];
    expect((await t.http.delete(`/api/v1/auth/sessions/${mine.id}`).set('Cookie', s)).status).toBe(404);
    expect((await t.http.get('/api/v1/auth/me').set('Cookie', a)).status).toBe(200);
  });

  it('purges expired sessions and aged-out login counters', async () => {
    const { email } = await newUser();
    await login(email, PASSWORD, newIp());
    await sql(
      `UPDATE sessions SET expires_at = now() - interval '1 minute'
        WHERE user_id = (SELECT id FROM users WHERE email = $1)`,
      [email],
    );
    await sql(
      `INSERT INTO login_throttle (key, failures, last_failure_at) VALUES ('ip:203.0.113.99', 3, now() - interval '1 day')`,
    );
    expect(await t.app.context.get(SessionsService).purgeExpired()).toBeGreaterThanOrEqual(1);
    expect(await t.app.context.get(LoginThrottleService).purgeStale()).toBeGreaterThanOrEqual(1);
    expect(await sql(`SELECT 1 FROM login_throttle WHERE key = 'ip:203.0.113.99'`)).toEqual([]);
  });
});

function sessionCookieOrNull(res: Response): string | null {
  return (
    ([] as string[])
      .concat(res.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith(`${SESSION_COOKIE}=`)) ?? null
  );
}
