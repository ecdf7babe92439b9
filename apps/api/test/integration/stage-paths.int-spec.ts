import type { FunnelReport } from '@hiresignal/shared';
import { DataSource } from 'typeorm';
import { IdentityService } from '../../src/modules/identity/identity.service';
import {
  bearer,
  createOrganization,
  ingest,
  startTestApp,
  usingRealServices,
  type TestApp,
} from '../support/test-app';

/*
 * application_stage_paths (migration 1765500000000: per application the stage names of its events with their entry
 * times, and the application's status, dates, source and job) and the funnel summaries kept from it (1766000000000:
 * funnel_cells, the applications per source, job, month, status and set of stage names; application_stage_days,
 * the days in each stage of the organization's list; funnel_day_buckets, those days counted per 1/16-day bucket,
 * source and job)
 * must stay equal to a from-scratch computation over stage_events and the applications rows whatever writes them:
 * JSON ingestions running at once with overlapping applications and keys (INSERT ... ON CONFLICT DO UPDATE fires
 * both the INSERT and the UPDATE trigger), an idempotent re-import, an upsert that changes an entry time, UPDATEs
 * that move an event to another stage or change an application's key, DELETEs of events and of applications, and an
 * organization's cascade delete; no path may be left with neither events nor an application. The days in stage are
 * recomputed here from the definition (PRODUCT.md "Funnel definitions") with a window over each application's entry
 * times, not with the trigger's function. Runs on PGlite by default and on PostgreSQL with DATABASE_URL; there, a
 * further test has two transactions write events of one application at once.
 */

const PATHS = `
  SELECT application_external_id AS app, stages, entered, counts
  FROM application_stage_paths WHERE organization_id = $1 AND cardinality(stages) > 0 ORDER BY 1`;
const RECOMPUTED = `
  SELECT application_external_id AS app, array_agg(stage ORDER BY stage, entered_at) AS stages,
    array_agg(entered_at ORDER BY stage, entered_at) AS entered, array_agg(1 ORDER BY stage, entered_at) AS counts
  FROM stage_events WHERE organization_id = $1
  GROUP BY application_external_id ORDER BY 1`;

const APPLICATIONS = `
  SELECT application_external_id AS app, status, applied_at, applied_month, hired_at, source, job_external_id AS job
  FROM application_stage_paths WHERE organization_id = $1 AND applied_at IS NOT NULL ORDER BY 1`;
const APPLICATIONS_RECOMPUTED = `
  SELECT external_id AS app, status, applied_at, date_trunc('month', applied_at AT TIME ZONE 'UTC') AS applied_month,
    hired_at, source, job_external_id AS job
  FROM applications WHERE organization_id = $1 ORDER BY 1`;
/** The cells (sums of their deltas) against the applications and the stage names of their events. */
const CELLS = `
  SELECT source, job_external_id AS job, applied_month, status, stages, sum(applications)::int AS n
  FROM funnel_cells WHERE organization_id = $1
  GROUP BY 1, 2, 3, 4, 5 HAVING sum(applications) <> 0 ORDER BY 1, 2, 3, 4, 5`;
const CELLS_RECOMPUTED = `
  SELECT a.source, a.job_external_id AS job, date_trunc('month', a.applied_at AT TIME ZONE 'UTC') AS applied_month,
    a.status,
    COALESCE((SELECT array_agg(e.stage ORDER BY e.stage) FROM stage_events e
      WHERE e.organization_id = a.organization_id AND e.application_external_id = a.external_id), '{}') AS stages,
    count(*)::int AS n
  FROM applications a WHERE a.organization_id = $1
  GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`;

/** The days in stage kept for the list of funnel_stage_lists, with the columns the filters read. */
const DAYS = `
  SELECT d.application_external_id AS app, d.position, d.days, d.source, d.job_external_id AS job, d.applied_at
  FROM application_stage_days d WHERE d.organization_id = $1 ORDER BY 1, 2`;
/**
 * The same from the definition, for the list $2 (K stages): per application its entry time at each position it has
 * one (0: applied_at; i: its event at the list's stage i; K: a hire without that event enters it at hired_at), and
 * at each of those the days to the earliest entry at a later position, where there is one (it advanced from there).
 */
