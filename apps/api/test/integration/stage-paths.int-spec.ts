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
 * times, and the application's status, dates, source and job, which the funnel report reads instead of grouping the
 * events and joining the applications) must stay equal to a from-scratch GROUP BY over stage_events and to the
 * applications rows whatever writes them: JSON ingestions running at once with overlapping applications and keys
 * (INSERT ... ON CONFLICT DO UPDATE fires both the INSERT and the UPDATE trigger), an idempotent re-import, an
 * upsert that changes an entry time, UPDATEs that move an event to another stage or change an application's key,
 * DELETEs of events and of applications, and an organization's cascade delete; no row may be left with neither. Runs on PGlite by default and on PostgreSQL with DATABASE_URL; there, a further test has two
 * transactions write events of one application at once.
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

describe('the stage paths follow stage_events', () => {
  let t: TestApp;
  let db: DataSource;
  let org: { organizationId: string; apiKey: string };
  const q = (sql: string) => db.query(sql, [org.organizationId]) as Promise<Record<string, unknown>[]>;
  const expectInStep = async () => {
    const paths = await q(PATHS);
    expect(paths).toEqual(await q(RECOMPUTED));
    expect(await q(APPLICATIONS)).toEqual(await q(APPLICATIONS_RECOMPUTED));
    expect(await q(EMPTY)).toEqual([{ n: 0 }]);
    return paths;
  };

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.context.get(DataSource);
    org = await createOrganization(t, 'Paths Org');
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

  it('needs no rebuild when the stage list changes: the report maps names at read time', async () => {
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
    const ab = await report(['a', 'b']);
    expect(ab.stages.map((s) => s.reached)).toEqual([1, 1, 1]);
    expect(ab.stages[1].daysInStage).toEqual({ n: 1, median: 2, p90: 2 });
    expect(ab.unmappedEvents).toBe(0);
    const ba = await report(['b', 'c', 'a']);
    // Furthest stage a (position 3); b's days run to the earliest later-listed event, a's, which is earlier in time.
    expect(ba.stages.map((s) => s.reached)).toEqual([1, 1, 1, 1]);
    expect(ba.stages[1].daysInStage).toEqual({ n: 1, median: -2, p90: -2 });
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
    await db.query(`DELETE FROM organizations WHERE id = $1`, [other.organizationId]);
    expect(await count()).toBe(0);
  });
});
