import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { ValidityReport } from '@hiresignal/shared';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/config';
import { DEMO_EMAIL, DemoSeeder } from '../../src/modules/demo/demo-seeder.service';
import { must } from '../support/test-app';

/*
 * The embedded mode that `npm start` uses: PGlite keeping its files in a directory. This suite always runs
 * embedded (that is what it tests); the demo organization is seeded through the real ingestion path.
 */
describe('embedded database: demo seeding and restart', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hiresignal-pglite-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const config = loadConfig({
    LOG_LEVEL: 'error',
    DEMO_APPLICATIONS: '400',
    DEMO_PASSWORD: 'demo-password-for-tests',
    WEB_DIST_DIR: 'tmp/no-web-build',
  });

  it('seeds the demo organization once, and keeps the data across a restart', async () => {
    const first = await createApp(config, { embeddedDataDir: dir, logger: ['error'] });
    let validity: ValidityReport;
    try {
      const seeded = await first.context.get(DemoSeeder).seedIfEmpty();
      expect(seeded).toMatchObject({ created: true, email: DEMO_EMAIL });
      expect(seeded.password).toBeUndefined(); // DEMO_PASSWORD was given, so nothing is generated or printed
      expect(seeded.apiKey).toMatch(/^hs_/);

      const agent = request.agent(first.http?.getHttpServer());
      const login = await agent
        .post('/api/v1/auth/login')
        .send({ email: DEMO_EMAIL, password: 'demo-password-for-tests' });
      expect(login.status).toBe(200);
      const res = await agent.get('/api/v1/analytics/validity?outcome=performance');
      expect(res.status).toBe(200);
      validity = res.body as ValidityReport;
      expect(validity.rubric).toMatchObject({ name: 'AI Engineer', version: 1, scaleMin: 1, scaleMax: 4 });
      expect(validity.criteria.map((c) => c.criterion)).toEqual([
        'fundamentals',
        'deployment_at_scale',
        'communication',
        'responsible_ai',
        'ownership',
      ]);
      for (const c of validity.criteria) expect(c.n).toBeGreaterThan(0);
    } finally {
      await first.close();
    }

    const second = await createApp(config, { embeddedDataDir: dir, logger: ['error'] });
    try {
      expect((await second.context.get(DemoSeeder).seedIfEmpty()).created).toBe(false);
      const agent = request.agent(second.http?.getHttpServer());
      await agent.post('/api/v1/auth/login').send({ email: DEMO_EMAIL, password: 'demo-password-for-tests' });
      const res = await agent.get('/api/v1/analytics/validity?outcome=performance');
      // The same report, recomputed after the restart (only the computation time differs).
      expect({ ...res.body, computedAt: null }).toEqual({ ...validity, computedAt: null });
    } finally {
      await second.close();
    }
  });

  it('prints a new demo password at a restart while the generated one was never used, and keeps it once used', async () => {
    const generated = loadConfig({
      LOG_LEVEL: 'error',
      DEMO_APPLICATIONS: '100',
      PASSWORD_HASH_LOG2_N: '12',
      WEB_DIST_DIR: 'tmp/no-web-build',
    });
    const ownDir = await mkdtemp(join(tmpdir(), 'hiresignal-pglite-'));
    const boot = async <T>(run: (app: Awaited<ReturnType<typeof createApp>>) => Promise<T>): Promise<T> => {
      const app = await createApp(generated, { embeddedDataDir: ownDir, logger: ['error'] });
      try {
        return await run(app);
      } finally {
        await app.close();
      }
    };
    const login = (app: Awaited<ReturnType<typeof createApp>>, password: string) =>
      request(must(app.http, 'the HTTP app').getHttpServer())
        .post('/api/v1/auth/login')
        .send({ email: DEMO_EMAIL, password })
        .then((res) => res.status);
    try {
      const first = await boot((app) => app.context.get(DemoSeeder).seedIfEmpty());
      expect(first).toMatchObject({ created: true });
      expect(first.password).toEqual(expect.any(String));

      // Restarted before anyone signed in: the first password was probably lost with its terminal.
      const second = await boot(async (app) => {
        const result = await app.context.get(DemoSeeder).seedIfEmpty();
        expect(result).toMatchObject({ created: false, renewed: true });
        expect(result.password).toEqual(expect.any(String));
        expect(result.password).not.toBe(first.password);
        expect(await login(app, first.password ?? '')).toBe(401);
        expect(await login(app, result.password ?? '')).toBe(200);
        return result;
      });

      // Once used, a restart leaves the password alone and prints none.
      await boot(async (app) => {
        const result = await app.context.get(DemoSeeder).seedIfEmpty();
        expect(result.created).toBe(false);
        expect(result.password).toBeUndefined();
        expect(result.renewed).toBeUndefined();
        expect(await login(app, second.password ?? '')).toBe(200);
      });
    } finally {
      await rm(ownDir, { recursive: true, force: true });
    }
  });
});