const DAYS_RECOMPUTED = `
  WITH apps AS (
    SELECT external_id AS app, applied_at, status, hired_at, source, job_external_id AS job
    FROM applications WHERE organization_id = $1
  ),
  entries AS (
    SELECT app, 0 AS position, applied_at AS t FROM apps
    UNION ALL
    SELECT e.application_external_id, array_position($2::text[], e.stage), e.entered_at
    FROM stage_events e JOIN apps ON apps.app = e.application_external_id
    WHERE e.organization_id = $1 AND e.stage = ANY ($2::text[])
    UNION ALL
    SELECT app, cardinality($2::text[]), hired_at FROM apps
    WHERE status = 'hired' AND hired_at IS NOT NULL AND NOT EXISTS (
      SELECT FROM stage_events e WHERE e.organization_id = $1 AND e.application_external_id = apps.app
        AND e.stage = ($2::text[])[cardinality($2::text[])])
  ),
  timed AS (
    SELECT app, position, t,
      min(t) OVER (PARTITION BY app ORDER BY position ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS next_t
    FROM entries
  )
  SELECT x.app, x.position, date_part('epoch', x.next_t - x.t) / 86400 AS days, a.source, a.job, a.applied_at
  FROM timed x JOIN apps a ON a.app = x.app
  WHERE x.next_t IS NOT NULL ORDER BY 1, 2`;
const BUCKETS = `
  SELECT position, bucket, source, job_external_id AS job, sum(days)::int AS n FROM funnel_day_buckets
  WHERE organization_id = $1
  GROUP BY 1, 2, 3, 4 HAVING sum(days) <> 0 ORDER BY 1, 2, 3, 4`;
const BUCKETS_RECOMPUTED = `
  SELECT position, floor(days * 16) / 16 AS bucket, source, job_external_id AS job, count(*)::int AS n
  FROM application_stage_days WHERE organization_id = $1 GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`;

/** Rows that hold neither events nor an application must not be left behind. */
const EMPTY = `
  SELECT count(*)::int AS n FROM application_stage_paths
  WHERE organization_id = $1 AND applied_at IS NULL AND cardinality(stages) = 0`;

const day = (d: number, hour = 0) =>
  new Date(Date.UTC(2024, 0, 1 + d, hour)).toISOString().replace('.000Z', 'Z');

function event(app: string, stage: string, d: number, hour = 0) {
  return { applicationId: app, stage, enteredAt: day(d, hour) };
}

function applications(from: number, to: number, status: string) {
  const out: Record<string, string>[] = [];
  for (let i = from; i <= to; i++) {
    out.push({
      applicationId: `P${i}`,
      candidateId: `c${i}`,
      jobId: `job-${i % 3}`,
      source: i % 2 === 0 ? 'referral' : 'agency',
      appliedAt: day(i - 1),
      status,
      ...(status === 'hired' ? { hiredAt: day(i + 30) } : {}),
    });
  }
  return out;
}

/** Events of applications P<from>..P<to> at the given stages; `shift` moves their times (a re-import that changes them). */
function batch(from: number, to: number, stages: string[], shift = 0) {
  const out: ReturnType<typeof event>[] = [];
  for (let i = from; i <= to; i++) {
    stages.forEach((stage, s) => out.push(event(`P${i}`, stage, i + s * 3, shift)));
  }
  return out;
}

/** The stage list of the organization of the first test, set before any write: its days are kept throughout. */
const LIST = ['s1', 's2', 's3', 's4', 's5', 'hired'];

