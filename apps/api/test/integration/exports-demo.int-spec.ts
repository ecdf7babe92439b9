import type { ExportCreated, ExportSummary, FunnelReport } from '@hiresignal/shared';
import { DataSource } from 'typeorm';
import { DemoSeeder } from '../../src/modules/demo/demo-seeder.service';
import { bearer, startTestApp, type TestApp } from '../support/test-app';

/*
 * The cohort export on the demo organization, seeded as `npm start` seeds it: the file has one row per application
 * of the cohort, in order, and its row count equals the cohort's applications counted another way (the database
 * directly, and the funnel report's `applications` for the same applied-date and source filters).
 */

const DEMO_KEY = `hs_${'d'.repeat(40)}`;

describe('cohort export on the demo organization (HTTP, real database and queue)', () => {
  let t: TestApp;
  const key = bearer(DEMO_KEY);

  async function exportCsv(filters: object): Promise<{ summary: ExportSummary; lines: string[] }> {
    const res = await t.http
      .post('/api/v1/exports')
      .set(key)
      .send({ report: 'cohort', format: 'csv', filters });
    expect(res.status).toBe(202);
    const { exportId } = res.body as ExportCreated;
    const deadline = Date.now() + 60_000;
    let summary: ExportSummary;
    for (;;) {
      summary = (await t.http.get(`/api/v1/exports/${exportId}`).set(key)).body as ExportSummary;
      if (summary.status === 'completed' || summary.status === 'failed') break;
      if (Date.now() > deadline) throw new Error(`export ${exportId} still ${summary.status}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const file = await t.http.get(`/api/v1/exports/${exportId}/download`).set(key);
    return { summary, lines: String(file.text).split('\r\n') };
  }

  beforeAll(async () => {
    t = await startTestApp({ DEMO_API_KEY: DEMO_KEY, DEMO_APPLICATIONS: '600' });
    await t.app.context.get(DemoSeeder).seedIfEmpty();
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  it('writes every application of the demo once, ordered by applied_at then id', async () => {
    const { summary, lines } = await exportCsv({});
    const db = t.app.context.get(DataSource);
    const expected = (
      (await db.query(
        `SELECT a.external_id FROM applications a JOIN organizations o ON o.id = a.organization_id
         WHERE o.slug = 'demo' ORDER BY a.applied_at, a.external_id`,
      )) as { external_id: string }[]
    ).map((r) => r.external_id);
    expect(expected).toHaveLength(600);
    expect(summary).toMatchObject({ status: 'completed', rowsWritten: 600 });
    expect(lines.slice(1, -1).map((l) => l.split(',')[0])).toEqual(expected);
  });

  it('counts the same applications as the funnel for the same cohort', async () => {
    // The demo's applications span the years before today: the last year's cohort is never empty.
    const yearAgo = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
    for (const query of ['source=referral', `appliedFrom=${yearAgo}`]) {
      const filters = Object.fromEntries(new URLSearchParams(query));
      const funnel = (await t.http.get(`/api/v1/analytics/funnel?${query}`).set(key)).body as FunnelReport;
      const { summary, lines } = await exportCsv(filters);
      expect({ query, rows: summary.rowsWritten }).toEqual({ query, rows: funnel.applications });
      expect(lines.length - 2).toBe(funnel.applications);
      expect(funnel.applications).toBeGreaterThan(0);
    }
  });
});
