import type { ApiKeyCreated, AuditPage, InvitationCreated, TeamUser } from '@hiresignal/shared';
import { DataSource } from 'typeorm';
import { SESSION_COOKIE } from '../../src/modules/identity/secrets';
import { bearer, createOrganization, must, startTestApp, type TestApp } from '../support/test-app';

/** The token of an invitation or reset link (it travels in the URL fragment). */
function tokenOf(url: string): string {
  const match = /#token=([A-Za-z0-9_-]+)$/.exec(url);
  if (!match) throw new Error(`no token in ${url}`);
  return match[1];
}

function sessionCookie(res: { headers: Record<string, unknown> }): string {
  const cookie = ([] as string[])
    .concat((res.headers['set-cookie'] as string[] | undefined) ?? [])
    .find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (!cookie) throw new Error('no session cookie');
  return cookie.split(';')[0];
}

describe('team accounts: invitations, roles, disabling, password links, API keys, audit log (HTTP)', () => {
  let t: TestApp;
  let org: Awaited<ReturnType<typeof createOrganization>>;
  let admin: Record<string, string>;
  const strong = 'violet tram ledger 42';

  beforeAll(async () => {
    // Cheaper scrypt for the test's many sign-ins; production keeps the memory-hard default.
    t = await startTestApp({ PASSWORD_HASH_LOG2_N: '12' });
    org = await createOrganization(t);
    admin = bearer(org.apiKey);
  });

  afterAll(async () => {
    await t?.close();
  });

  async function invite(email: string, role: string): Promise<InvitationCreated> {
    const res = await t.http.post('/api/v1/users/invitations').set(admin).send({ email, role });
    expect(res.status).toBe(201);
    return res.body as InvitationCreated;
  }

  async function accept(url: string, password = strong) {
    return t.http.post('/api/v1/auth/accept-invitation').send({ token: tokenOf(url), password });
  }

  it('invites a person with a single-use link that sets a password and signs them in', async () => {
    const inv = await invite('Rita.Recruiter@acme.example', 'recruiter');
    expect(inv).toMatchObject({ email: 'rita.recruiter@acme.example', role: 'recruiter', emailed: false });
    expect(inv.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/accept-invitation#token=/);
    expect(new Date(inv.expiresAt).getTime() - Date.now()).toBeGreaterThan(71 * 3_600_000);

    const info = await t.http.get(`/api/v1/auth/invitations/${tokenOf(inv.url)}`);
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({
      email: 'rita.recruiter@acme.example',
      organizationName: 'Acme Hiring',
      purpose: 'invitation',
    });

    const listed = (await t.http.get('/api/v1/users').set(admin)).body as TeamUser[];
    expect(listed.find((u) => u.email === 'rita.recruiter@acme.example')).toMatchObject({
      role: 'recruiter',
      status: 'invited',
      lastLoginAt: null,
    });

    // The policy: too short, the email's name part, a common password.
    const weak = await accept(inv.url, 'Zq8#vLw2');
    expect(weak.status).toBe(422);
    expect(weak.body.problems).toEqual([{ field: 'password', message: 'must be at least 12 characters' }]);
    const named = await accept(inv.url, 'rita.recruiter!!');
    expect(named.body.problems.map((p: { message: string }) => p.message)).toContain(
      'must not contain your email address or its name part',
    );
    const common = await accept(inv.url, 'password1234');
    expect(common.body.problems.map((p: { message: string }) => p.message)).toContain(
      'is one of the most commonly used passwords: choose another',
    );

    const ok = await accept(inv.url);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ email: 'rita.recruiter@acme.example', role: 'recruiter' });
    const me = await t.http.get('/api/v1/auth/me').set('Cookie', sessionCookie(ok));
    expect(me.body).toMatchObject({ role: 'recruiter', organizationName: 'Acme Hiring' });

    // Single use.
    const again = await accept(inv.url);
    expect(again.status).toBe(410);
    expect((await t.http.get(`/api/v1/auth/invitations/${tokenOf(inv.url)}`)).status).toBe(410);
    expect((await t.http.get('/api/v1/auth/invitations/not-a-token')).status).toBe(404);

    const login = await t.http
      .post('/api/v1/auth/login')
      .send({ email: 'rita.recruiter@acme.example', password: strong });
    expect(login.status).toBe(200);
  });

  it('refuses an expired link and an email that already has an account', async () => {
    const inv = await invite('late@acme.example', 'analyst');
    await t.app.context
      .get(DataSource)
      .query(`UPDATE user_tokens SET expires_at = now() - interval '1 second' WHERE purpose = 'invitation'`);
    const res = await accept(inv.url);
    expect(res.status).toBe(410);
    expect(res.body.message).toMatch(/expired/);

    const dup = await t.http
      .post('/api/v1/users/invitations')
      .set(admin)
      .send({ email: org.adminEmail, role: 'analyst' });
    expect(dup.status).toBe(409);
    const bad = await t.http
      .post('/api/v1/users/invitations')
      .set(admin)
      .send({ email: 'nope', role: 'boss' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['email', 'role']);

    // Inviting the still-invited address again issues a fresh link that works.
    const fresh = await invite('late@acme.example', 'analyst');
    expect((await accept(fresh.url)).status).toBe(200);
  });

  it('changes roles, keeps the last active admin, and disabling signs a user out at once', async () => {
    const inv = await invite('tess.leader@acme.example', 'talent_leader');
    const signedIn = await accept(inv.url);
    const cookie = sessionCookie(signedIn);
    const users = (await t.http.get('/api/v1/users').set(admin)).body as TeamUser[];
    const tess = must(
      users.find((u) => u.email === 'tess.leader@acme.example'),
      'tess',
    );
    const firstAdmin = must(
      users.find((u) => u.email === org.adminEmail),
      'firstAdmin',
    );

    // The organization's only active admin can be neither demoted nor disabled.
    const demote = await t.http.patch(`/api/v1/users/${firstAdmin.id}`).set(admin).send({ role: 'analyst' });
    expect(demote.status).toBe(409);
    expect(demote.body.message).toMatch(/last active admin/);
    expect(
      (await t.http.patch(`/api/v1/users/${firstAdmin.id}`).set(admin).send({ disabled: true })).status,
    ).toBe(409);

    expect((await t.http.get('/api/v1/analytics/validity').set('Cookie', cookie)).status).toBe(200);
    const promoted = await t.http.patch(`/api/v1/users/${tess.id}`).set(admin).send({ role: 'recruiter' });
    expect(promoted.body).toMatchObject({ role: 'recruiter', status: 'active' });
    // The role applies to the live session at once.
    expect((await t.http.get('/api/v1/analytics/validity').set('Cookie', cookie)).status).toBe(403);

    const disabled = await t.http.patch(`/api/v1/users/${tess.id}`).set(admin).send({ disabled: true });
    expect(disabled.body).toMatchObject({ status: 'disabled' });
    expect((await t.http.get('/api/v1/auth/me').set('Cookie', cookie)).status).toBe(401);
    const login = await t.http
      .post('/api/v1/auth/login')
      .send({ email: 'tess.leader@acme.example', password: strong });
    expect(login.status).not.toBe(200);

    const enabled = await t.http.patch(`/api/v1/users/${tess.id}`).set(admin).send({ disabled: false });
    expect(enabled.body).toMatchObject({ status: 'active' });
    expect(
      (await t.http.post('/api/v1/auth/login').send({ email: 'tess.leader@acme.example', password: strong }))
        .status,
    ).toBe(200);

    // With a second active admin, the first may step down.
    await t.http.patch(`/api/v1/users/${tess.id}`).set(admin).send({ role: 'admin' });
    const stepDown = await t.http
      .patch(`/api/v1/users/${firstAdmin.id}`)
      .set(admin)
      .send({ role: 'analyst' });
    expect(stepDown.status).toBe(200);
    await t.http.patch(`/api/v1/users/${firstAdmin.id}`).set(admin).send({ role: 'admin' });

    expect((await t.http.patch('/api/v1/users/not-a-uuid').set(admin).send({ role: 'admin' })).status).toBe(
      400,
    );
    expect(
      (
        await t.http
          .patch('/api/v1/users/00000000-0000-4000-8000-000000000000')
          .set(admin)
          .send({ role: 'admin' })
      ).status,
    ).toBe(404);
    expect((await t.http.patch(`/api/v1/users/${tess.id}`).set(admin).send({})).status).toBe(400);
  });

  it('resets a password with a single-use link; the old password and sessions stop working', async () => {
    const inv = await invite('ann.analyst@acme.example', 'analyst');
    const first = await accept(inv.url);
    const oldCookie = sessionCookie(first);
    const ann = must(
      ((await t.http.get('/api/v1/users').set(admin)).body as TeamUser[]).find(
        (u) => u.email === 'ann.analyst@acme.example',
      ),
      'ann',
    );
    const reset = await t.http.post(`/api/v1/users/${ann.id}/password-reset`).set(admin);
    expect(reset.status).toBe(201);
    expect((await t.http.get(`/api/v1/auth/invitations/${tokenOf(reset.body.url)}`)).body.purpose).toBe(
      'password_reset',
    );
    const done = await accept(reset.body.url, 'amber kettle orbit 77');
    expect(done.status).toBe(200);
    expect((await t.http.get('/api/v1/auth/me').set('Cookie', oldCookie)).status).toBe(401);
    expect(
      (await t.http.post('/api/v1/auth/login').send({ email: 'ann.analyst@acme.example', password: strong }))
        .status,
    ).toBe(401);

    // Own password change: the current one is checked, the policy applies, other sessions end.
    const cookie = sessionCookie(done);
    const other = sessionCookie(
      await t.http
        .post('/api/v1/auth/login')
        .send({ email: 'ann.analyst@acme.example', password: 'amber kettle orbit 77' }),
    );
    const wrong = await t.http
      .post('/api/v1/auth/password')
      .set('Cookie', cookie)
      .send({ currentPassword: 'nope nope nope', newPassword: 'granite lantern 9 tulip' });
    expect(wrong.status).toBe(422);
    expect(wrong.body.problems).toEqual([
      { field: 'currentPassword', message: 'is not your current password' },
    ]);
    const changed = await t.http
      .post('/api/v1/auth/password')
      .set('Cookie', cookie)
      .send({ currentPassword: 'amber kettle orbit 77', newPassword: 'granite lantern 9 tulip' });
    expect(changed.status).toBe(204);
    expect((await t.http.get('/api/v1/auth/me').set('Cookie', cookie)).status).toBe(200);
    expect((await t.http.get('/api/v1/auth/me').set('Cookie', other)).status).toBe(401);
  });

  it('creates API keys shown once, lists them without the key, and revoked or expired keys answer 401 at once', async () => {
    const created = await t.http
      .post('/api/v1/api-keys')
      .set(admin)
      .send({ name: 'Nightly sync', role: 'analyst' });
    expect(created.status).toBe(201);
    const key = created.body as ApiKeyCreated;
    expect(key.key).toMatch(/^hs_[A-Za-z0-9_-]{43}$/);
    expect(key).toMatchObject({
      name: 'Nightly sync',
      role: 'analyst',
      status: 'active',
      prefix: key.key.slice(0, 9),
    });

    expect((await t.http.get('/api/v1/analytics/validity').set(bearer(key.key))).status).toBe(200);
    expect((await t.http.get('/api/v1/users').set(bearer(key.key))).status).toBe(403);
    const listed = (await t.http.get('/api/v1/api-keys').set(admin)).body as Record<string, unknown>[];
    const row = must(
      listed.find((k) => k['id'] === key.id),
      'row',
    );
    expect(row).not.toHaveProperty('key');
    expect(row['lastUsedAt']).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain(key.key);

    expect((await t.http.delete(`/api/v1/api-keys/${key.id}`).set(admin)).status).toBe(204);
    expect((await t.http.get('/api/v1/analytics/validity').set(bearer(key.key))).status).toBe(401);
    expect(
      ((await t.http.get('/api/v1/api-keys').set(admin)).body as ApiKeyCreated[]).find((k) => k.id === key.id)
        ?.status,
    ).toBe('revoked');

    const past = await t.http
      .post('/api/v1/api-keys')
      .set(admin)
      .send({ name: 'x', role: 'analyst', expiresAt: '2020-01-01T00:00:00Z' });
    expect(past.status).toBe(400);
    const soon = (
      await t.http
        .post('/api/v1/api-keys')
        .set(admin)
        .send({
          name: 'Short-lived',
          role: 'recruiter',
          expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        })
    ).body as ApiKeyCreated;
    expect((await t.http.get('/api/v1/imports').set(bearer(soon.key))).status).toBe(200);
    await t.app.context
      .get(DataSource)
      .query(`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, [soon.id]);
    expect((await t.http.get('/api/v1/imports').set(bearer(soon.key))).status).toBe(401);
  });

  it('stops the API keys of a disabled user until they are enabled again', async () => {
    const inv = await invite('kim.keys@acme.example', 'admin');
    const cookie = sessionCookie(await accept(inv.url));
    const made = await t.http
      .post('/api/v1/api-keys')
      .set('Cookie', cookie)
      .send({ name: "Kim's script", role: 'analyst' });
    expect(made.status).toBe(201);
    expect(made.body.createdBy).toMatchObject({ email: 'kim.keys@acme.example' });
    const kim = must(
      ((await t.http.get('/api/v1/users').set(admin)).body as TeamUser[]).find(
        (u) => u.email === 'kim.keys@acme.example',
      ),
      'kim',
    );
    await t.http.patch(`/api/v1/users/${kim.id}`).set(admin).send({ disabled: true });
    expect((await t.http.get('/api/v1/jobs').set(bearer(made.body.key))).status).toBe(401);
    await t.http.patch(`/api/v1/users/${kim.id}`).set(admin).send({ disabled: false });
    expect((await t.http.get('/api/v1/jobs').set(bearer(made.body.key))).status).toBe(200);
  });

  it('records who did what, when and from where in an append-only audit log, readable and exportable by admins', async () => {
    // A User-Agent is text the client chooses; it lands in the audit log and its export.
    await t.http
      .post('/api/v1/api-keys')
      .set(admin)
      .set('User-Agent', '=HYPERLINK("http://evil","x")')
      .send({ name: 'Export check', role: 'analyst' });
    const page = (await t.http.get('/api/v1/audit-log?limit=500').set(admin)).body as AuditPage;
    const actions = new Set(page.entries.map((e) => e.action));
    for (const action of [
      'organization.created',
      'user.invited',
      'user.invitation_accepted',
      'user.login',
      'user.role_changed',
      'user.disabled',
      'user.enabled',
      'user.password_reset_issued',
      'user.password_reset',
      'user.password_changed',
      'api_key.created',
      'api_key.revoked',
    ]) {
      expect({ action, present: actions.has(action) }).toEqual({ action, present: true });
    }
    const roleChange = must(
      page.entries.find((e) => e.action === 'user.role_changed' && e.detail['from'] === 'talent_leader'),
      'roleChange',
    );
    expect(roleChange.detail).toMatchObject({
      email: 'tess.leader@acme.example',
      from: 'talent_leader',
      to: 'recruiter',
    });
    expect(roleChange.actor.apiKeyId).not.toBeNull();
    expect(roleChange.ip).toMatch(/127\.0\.0\.1/);
    // Newest first, paged.
    const ids = page.entries.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const first = (await t.http.get('/api/v1/audit-log?limit=2').set(admin)).body as AuditPage;
    const second = (await t.http.get(`/api/v1/audit-log?limit=2&before=${first.nextBefore}`).set(admin))
      .body as AuditPage;
    expect(second.entries[0].id).toBe(
      String(Number(first.entries[1].id) - 1 >= 0 ? second.entries[0].id : ''),
    );
    expect(Number(second.entries[0].id)).toBeLessThan(Number(first.entries[1].id));
    // Filter by action prefix.
    const keys = (await t.http.get('/api/v1/audit-log?action=api_key.').set(admin)).body as AuditPage;
    expect(keys.entries.length).toBeGreaterThan(0);
    expect(keys.entries.every((e) => e.action.startsWith('api_key.'))).toBe(true);
    expect((await t.http.get('/api/v1/audit-log?actorUserId=x').set(admin)).status).toBe(400);
    // Data writes name where they came from too: saving a rubric (a route that audits with its principal).
    const rubric = {
      name: 'Audit trail',
      version: 1,
      scaleMin: 1,
      scaleMax: 4,
      criteria: [{ key: 'fundamentals', label: 'Fundamentals' }],
    };
    expect(
      (await t.http.put('/api/v1/rubrics').set(admin).set('User-Agent', 'audit-probe/1').send(rubric)).status,
    ).toBe(200);
    const saved = (await t.http.get('/api/v1/audit-log?action=rubric.').set(admin)).body as AuditPage;
    expect(saved.entries[0]).toMatchObject({ action: 'rubric.saved', userAgent: 'audit-probe/1' });
    expect(saved.entries[0].ip).toMatch(/127\.0\.0\.1/);

    const csv = await t.http.get('/api/v1/audit-log/export.csv?action=api_key.created').set(admin);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text.split('\r\n')[0]).toBe(
      'id,at,action,actor_email,actor_user_id,actor_api_key,target_type,target_id,ip,user_agent,detail',
    );
    // Written so that no spreadsheet evaluates it.
    expect(csv.text.split('\r\n').find((l) => l.includes('Export check'))).toContain(
      `"'=HYPERLINK(""http://evil""`,
    );
    expect(csv.text).not.toMatch(/(^|,)=HYPERLINK/m);
    const exported = (await t.http.get('/api/v1/audit-log?action=audit_log.exported').set(admin))
      .body as AuditPage;
    expect(exported.entries).toHaveLength(1);

    // Append-only: neither the application's role nor the owner may change or delete an entry.
    const db = t.app.context.get(DataSource);
    await expect(db.query(`UPDATE audit_log SET action = 'x'`)).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
  });

  it('keeps team routes to admins', async () => {
    const analyst = (await t.http.post('/api/v1/api-keys').set(admin).send({ name: 'a', role: 'analyst' }))
      .body as ApiKeyCreated;
    for (const [method, path] of [
      ['get', '/api/v1/users'],
      ['post', '/api/v1/users/invitations'],
      ['get', '/api/v1/api-keys'],
      ['post', '/api/v1/api-keys'],
      ['get', '/api/v1/audit-log'],
      ['get', '/api/v1/audit-log/export.csv'],
    ] as const) {
      expect({ path, status: (await t.http[method](path).set(bearer(analyst.key))).status }).toEqual({
        path,
        status: 403,
      });
    }
  });
});
