import { DataSource } from 'typeorm';
import { IdentityService } from '../../src/modules/identity/identity.service';
import {
  AI_RUBRIC,
  bearer,
  createOrganization,
  ingest,
  startTestApp,
  usingRealServices,
  type TestApp,
} from '../support/test-app';

/*
 * application_criterion_scores (the per application and criterion score sums) and application_score_vectors (per
 * application its criterion means, which the validity report reads) must stay equal to a GROUP BY over
 * interview_scores whatever writes the scores: the JSON ingestion (INSERT ... ON CONFLICT
 * DO UPDATE, which fires both the INSERT and the UPDATE trigger), plain UPDATEs that move a score to another key,
 * DELETEs, and an organization's cascade delete. Runs on PGlite by default and on PostgreSQL with DATABASE_URL;
 * there, a further test has two transactions write scores of one application at once.
 */

const SUMMARY = `
  SELECT application_external_id AS app, criterion, score_sum::float8 AS sum, score_count::int AS count
  FROM application_criterion_scores WHERE organization_id = $1 ORDER BY 1, 2`;
const RECOMPUTED = `
  SELECT application_external_id AS app, criterion, sum(score)::float8 AS sum, count(*)::int AS count
  FROM interview_scores WHERE organization_id = $1
  GROUP BY organization_id, rubric_name, rubric_version, application_external_id, criterion ORDER BY 1, 2`;

const VECTORS = `
  SELECT application_external_id AS app, criteria, means
  FROM application_score_vectors WHERE organization_id = $1 ORDER BY 1`;
const VECTORS_RECOMPUTED = `
  SELECT app, array_agg(criterion ORDER BY criterion) AS criteria, array_agg(m ORDER BY criterion) AS means
  FROM (
    SELECT application_external_id AS app, criterion, avg(score)::float8 AS m FROM interview_scores
    WHERE organization_id = $1 GROUP BY application_external_id, criterion
  ) c
  GROUP BY app ORDER BY 1`;

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

describe('application_criterion_scores and application_score_vectors follow interview_scores', () => {
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
    expect(await q(VECTORS)).toEqual([
      { app: 'A1', criteria: ['communication', 'fundamentals'], means: [2, 3.5] },
      { app: 'A2', criteria: ['fundamentals'], means: [1.5] },
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
    expect(await q(VECTORS)).toEqual([
      { app: 'A1', criteria: ['communication', 'fundamentals'], means: [2, 2] },
      { app: 'A2', criteria: ['communication', 'fundamentals'], means: [4, 1.5] },
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
    expect(await q(VECTORS)).toEqual(await q(VECTORS_RECOMPUTED));

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
    // A2 lost its last score, so its vector is gone too.
    expect(await q(VECTORS)).toEqual([
      { app: 'A1', criteria: ['deployment_at_scale', 'fundamentals', 'ownership'], means: [2.5, 3, 2] },
    ]);
    expect(await q(VECTORS)).toEqual(await q(VECTORS_RECOMPUTED));
  });

  if (usingRealServices) {
    it('merges two transactions that write scores of one application at once', async () => {
      // A writes C1's fundamentals score and holds its transaction open; B writes C1's communication score, whose
      // vector update waits on A's row lock. After A commits, B's merge must start from A's vector: a vector
      // rebuilt from B's snapshot of the summary would lose A's criterion.
      const a = db.createQueryRunner();
      const b = db.createQueryRunner();
      const insert = (criterion: string, interviewer: string, value: number) =>
        `INSERT INTO interview_scores (organization_id, interview_external_id, interviewer_external_id, criterion,
           application_external_id, score, rubric_name, rubric_version)
         VALUES ('${org.organizationId}', 'IC-${interviewer}', '${interviewer}', '${criterion}', 'C1', ${value},
           'AI Engineer', 1)`;
      try {
        await a.startTransaction();
        await b.startTransaction();
        await a.query(insert('fundamentals', 'iv-1', 3));
        const bWrite = b.query(insert('communication', 'iv-2', 4));
        // Wait until B is blocked on A (a lock wait), so the two really overlap.
        for (let i = 0; ; i++) {
          const [row] = (await db.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity
             WHERE wait_event_type = 'Lock' AND datname = current_database()`,
          )) as { n: number }[];
          if (row.n > 0) break;
          if (i > 200) throw new Error('the second writer never waited for the first');
          await new Promise((r) => setTimeout(r, 25));
        }
        await a.commitTransaction();
        await bWrite;
        await b.commitTransaction();
      } finally {
        await a.release();
        await b.release();
      }
      const [vector] = (await db.query(
        `SELECT criteria, means FROM application_score_vectors
         WHERE organization_id = $1 AND application_external_id = 'C1'`,
        [org.organizationId],
      )) as { criteria: string[]; means: number[] }[];
      expect(vector).toEqual({ criteria: ['communication', 'fundamentals'], means: [4, 3] });
    });
  }

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
    const count = async (table: string) =>
      Number(
        (
          (await db.query(`SELECT count(*) AS n FROM ${table} WHERE organization_id = $1`, [
            other.organizationId,
          ])) as { n: string }[]
        )[0].n,
      );
    expect(await count('application_criterion_scores')).toBe(1);
    expect(await count('application_score_vectors')).toBe(1);
    await db.query(`DELETE FROM organizations WHERE id = $1`, [other.organizationId]);
    expect(await count('application_criterion_scores')).toBe(0);
    expect(await count('application_score_vectors')).toBe(0);
  });
});
