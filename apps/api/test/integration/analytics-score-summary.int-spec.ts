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
 * application_criterion_scores (the per application and criterion score sums), application_score_vectors (per
 * application its criterion means, which the validity report reads), interview_score_units (per application and
 * criterion each interviewer's mean score) and interview_votes (per interview its score sum and recommendation
 * counts), which the calibration reports read, must stay equal to a GROUP BY over interview_scores whatever writes
 * the scores: the JSON ingestion (INSERT ... ON CONFLICT
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

const UNITS = `
  SELECT application_external_id AS app, criterion, interviewers, counts, means, mean_total AS total
  FROM interview_score_units WHERE organization_id = $1 ORDER BY 1, 2`;
const UNITS_RECOMPUTED = `
  SELECT app, criterion, array_agg(iv ORDER BY iv) AS interviewers, array_agg(n ORDER BY iv) AS counts,
    array_agg(m ORDER BY iv) AS means, sum(m ORDER BY iv) AS total
  FROM (
    SELECT application_external_id AS app, criterion, interviewer_external_id AS iv, count(*)::int AS n,
      avg(score)::float8 AS m
    FROM interview_scores WHERE organization_id = $1
    GROUP BY application_external_id, criterion, interviewer_external_id
  ) c
  GROUP BY app, criterion ORDER BY 1, 2`;

const VOTES = `
  SELECT application_external_id AS app, interviewer_external_id AS iv, interview_external_id AS interview,
    score_sum::float8 AS sum, score_count AS count, n_strong_no, n_no, n_yes, n_strong_yes
  FROM interview_votes WHERE organization_id = $1 ORDER BY 1, 2, 3`;
const VOTES_RECOMPUTED = `
  SELECT application_external_id AS app, interviewer_external_id AS iv, interview_external_id AS interview,
    sum(score)::float8 AS sum, count(*)::int AS count,
    count(*) FILTER (WHERE recommendation = 'strong_no')::int AS n_strong_no,
    count(*) FILTER (WHERE recommendation = 'no')::int AS n_no,
    count(*) FILTER (WHERE recommendation = 'yes')::int AS n_yes,
    count(*) FILTER (WHERE recommendation = 'strong_yes')::int AS n_strong_yes
  FROM interview_scores WHERE organization_id = $1
  GROUP BY application_external_id, interviewer_external_id, interview_external_id ORDER BY 1, 2, 3`;

function score(
  app: string,
  interview: string,
  interviewer: string,
  criterion: string,
  value: number,
  recommendation?: string,
) {
  return {
    ...(recommendation ? { recommendation } : {}),
    applicationId: app,
    interviewId: interview,
    interviewerId: interviewer,
    criterion,
    score: value,
    rubric: AI_RUBRIC.name,
    rubricVersion: AI_RUBRIC.version,
  };
}

describe('the score summaries (per criterion, per application, per unit) follow interview_scores', () => {
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
      score('A1', 'I1', 'iv-1', 'fundamentals', 3, 'yes'),
      score('A1', 'I2', 'iv-2', 'fundamentals', 4, 'strong_yes'),
      score('A1', 'I1', 'iv-1', 'communication', 2, 'no'),
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
    expect(await q(UNITS)).toEqual([
      { app: 'A1', criterion: 'communication', interviewers: ['iv-1'], counts: [1], means: [2], total: 2 },
      {
        app: 'A1',
        criterion: 'fundamentals',
        interviewers: ['iv-1', 'iv-2'],
        counts: [1, 1],
        means: [3, 4],
        total: 7,
      },
      { app: 'A2', criterion: 'fundamentals', interviewers: ['iv-1'], counts: [1], means: [1.5], total: 1.5 },
    ]);
    const vote = { n_strong_no: 0, n_no: 0, n_yes: 0, n_strong_yes: 0 };
    expect(await q(VOTES)).toEqual([
      { app: 'A1', iv: 'iv-1', interview: 'I1', sum: 5, count: 2, ...vote, n_no: 1, n_yes: 1 },
      { app: 'A1', iv: 'iv-2', interview: 'I2', sum: 4, count: 1, ...vote, n_strong_yes: 1 },
      { app: 'A2', iv: 'iv-1', interview: 'I3', sum: 1.5, count: 1, ...vote },
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
    // An UPDATE of recommendations only (no score changes): only the vote counts move.
    await db.query(
      `UPDATE interview_scores SET recommendation = 'strong_no'
       WHERE organization_id = $1 AND application_external_id = 'A2'`,
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
    expect(await q(UNITS)).toEqual(await q(UNITS_RECOMPUTED));
    expect(await q(VOTES)).toEqual(await q(VOTES_RECOMPUTED));

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
    // A1 ownership has repeated scores per interviewer (iv-<i % 3> over the even i): iv-0 at i = 6, 12, ..., 36
    // scores 3, 1, 3, 1, 3, 1 (mean 2); iv-1 at i = 4, 10, ..., 40 scores 1, 3, 1, 3, 1, 3, 1 (13 / 7); iv-2 at
    // i = 2, 8, ..., 38 scores 3, 1, 3, 1, 3, 1, 3 (15 / 7). Each is one rating; their sum is 2 + 28 / 7 = 6.
    const units = await q(UNITS);
    expect(units.find((u) => u['criterion'] === 'ownership')).toEqual({
      app: 'A1',
      criterion: 'ownership',
      interviewers: ['iv-0', 'iv-1', 'iv-2'],
      counts: [6, 7, 7],
      means: [2, 13 / 7, 15 / 7],
      total: 6,
    });
    expect(units).toEqual(await q(UNITS_RECOMPUTED));
    expect(await q(VOTES)).toEqual(await q(VOTES_RECOMPUTED));
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
        const bWrite = b.query(`${insert('communication', 'iv-2', 4)}; ${insert('fundamentals', 'iv-3', 2)}`);
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
      // iv-3's fundamentals score joins iv-1's in the same unit: mean (3 + 2) / 2 = 2.5, and a unit of two ratings.
      expect(vector).toEqual({ criteria: ['communication', 'fundamentals'], means: [4, 2.5] });
      const [unit] = (await db.query(
        `SELECT interviewers, means FROM interview_score_units
         WHERE organization_id = $1 AND application_external_id = 'C1' AND criterion = 'fundamentals'`,
        [org.organizationId],
      )) as { interviewers: string[]; means: number[] }[];
      expect(unit).toEqual({ interviewers: ['iv-1', 'iv-3'], means: [3, 2] });
    });
  }

  it("keeps every bit of non-terminating scores whatever the session's extra_float_digits", async () => {
    // With extra_float_digits = 0 a double goes through text with 15 significant digits, so a summary fed by a
    // text round trip would lose the last bits of 7/3; the summaries must equal the score rows' own sums exactly.
    const session = db.createQueryRunner();
    try {
      await session.query('SET extra_float_digits = 0');
      // One score per criterion (so each summary value is the score itself): 7/3 + i/7, none of them exact in
      // 15 digits.
      await session.query(
        `INSERT INTO interview_scores (organization_id, interview_external_id, interviewer_external_id, criterion,
           application_external_id, score, rubric_name, rubric_version)
         SELECT $1, 'F-1', 'iv-1', c, 'F1', 7.0 / 3 + i / 7.0, 'AI Engineer', 1
         FROM unnest(ARRAY['communication', 'fundamentals', 'ownership']) WITH ORDINALITY AS x(c, i)`,
        [org.organizationId],
      );
      await session.query('RESET extra_float_digits');
    } finally {
      await session.release();
    }
    const [row] = (await db.query(
      `WITH scores AS (
         SELECT array_agg(score ORDER BY criterion) AS a FROM interview_scores
         WHERE organization_id = $1 AND application_external_id = 'F1'
       )
       SELECT
         (SELECT array_agg(score_sum ORDER BY criterion) FROM application_criterion_scores
          WHERE organization_id = $1 AND application_external_id = 'F1') = scores.a AS summary_exact,
         (SELECT sums FROM application_score_vectors
          WHERE organization_id = $1 AND application_external_id = 'F1') = scores.a AS vector_exact,
         (SELECT array_agg(sums[1] ORDER BY criterion) FROM interview_score_units
          WHERE organization_id = $1 AND application_external_id = 'F1') = scores.a AS units_exact
       FROM scores`,
      [org.organizationId],
    )) as Record<string, boolean>[];
    expect(row).toEqual({ vector_exact: true, units_exact: true, summary_exact: true });
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
    expect(await count('interview_score_units')).toBe(1);
    expect(await count('interview_votes')).toBe(1);
    await db.query(`DELETE FROM organizations WHERE id = $1`, [other.organizationId]);
    expect(await count('application_criterion_scores')).toBe(0);
    expect(await count('application_score_vectors')).toBe(0);
    expect(await count('interview_score_units')).toBe(0);
    expect(await count('interview_votes')).toBe(0);
  });
});