describe('the stage paths follow stage_events', () => {
  let t: TestApp;
  let db: DataSource;
  let org: { organizationId: string; apiKey: string };
  const q = (sql: string, params: unknown[] = []) =>
    db.query(sql, [org.organizationId, ...params]) as Promise<Record<string, unknown>[]>;
  const expectInStep = async () => {
    const paths = await q(PATHS);
    expect(paths).toEqual(await q(RECOMPUTED));
    expect(await q(APPLICATIONS)).toEqual(await q(APPLICATIONS_RECOMPUTED));
    expect(await q(EMPTY)).toEqual([{ n: 0 }]);
    expect(await q(CELLS)).toEqual(await q(CELLS_RECOMPUTED));
    const days = await q(DAYS);
    expect(days).toEqual(await q(DAYS_RECOMPUTED, [LIST]));
    expect(await q(BUCKETS)).toEqual(await q(BUCKETS_RECOMPUTED));
    return paths;
  };

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.context.get(DataSource);
    org = await createOrganization(t, 'Paths Org');
    const put = await t.http
      .put('/api/v1/settings/pipeline-stages')
      .set(bearer(org.apiKey))
      .send({ stages: LIST });
    expect(put.status).toBe(200);
    expect(await q(`SELECT stages FROM funnel_stage_lists WHERE organization_id = $1`)).toEqual([
      { stages: LIST },
    ]);
  });
  afterAll(async () => t?.close());

  it('stays equal to a recomputation through overlapping imports, re-imports, moves and deletes', async () => {
    // Five imports at once: P1..P20 at s1 s2 s3; P10..P30 at s3 s4 s5 with other times (their s3 events collide
    // with the first import's for P10..P20, so one import inserts and the other updates them); P15..P25 at s1 s2
    // again, shifted by an hour; and the applications P5..P35, twice with different statuses.
    const runs = await Promise.all([
      ingest(t, org.apiKey, 'stage_events', batch(1, 20, ['s1', 's2', 's3'])),
      ingest(t, org.apiKey, 'applications', applications(5, 35, 'active')),
      ingest(t, org.apiKey, 'stage_events', batch(10, 30, ['s3', 's4', 's5'], 5)),
      ingest(t, org.apiKey, 'applications', applications(5, 35, 'hired')),
      ingest(t, org.apiKey, 'stage_events', batch(15, 25, ['s1', 's2'], 1)),
    ]);
    expect(runs.map((r) => r.status)).toEqual([
      'completed',
      'completed',
      'completed',
      'completed',
      'completed',
    ]);
    const first = await expectInStep();
    expect(first).toHaveLength(30);
    // Days in every position of the list but the last, among them hires entering 'hired' at hired_at.
    expect(new Set((await q(DAYS)).map((r) => r['position']))).toEqual(new Set([0, 1, 2, 3, 4, 5]));
    // Each stage at most once per application (the events' unique key), each with count 1.
    for (const row of first) {
      const stages = row['stages'] as string[];
      expect(new Set(stages).size).toBe(stages.length);
      expect(row['counts']).toEqual(stages.map(() => 1));
    }

    // An idempotent re-import of what is stored: nothing changes.
    const stored = (await q(
      `SELECT application_external_id AS app, stage, entered_at FROM stage_events WHERE organization_id = $1`,
    )) as { app: string; stage: string; entered_at: Date }[];
    const again = await ingest(
      t,
      org.apiKey,
      'stage_events',
      stored.map((e) => ({ applicationId: e.app, stage: e.stage, enteredAt: e.entered_at.toISOString() })),
    );
    expect(again.status).toBe('completed');
    expect(await expectInStep()).toEqual(first);

    // An upsert that changes P1's s2 entry time (and adds s9 to P1), then the same import twice at once.
    const change = [event('P1', 's2', 40), event('P1', 's9', 41)];
    await Promise.all([
      ingest(t, org.apiKey, 'stage_events', change),
      ingest(t, org.apiKey, 'stage_events', change),
    ]);
    const p1 = (await expectInStep()).find((r) => r['app'] === 'P1');
    expect(p1).toEqual({
      app: 'P1',
      stages: ['s1', 's2', 's3', 's9'],
      entered: [new Date(day(1)), new Date(day(40)), new Date(day(7)), new Date(day(41))],
      counts: [1, 1, 1, 1],
    });

    // UPDATEs that move events to another stage (one application, then a stage for several at once), and one
    // that moves every s4 time by a day.
    await db.query(
      `UPDATE stage_events SET stage = 'moved' WHERE organization_id = $1 AND application_external_id = 'P1'
         AND stage = 's2'`,
      [org.organizationId],
    );
    await db.query(`UPDATE stage_events SET stage = 'late_s5' WHERE organization_id = $1 AND stage = 's5'`, [
      org.organizationId,
    ]);
    await db.query(
      `UPDATE stage_events SET entered_at = entered_at + interval '1 day' WHERE organization_id = $1
         AND stage = 's4'`,
      [org.organizationId],
    );
    const moved = await expectInStep();
    expect(moved.find((r) => r['app'] === 'P1')?.['stages']).toEqual(['moved', 's1', 's3', 's9']);
    expect(moved.some((r) => (r['stages'] as string[]).includes('s5'))).toBe(false);

    // DELETEs: one event, then every event of P2 (its path goes), then a bulk INSERT ... SELECT.
    await db.query(
      `DELETE FROM stage_events WHERE organization_id = $1 AND application_external_id = 'P3' AND stage = 's1'`,
      [org.organizationId],
    );
    await db.query(`DELETE FROM stage_events WHERE organization_id = $1 AND application_external_id = 'P2'`, [
      org.organizationId,
    ]);
    await db.query(
      `INSERT INTO stage_events (organization_id, application_external_id, stage, entered_at)
       SELECT $1, 'Q' || i, s, timestamptz '2024-03-01' + i * interval '1 hour'
       FROM generate_series(1, 50) i, unnest(ARRAY['s1', 's2']) s`,
      [org.organizationId],
    );
    const last = await expectInStep();
    expect(last.find((r) => r['app'] === 'P2')).toBeUndefined();
    expect(last.find((r) => r['app'] === 'P3')?.['stages']).toEqual(['s2', 's3']);
    expect(last).toHaveLength(29 + 50);

    // Applications: a re-import that changes a status, a DELETE of one with events (its path stays) and of one
    // without (its row goes), an UPDATE that changes a key, and a DELETE of the events of an application (its row
    // stays for the application).
    const rejected = await ingest(t, org.apiKey, 'applications', applications(30, 32, 'rejected'));
    expect(rejected.status).toBe('completed');
    await db.query(`DELETE FROM applications WHERE organization_id = $1 AND external_id IN ('P10', 'P33')`, [
      org.organizationId,
    ]);
    await db.query(
      `UPDATE applications SET external_id = 'P34-renamed' WHERE organization_id = $1 AND external_id = 'P34'`,
      [org.organizationId],
    );
    await db.query(`DELETE FROM stage_events WHERE organization_id = $1 AND application_external_id = 'P5'`, [
      org.organizationId,
    ]);
    await expectInStep();
    const [row] = await q(
      `SELECT count(*) FILTER (WHERE application_external_id = 'P10' AND applied_at IS NULL)::int AS p10,
         count(*) FILTER (WHERE application_external_id IN ('P33', 'P34'))::int AS gone,
         count(*) FILTER (WHERE application_external_id = 'P5' AND cardinality(stages) = 0)::int AS p5,
         count(*) FILTER (WHERE application_external_id = 'P31' AND status = 'rejected')::int AS p31
       FROM application_stage_paths WHERE organization_id = $1`,
    );
    expect(row).toEqual({ p10: 1, gone: 0, p5: 1, p31: 1 });
  });

  it('rebuilds the days in stage when the stage list changes; the cells need no rebuild', async () => {
    const other = await createOrganization(t, 'Paths List Org');
    await ingest(t, other.apiKey, 'applications', [
      {
        applicationId: 'L1',
        candidateId: 'c1',
        jobId: 'j',
        source: 'x',
        appliedAt: '2024-01-01T00:00:00Z',
        status: 'active',
      },
    ]);
    await ingest(t, other.apiKey, 'stage_events', [event('L1', 'a', 1), event('L1', 'b', 3)]);
    const report = async (stages: string[]) => {
      const put = await t.http
        .put('/api/v1/settings/pipeline-stages')
        .set(bearer(other.apiKey))
        .send({ stages });
      expect(put.status).toBe(200);
      const res = await t.http.get('/api/v1/analytics/funnel').set(bearer(other.apiKey));
      expect(res.status).toBe(200);
      return res.body as FunnelReport;
    };
    const days = () =>
      db.query(
        `SELECT position, days FROM application_stage_days WHERE organization_id = $1 ORDER BY position`,
        [other.organizationId],
      ) as Promise<{ position: number; days: number }[]>;
    const ab = await report(['a', 'b']);
    expect(await days()).toEqual([
      { position: 0, days: 1 },
      { position: 1, days: 2 },
    ]);
    expect(ab.stages.map((s) => s.reached)).toEqual([1, 1, 1]);
    expect(ab.stages[1].daysInStage).toEqual({ n: 1, median: 2, p90: 2 });
    expect(ab.unmappedEvents).toBe(0);
    const ba = await report(['b', 'c', 'a']);
    // Furthest stage a (position 3); b's days run to the earliest later-listed event, a's, which is earlier in time.
    expect(ba.stages.map((s) => s.reached)).toEqual([1, 1, 1, 1]);
    expect(ba.stages[1].daysInStage).toEqual({ n: 1, median: -2, p90: -2 });
    // Applied to b (day 3), b to a (day 1), c has no event: the days follow the new list.
    expect(await days()).toEqual([
      { position: 0, days: 1 },
      { position: 1, days: -2 },
    ]);
    const onlyB = await report(['b']);
    expect(onlyB.stages.map((s) => s.reached)).toEqual([1, 1]);
    expect(onlyB.unmappedEvents).toBe(1);
    expect(onlyB.unmappedStages).toEqual([{ stage: 'a', events: 1 }]);
  });

  if (usingRealServices) {
    it('merges two transactions that write events of one application at once', async () => {
      // A writes C1's s1 event and holds its transaction open; B writes C1's s2 and s1 events, so its insert waits
      // on A's (the events' unique key) and its path merge on A's row lock. After A commits, B's merge must start
      // from A's path: a path rebuilt from B's snapshot of the events would lose A's event.
      const a = db.createQueryRunner();
      const b = db.createQueryRunner();
      const insert = (stage: string, d: number) =>
        `INSERT INTO stage_events (organization_id, application_external_id, stage, entered_at)
         VALUES ('${org.organizationId}', 'C1', '${stage}', '${day(d)}')
         ON CONFLICT (organization_id, application_external_id, stage) DO UPDATE SET entered_at = EXCLUDED.entered_at`;
      try {
        await a.startTransaction();
        await b.startTransaction();
        await a.query(insert('s1', 1));
        const bWrite = b.query(`${insert('s2', 2)}; ${insert('s1', 3)}`);
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
      const paths = await expectInStep();
      expect(paths.find((r) => r['app'] === 'C1')).toEqual({
        app: 'C1',
        stages: ['s1', 's2'],
        entered: [new Date(day(3)), new Date(day(2))],
        counts: [1, 1],
      });
    });
  }

  it("empties with the organization's cascade delete", async () => {
    const other = await t.app.context
      .get(IdentityService)
      .createOrganization({ name: 'Short-lived', adminPassword: 'correct horse battery' });
    await db.query(
      `INSERT INTO stage_events (organization_id, application_external_id, stage, entered_at)
       VALUES ($1, 'a', 's1', now()), ($1, 'a', 's2', now()), ($1, 'b', 's1', now())`,
      [other.organizationId],
    );
    const count = async () =>
      Number(
        (
          (await db.query(`SELECT count(*) AS n FROM application_stage_paths WHERE organization_id = $1`, [
            other.organizationId,
          ])) as { n: string }[]
        )[0].n,
      );
    await db.query(
      `INSERT INTO applications (organization_id, external_id, candidate_external_id, job_external_id, applied_at,
         status)
       VALUES ($1, 'a', 'c', 'j', now(), 'active'), ($1, 'z', 'c', 'j', now(), 'active')`,
      [other.organizationId],
    );
    expect(await count()).toBe(3);
    await db.query(`SELECT funnel_refresh($1, ARRAY['s1', 's2'])`, [other.organizationId]);
    const summaries = async () =>
      (await db.query(
        `SELECT (SELECT count(*) FROM funnel_cells WHERE organization_id = $1)::int AS cells,
           (SELECT count(*) FROM application_stage_days WHERE organization_id = $1)::int AS days,
           (SELECT count(*) FROM funnel_day_buckets WHERE organization_id = $1)::int AS buckets,
           (SELECT count(*) FROM funnel_stage_lists WHERE organization_id = $1)::int AS lists`,
        [other.organizationId],
      )) as Record<string, number>[];
    // a: applied, s1, s2 (days at positions 0 and 1, a bucket each); z: applied only. A cell each (other stages).
    expect(await summaries()).toEqual([{ cells: 2, days: 2, buckets: 2, lists: 1 }]);
    await db.query(`DELETE FROM organizations WHERE id = $1`, [other.organizationId]);
    expect(await count()).toBe(0);
    expect(await summaries()).toEqual([{ cells: 0, days: 0, buckets: 0, lists: 0 }]);
  });
});
