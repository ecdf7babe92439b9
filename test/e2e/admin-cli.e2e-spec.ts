import type { TeamUser } from '@hiresignal/shared';
import { createStorage, runCli, startApi, type ApiProcess, type Storage } from '../support/processes';

/*
 * The operator CLI on the built product: create-user prints a set-password link that works, list-users shows the
 * team, reset-password prints a working reset link. On PostgreSQL the commands run beside a running server; on
 * the embedded PGlite they must refuse while the server holds its directory, and say why.
 */
const SET = 'violet tram ledger 42';

async function accept(api: ApiProcess, url: string, password: string) {
  const token = /#token=(.+)$/.exec(url)?.[1] ?? '';
  return fetch(`${api.url}/api/v1/auth/accept-invitation`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, password }),
  });
}

describe('admin CLI: users', () => {
  let storage: Storage;
  let api: ApiProcess | undefined;
  const embedded = !process.env['DATABASE_URL'];

  beforeAll(async () => {
    storage = await createStorage();
  });

  afterAll(async () => {
    await api?.stop();
    await storage?.dispose();
  });

  it('creates a user with a set-password link, lists the team, and resets a password', async () => {
    const env = {
      ...storage.env,
      SEED_DEMO: 'false',
      PASSWORD_HASH_LOG2_N: '12',
      PUBLIC_URL: 'https://hs.example',
    };
    const org = JSON.parse((await runCli(['admin', 'create-org', '--name', 'Initech'], env)).stdout) as {
      organizationId: string;
    };
    const created = await runCli(
      ['admin', 'create-user', '--org', 'initech', '--email', 'Rae@Initech.example', '--role', 'recruiter'],
      env,
    );
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const user = JSON.parse(created.stdout) as { email: string; role: string; url: string };
    expect(user).toMatchObject({ email: 'rae@initech.example', role: 'recruiter' });
    expect(user.url).toMatch(/^https:\/\/hs\.example\/accept-invitation#token=[A-Za-z0-9_-]{43}$/);

    const bad = await runCli(
      ['admin', 'create-user', '--org', 'initech', '--email', 'x@y.z', '--role', 'boss'],
      env,
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      '--role must be one of admin, talent_leader, recruiter, analyst (got "boss")',
    );
    const noOrg = await runCli(['admin', 'list-users', '--org', 'nope'], env);
    expect(noOrg.stderr).toContain('No organization with id or slug "nope"');

    const listed = JSON.parse(
      (await runCli(['admin', 'list-users', '--org', org.organizationId], env)).stdout,
    ) as TeamUser[];
    expect(listed.map((u) => [u.email, u.role, u.status])).toEqual([
      ['admin@initech.hiresignal.local', 'admin', 'active'],
      ['rae@initech.example', 'recruiter', 'invited'],
    ]);

    api = await startApi(env);
    if (embedded) {
      // The server holds the PGlite directory: the CLI must refuse, and say why and what to do.
      const refused = await runCli(['admin', 'list-users', '--org', 'initech'], env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('is in use by another HireSignal process');
      expect(refused.stderr).toContain('stop the server');
    }
    const signedIn = await accept(api, user.url, SET);
    expect(signedIn.status).toBe(200);
    expect(await signedIn.json()).toMatchObject({ email: 'rae@initech.example', role: 'recruiter' });

    if (embedded) {
      await api.stop();
      api = undefined;
    }
    const reset = await runCli(['admin', 'reset-password', '--email', 'RAE@initech.example'], env);
    expect(reset.code).toBe(0);
    const link = JSON.parse(reset.stdout) as { url: string };
    api ??= await startApi(env);
    expect((await accept(api, link.url, 'amber kettle orbit 77')).status).toBe(200);
    const login = await fetch(`${api.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'rae@initech.example', password: 'amber kettle orbit 77' }),
    });
    expect(login.status).toBe(200);
  });
});
