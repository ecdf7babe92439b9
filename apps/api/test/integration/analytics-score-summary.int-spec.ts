import { DataSource } from 'typeorm';
import { IdentityService } from '../../src/modules/identity/identity.service';
import {
  AI_RUBRIC,
  bearer,
  createOrganization,
  ingest,
  startTestApp,
  type TestApp,
} from '../support/test-app';

/*
 * application_criterion_scores (the per application and criterion score sums behind the validity report) must stay
 * equal to a GROUP BY over interview_scores whatever writes the scores: the JSON ingestion (INSERT ... ON CONFLICT
 * DO UPDATE, which fires both the INSERT and the UPDATE trigger), plain UPDATEs that move a score to another key,
 * DELETEs, and an organization's cascade delete. Runs on PGlite by default and on PostgreSQL with DATABASE_URL.
 */

const SUMMARY = `
  SELECT application_external_id AS app, criterion, score_sum::float8 AS sum, score_count::int AS count
  FROM application_criterion_scores WHERE organization_id = $1 ORDER BY 1, 2`;
const RECOMPUTED = `
  SELECT application_external_id AS app, criterion, sum(score)::float8 AS sum, count(*)::int AS count
  FROM interview_scores WHERE organization_id = $1
  GROUP BY organization_id, rubric_name, rubric_version, application_external_id, criterion ORDER BY 1, 2`;

function score(app: string, interview: string, interviewer: string, criterion: string, value: number) {
  return {
    applicationId: app,
    interviewId: interview,
    interviewerId: interviewer,
    criterion,
    score: value,
    rubric: AI_RUBRIC.name,
    rubricVersion: AI_RUBRIC.version,
  };
}

describe('application_criterion_scores follows interview_scores', () => {
  let t: TestApp;
  let db: DataSource;
  let org: { organizationId: string; apiKey: string };

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.context.get(DataSource);
    org = await createOrganization(t, 'Summary Org');
    const res = await t.http.put('/api/v1/rubrics').set(bearer(org.apiKey)).send(AI_RUBRIC);
    expect(res.status).toBe(200);
  });
  afterAll(async () => t?.close());

  it('sums inserts, upserted updates, moved keys and deletes exactly', async () => {
    // A1 fundamentals: 3 (iv-1) + 4 (iv-2) = 7 over 2; A1 communication: 2 over 1; A2 fundamentals: 1.5 over 1.
    const first = await ingest(t, org.apiKey, 'interview_scores', [
      score('A1', 'I1', 'iv-1', 'fundamentals', 3),
      score('A1', 'I2', 'iv-2', 'fundamentals', 4),
      score('A1', 'I1', 'iv-1', 'communication', 2),
      score('A2', 'I3', 'iv-1', 'fundamentals', 1.5),
    ]);
    expect(first.status).toBe('completed');
    const q = (sql: string) => db.query(sql, [org.organizationId]) as Promise<Record<string, unknown>[]>;
    expect(await q(SUMMARY)).toEqual([
      { app: 'A1', criterion: 'communication', sum: 2, count: 1 },
      { app: 'A1', criterion: 'fundamentals', sum: 7, count: 2 },
      { app: 'A2', criterion: 'fundamentals', sum: 1.5, count: 1 },
    ]);

    // Re-import with iv-2's score changed to 1 (an upsert that updates) and one new row: A1 fundamentals 3 + 1 = 4.
    const second = await ingest(t, org.apiKey, 'interview_scores', [
      score('A1', 'I1', 'iv-1', 'fundamentals', 3),
      score('A1', 'I2', 'iv-2', 'fundamentals', 1),
      score('A2', 'I3', 'iv-2', 'communication', 4),
    ]);
    expect(second.status).toBe('completed');
    expect(await q(SUMMARY)).toEqual([
      { app: 'A1', criterion: 'communication', sum: 2, count: 1 },
      { app: 'A1', criterion: 'fundamentals', sum: 4, count: 2 },
      { app: 'A2', criterion: 'communication', sum: 4, count: 1 },
      { app: 'A2', criterion: 'fundamentals', sum: 1.5, count: 1 },
    ]);

    // An UPDATE that moves iv-1's A1 communication score to deployment_at_scale: the old key empties and goes.
    await db.query(
      `UPDATE interview_scores SET criterion = 'deployment_at_scale', score = 2.5
       WHERE organization_id = $1 AND application_external_id = 'A1' AND criterion = 'communication'`,
      [org.organizationId],
    );
    // A DELETE of one of A1's two fundamentals scores: 4 - 1 = 3 over 1.
    await db.query(
      `DELETE FROM interview_scores
       WHERE organization_id = $1 AND application_external_id = 'A1' AND interviewer_external_id = 'iv-2'`,
      [org.organizationId],
    );
    expect(await q(SUMMARY)).toEqual([
      { app: 'A1', criterion: 'deployment_at_scale', sum: 2.5, count: 1 },
      { app: 'A1', criterion: 'fundamentals', sum: 3, count: 1 },
      { app: 'A2', criterion: 'communication', sum: 4, count: 1 },
      { app: 'A2', criterion: 'fundamentals', sum: 1.5, count: 1 },
    ]);
    expect(await q(SUMMARY)).toEqual(await q(RECOMPUTED));

    // A multi-row INSERT ... SELECT (the shape of a bulk load), then a DELETE of everything of A2.
    await db.query(
      `INSERT INTO interview_scores (organization_id, interview_external_id, interviewer_external_id, criterion,
         application_external_id, score, rubric_name, rubric_version)
       SELECT $1, 'bulk-' || i, 'iv-' || (i % 3), 'ownership', 'A' || (1 + i % 2), 1 + i % 4, 'AI Engineer', 1
       FROM generate_series(1, 40) i`,
      [org.organizationId],
    );
    await db.query(
      `DELETE FROM interview_scores WHERE organization_id = $1 AND application_external_id = 'A2'`,
      [org.organizationId],
    );
    // A1 ownership: the even i from 2 to 40 (1 + i % 2 = 1), where 1 + i % 4 alternates 3, 1: ten of each, sum 40 over
    // 20 (the odd i went to A2, deleted).
    expect(await q(SUMMARY)).toEqual([
      { app: 'A1', criterion: 'deployment_at_scale', sum: 2.5, count: 1 },
      { app: 'A1', criterion: 'fundamentals', sum: 3, count: 1 },
      { app: 'A1', criterion: 'ownership', sum: 40, count: 20 },
    ]);
    expect(await q(SUMMARY)).toEqual(await q(RECOMPUTED));
  });

  it("empties with the organization's cascade delete", async () => {
    const other = await t.app.context
      .get(IdentityService)
      .createOrganization({ name: 'Short-lived', adminPassword: 'correct horse battery' });
    await db.query(
      `INSERT INTO rubrics (organization_id, name, version, scale_min, scale_max, criteria, is_default)
       VALUES ($1, 'R', 1, 1, 4, '[{"key":"x","label":"X"}]', true)`,
      [other.organizationId],
    );
    await db.query(
      `INSERT INTO interview_scores (organization_id, interview_external_id, interviewer_external_id, criterion,
         application_external_id, score, rubric_name, rubric_version)
       VALUES ($1, 'i', 'v', 'x', 'a', 3, 'R', 1)`,
      [other.organizationId],
    );
    const count = async () =>
      Number(
        (
          (await db.query(
            `SELECT count(*) AS n FROM application_criterion_scores WHERE organization_id = $1`,
            [other.organizationId],
          )) as { n: string }[]
        )[0].n,
      );
    expect(await count()).toBe(1);
    await db.query(`DELETE FROM organizations WHERE id = $1`, [other.organizationId]);
    expect(await count()).toBe(0);
  });
});
