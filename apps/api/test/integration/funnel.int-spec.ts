import type { FunnelReport, PipelineStagesSetting } from '@hiresignal/shared';
import { wilsonInterval } from '@hiresignal/stats';
import { DataSource } from 'typeorm';
import {
  bearer,
  createOrganization,
  ingest,
  startTestApp,
  usingRealServices,
  type TestApp,
} from '../support/test-app';

/*
 * The funnel definitions of PRODUCT.md on a hand-worked case, through HTTP on the real database (PGlite, or
 * PostgreSQL with DATABASE_URL). Stages: screen(1), tech(2), onsite(3), offer(4), hired(5); "applied" is step 0.
 * Every application applied 2024-01-01 00:00Z except H (2024-02-01). Events (2024 dates, 00:00Z):
 *
 *   app source   job    status          events                                          furthest
 *   A   referral req-1  hired 02-05     screen 01-03, tech 01-10, onsite 01-20,          5 (hired)
 *                                       offer 02-01, hired 02-05
 *   B   linkedin req-1  hired 02-10     screen 01-02, onsite 01-12 (tech, offer and       5 (a hire reached the
 *                                       hired skipped: no event)                          last stage)
 *   C   linkedin req-1  rejected        screen 01-05, tech 01-08                          2
 *   D   referral req-1  withdrawn       screen 01-04                                      1
 *   E   referral req-1  offer_declined  screen 01-03, tech 01-06, onsite 01-09, offer 01-15  4
 *   F   linkedin req-1  active          screen 01-06, tech 01-11                          2
 *   G   agency   req-2  rejected        (none)                                            0
 *   H   agency   req-2  active (02-01)  (none)                                            0
 *   I   linkedin req-1  rejected        phone_call 01-01 12:00 (not in the list), screen 01-02   1
 *
 * Per stage (reached = furthest >= s; advanced = furthest > s; exited = furthest = s and rejected, withdrawn or
 * offer_declined; in progress = furthest = s and active):
 *   applied: reached 9, advanced 7 (all but G, H), exited 1 (G), in progress 1 (H); pass 7/(7+1) = .875
 *   screen:  reached 7, advanced 5 (A B C E F), exited 2 (D withdrawn, I rejected), in progress 0; pass 5/7
 *   tech:    reached 5 (A B C E F; B skipped it: counts as reached and passed), advanced 3 (A B E), exited 1 (C),
 *            in progress 1 (F); pass 3/(3+1) = .75 (F is not in the denominator)
 *   onsite:  reached 3 (A B E), advanced 3 (E's furthest is offer), exited 0; pass 3/3 = 1
 *   offer:   reached 3, advanced 2 (A B), exited 1 (E, offer_declined); pass 2/3
 *   hired:   reached 2, advanced 0, exited 0: pass null, days null
 *   conversion from applied = reached / 9: 1, 7/9, 5/9, 3/9, 3/9, 2/9
 *
 * Days in stage (advanced from s with an event at s; to the earliest event at a later stage; B's missing hired
 * event is its hired_at, 02-10); percentiles by linear interpolation, h = (n - 1) p:
 *   applied: A 2, B 1, C 4, D 3, E 2, F 5, I 1 (I's unmapped 01-01 event does not count) -> 1 1 2 2 3 4 5, n 7
 *            median x[3] = 2; p90 h = 5.4 -> 4 + .4 x (5 - 4) = 4.4
 *   screen:  A 01-03 -> tech 01-10 = 7, B 01-02 -> onsite 01-12 = 10, C 3, E 3, F 5 -> 3 3 5 7 10, n 5
 *            median 5; p90 h = 3.6 -> 7 + .6 x 3 = 8.8
 *   tech:    A 01-10 -> 01-20 = 10, E 01-06 -> 01-09 = 3 (B has no tech event) -> 3 10, n 2
 *            median h = .5 -> 6.5; p90 h = .9 -> 3 + .9 x 7 = 9.3
 *   onsite:  A 01-20 -> offer 02-01 = 12, B 01-12 -> hired_at 02-10 = 29, E 01-09 -> 01-15 = 6 -> 6 12 29, n 3
 *            median 12; p90 h = 1.8 -> 12 + .8 x 17 = 25.6
 *   offer:   A 02-01 -> 02-05 = 4 (B has no offer event), n 1: median 4, p90 4
 * Time to hire: A 35 days, B 40 days: median 37.5, p90 35 + .9 x 5 = 39.5.
 * Offer acceptance: hired 2 / (2 + declined 1) = 2/3.
 * Unmapped: 1 event (phone_call), counted and kept out of every stage.
 *
 * By source, with the hires' quality (success threshold 4; both hires are past their first 365 days):
 *   linkedin: 4 applications (B C F I), 1 hire (B), 1 in progress (F); B's latest rating 4 (after a 2), but a
 *             voluntary_regretted separation 2024-06-01 inside 365 days: success 0 of 1; mean latest rating 4, n 1
 *   referral: 3 applications (A D E), 1 hire (A): latest rating 5 (the earlier 3 ignored), success 1 of 1
 *   agency:   2 applications (G H), 0 hires, 1 in progress: no rating, no success (n 0)
 *   sorted by hires, then applications: linkedin, referral, agency
 * By month (cohort = application month): 2024-01 8 applications, 2 hires, 1 in progress (F); 2024-02 1, 0, 1 (H).
 * Another organization holds the same application ids, all rejected: nothing of it may appear.
 */

const STAGES = ['screen', 'tech', 'onsite', 'offer', 'hired'];

const APPS = [
  { id: 'A', source: 'referral', job: 1, status: 'hired', hiredAt: '2024-02-05T00:00:00Z' },
  { id: 'B', source: 'linkedin', job: 1, status: 'hired', hiredAt: '2024-02-10T00:00:00Z' },
  { id: 'C', source: 'linkedin', job: 1, status: 'rejected' },
  { id: 'D', source: 'referral', job: 1, status: 'withdrawn' },
  { id: 'E', source: 'referral', job: 1, status: 'offer_declined' },
  { id: 'F', source: 'linkedin', job: 1, status: 'active' },
  { id: 'G', source: 'agency', job: 2, status: 'rejected' },
  { id: 'H', source: 'agency', job: 2, status: 'active', appliedAt: '2024-02-01T00:00:00Z' },
  { id: 'I', source: 'linkedin', job: 1, status: 'rejected' },
];

const EVENTS: [string, string, string][] = [
  ['A', 'screen', '01-03'],
  ['A', 'tech', '01-10'],
  ['A', 'onsite', '01-20'],
  ['A', 'offer', '02-01'],
  ['A', 'hired', '02-05'],
  ['B', 'screen', '01-02'],
  ['B', 'onsite', '01-12'],
  ['C', 'screen', '01-05'],
  ['C', 'tech', '01-08'],
  ['D', 'screen', '01-04'],
  ['E', 'screen', '01-03'],
  ['E', 'tech', '01-06'],
  ['E', 'onsite', '01-09'],
  ['E', 'offer', '01-15'],
  ['F', 'screen', '01-06'],
  ['F', 'tech', '01-11'],
  ['I', 'phone_call', '01-01T12:00:00Z'],
  ['I', 'screen', '01-02'],
];

function applications(prefix: string, allRejected = false) {
  return APPS.map((a) => ({
    applicationId: `${prefix}-${a.id}`,
    candidateId: `${prefix}-cand-${a.id}`,
    jobId: `req-${a.job}`,
    jobTitle: a.job === 1 ? 'AI Engineer' : 'Data Engineer',
    department: a.job === 1 ? 'AI Engineering' : 'Data',
    source: a.source,
    appliedAt: a.appliedAt ?? '2024-01-01T00:00:00Z',
    status: allRejected ? 'rejected' : a.status,
    ...(a.hiredAt && !allRejected ? { hiredAt: a.hiredAt, decidedAt: a.hiredAt } : {}),
  }));
}

function events(prefix: string) {
  return EVENTS.map(([id, stage, date]) => ({
    applicationId: `${prefix}-${id}`,
    stage,
    enteredAt: date.includes('T') ? `2024-${date}` : `2024-${date}T00:00:00Z`,
  }));
}

describe('recruiter funnel (hand-worked case, HTTP, real database)', () => {
  let t: TestApp;
  let org: { organizationId: string; apiKey: string };
  let key: string;
  let adminOther: string;

  beforeAll(async () => {
    t = await startTestApp();
    org = await createOrganization(t);
    key = org.apiKey;
    adminOther = (await createOrganization(t, 'Other Co')).apiKey;
    for (const [k, prefix, allRejected] of [
      [adminOther, 'app', true],
      [key, 'app', false],
    ] as const) {
      expect((await ingest(t, k, 'stage_events', events(prefix))).status).toBe('completed');
      expect((await ingest(t, k, 'applications', applications(prefix, allRejected))).status).toBe(
        'completed',
      );
    }
    const reviews = [
      { applicationId: 'app-A', reviewDate: '2024-08-05', rating: 3, reviewPeriod: '6m' },
      { applicationId: 'app-A', reviewDate: '2025-02-05', rating: 5, reviewPeriod: '12m' },
      { applicationId: 'app-B', reviewDate: '2024-03-10', rating: 2 },
      { applicationId: 'app-B', reviewDate: '2024-05-10', rating: 4 },
    ];
    expect((await ingest(t, key, 'performance_reviews', reviews)).status).toBe('completed');
    const separations = [
      { applicationId: 'app-B', separatedAt: '2024-06-01', separationType: 'voluntary_regretted' },
    ];
    expect((await ingest(t, key, 'separations', separations)).status).toBe('completed');
  });

  afterAll(async () => {
    await t?.close();
  });

  it('defaults the stage list from the data in its usual order, then takes the organization list', async () => {
    /*
     * Mean position of each stage among its application's events ordered by time:
     *   phone_call 1 (I); screen (1 x 6 + 2 for I) / 7 = 1.14; tech 2; onsite (3 + 2 + 3) / 3 = 2.67; offer 4; hired 5
     */
    const before = await t.http.get('/api/v1/settings/pipeline-stages').set(bearer(key));
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({
      source: 'data',
      configured: null,
      stages: ['phone_call', ...STAGES],
    });
    const put = await t.http
      .put('/api/v1/settings/pipeline-stages')
      .set(bearer(key))
      .send({ stages: STAGES });
    expect(put.status).toBe(200);
    const body = put.body as PipelineStagesSetting;
    expect(body).toMatchObject({ source: 'settings', configured: STAGES, stages: STAGES });
    expect(body.seen.find((s) => s.stage === 'phone_call')).toEqual({
      stage: 'phone_call',
      events: 1,
      mapped: false,
    });
    expect(body.seen.find((s) => s.stage === 'screen')).toEqual({ stage: 'screen', events: 7, mapped: true });
    const bad = await t.http
      .put('/api/v1/settings/pipeline-stages')
      .set(bearer(key))
      .send({ stages: ['screen', 'screen'] });
    expect(bad.status).toBe(400);
  });

  it('counts reached, advanced, exited and in progress per stage as worked by hand', async () => {
    const res = await t.http.get('/api/v1/analytics/funnel').set(bearer(key));
    expect(res.status).toBe(200);
    const body = res.body as FunnelReport;
    expect(body.stagesSource).toBe('settings');
    expect(body.applications).toBe(9);
    expect(body.unmappedEvents).toBe(1);
    expect(body.unmappedStages).toEqual([{ stage: 'phone_call', events: 1 }]);
    expect(body.stages.map((s) => s.stage)).toEqual(['applied', ...STAGES]);
    expect(body.stages.map((s) => [s.reached, s.advanced, s.exited, s.inProgress])).toEqual([
      [9, 7, 1, 1],
      [7, 5, 2, 0],
      [5, 3, 1, 1],
      [3, 3, 0, 0],
      [3, 2, 1, 0],
      [2, 0, 0, 0],
    ]);
    const expectedPass: [number, number][] = [
      [7, 8],
      [5, 7],
      [3, 4],
      [3, 3],
      [2, 3],
    ];
    expectedPass.forEach(([advanced, concluded], i) => {
      const stage = body.stages[i];
      const ci = wilsonInterval(advanced, concluded);
      expect(stage.passThroughRate).toBeCloseTo(advanced / concluded, 12);
      expect(stage.passThroughCiLow).toBeCloseTo(ci?.ciLow ?? NaN, 12);
      expect(stage.passThroughCiHigh).toBeCloseTo(ci?.ciHigh ?? NaN, 12);
    });
    // tech: 3 of 4, the Wilson interval worked by hand in libs/stats wilson.spec.ts: 0.300641 to 0.954413.
    expect(body.stages[2].passThroughCiLow).toBeCloseTo(0.300641, 5);
    expect(body.stages[2].passThroughCiHigh).toBeCloseTo(0.954413, 5);
    expect(body.stages[5]).toMatchObject({
      passThroughRate: null,
      passThroughCiLow: null,
      passThroughCiHigh: null,
      daysInStage: null,
    });
    expect(body.stages.map((s) => s.conversionFromApplied)).toEqual([1, 7 / 9, 5 / 9, 3 / 9, 3 / 9, 2 / 9]);
  });

  it('summarizes days in stage and time to hire by linear interpolation as worked by hand', async () => {
    const body = (await t.http.get('/api/v1/analytics/funnel').set(bearer(key))).body as FunnelReport;
    const days = body.stages.map((s) => s.daysInStage);
    const expected = [
      { n: 7, median: 2, p90: 4.4 },
      { n: 5, median: 5, p90: 8.8 },
      { n: 2, median: 6.5, p90: 9.3 },
      { n: 3, median: 12, p90: 25.6 },
      { n: 1, median: 4, p90: 4 },
    ];
    expected.forEach((e, i) => {
      expect(days[i]?.n).toBe(e.n);
      expect(days[i]?.median).toBeCloseTo(e.median, 9);
      expect(days[i]?.p90).toBeCloseTo(e.p90, 9);
    });
    expect(body.timeToHire.n).toBe(2);
    expect(body.timeToHire.median).toBeCloseTo(37.5, 9);
    expect(body.timeToHire.p90).toBeCloseTo(39.5, 9);
    const ci = wilsonInterval(2, 3);
    expect(body.offerAcceptance).toEqual({
      hired: 2,
      declined: 1,
      rate: 2 / 3,
      ciLow: ci?.ciLow,
      ciHigh: ci?.ciHigh,
    });
  });

  it("judges sources by their hires' latest rating and success, and groups the cohort by application month", async () => {
    const body = (await t.http.get('/api/v1/analytics/funnel').set(bearer(key))).body as FunnelReport;
    expect(
      body.bySource.map((g) => [
        g.key,
        g.applications,
        g.hires,
        g.inProgress,
        g.meanLatestRating,
        g.meanLatestRatingN,
        g.successRate,
        g.successN,
      ]),
    ).toEqual([
      ['linkedin', 4, 1, 1, 4, 1, 0, 1],
      ['referral', 3, 1, 0, 5, 1, 1, 1],
      ['agency', 2, 0, 1, null, 0, null, 0],
    ]);
    expect(body.bySource[0].hireRate).toBe(1 / 4);
    expect(body.bySource[0].hireRateCiLow).toBeCloseTo(wilsonInterval(1, 4)?.ciLow ?? NaN, 12);
    expect(body.byJob.map((g) => [g.key, g.label, g.applications, g.hires])).toEqual([
      ['req-1', 'AI Engineer (req-1)', 7, 2],
      ['req-2', 'Data Engineer (req-2)', 2, 0],
    ]);
    expect(body.byDepartment.map((g) => [g.key, g.applications, g.hires])).toEqual([
      ['AI Engineering', 7, 2],
      ['Data', 2, 0],
    ]);
    expect(body.byMonth.map((m) => [m.month, m.applications, m.hires, m.inProgress])).toEqual([
      ['2024-01', 8, 2, 1],
      ['2024-02', 1, 0, 1],
    ]);
  });

  it('chooses the cohort by applied date and applies the other filters', async () => {
    const feb = (await t.http.get('/api/v1/analytics/funnel?appliedFrom=2024-02-01').set(bearer(key)))
      .body as FunnelReport;
    expect(feb.filters).toEqual({ appliedFrom: '2024-02-01' });
    expect(feb.applications).toBe(1);
    expect(feb.stages[0]).toMatchObject({ reached: 1, advanced: 0, inProgress: 1, passThroughRate: null });
    const jan = (await t.http.get('/api/v1/analytics/funnel?appliedTo=2024-01-01').set(bearer(key)))
      .body as FunnelReport;
    expect(jan.applications).toBe(8);
    // linkedin: B C F I. applied 4 -> screen 4 -> tech 3 (B skipped, C, F) -> onsite 1 (B) -> hired 1.
    const linkedin = (await t.http.get('/api/v1/analytics/funnel?source=linkedin').set(bearer(key)))
      .body as FunnelReport;
    expect(linkedin.stages.map((s) => s.reached)).toEqual([4, 4, 3, 1, 1, 1]);
    expect(linkedin.unmappedEvents).toBe(1);
    const bad = await t.http.get('/api/v1/analytics/funnel?hiredFrom=2024-01-01').set(bearer(key));
    expect(bad.status).toBe(422);
    const order = await t.http
      .get('/api/v1/analytics/funnel?appliedFrom=2024-02-02&appliedTo=2024-02-01')
      .set(bearer(key));
    expect(order.status).toBe(422);
  });

  it('reads whole months from the cells and the days around them from the applications', async () => {
    const get = async (query: string) =>
      (await t.http.get(`/api/v1/analytics/funnel?${query}`).set(bearer(key))).body as FunnelReport;
    // January whole and February 1 to 15: all 9 (H applied 02-01).
    const both = await get('appliedFrom=2024-01-01&appliedTo=2024-02-15');
    expect(both.applications).toBe(9);
    expect(both.byMonth.map((m) => [m.month, m.applications])).toEqual([
      ['2024-01', 8],
      ['2024-02', 1],
    ]);
    // December 15 to 31 (nobody) and January whole: the 8 of January.
    const january = await get('appliedFrom=2023-12-15&appliedTo=2024-01-31');
    expect(january.applications).toBe(8);
    expect(january.stages.map((s) => s.reached)).toEqual([8, 7, 5, 3, 3, 2]);
    // Inside one month, no whole month: February 1 only.
    expect((await get('appliedFrom=2024-02-01&appliedTo=2024-02-01')).applications).toBe(1);
    expect((await get('appliedFrom=2024-02-02&appliedTo=2024-02-28')).applications).toBe(0);
  });

  it('gives the same days in stage read by bucket for the organization and read whole for a cohort', async () => {
    // The whole organization's percentiles come from the order statistics found through funnel_day_buckets, a
    // cohort's from percentile_cont over its days: by applied date (grouped by stage) or by job (per stage, in
    // index order). A date filter that keeps everyone must give the same figures to the last bit.
    const get = async (query: string) =>
      (await t.http.get(`/api/v1/analytics/funnel${query}`).set(bearer(key))).body as FunnelReport;
    const figures = (r: FunnelReport) => ({
      days: r.stages.map((s) => s.daysInStage),
      timeToHire: r.timeToHire,
      reached: r.stages.map((s) => s.reached),
    });
    const whole = await get('');
    expect(figures(await get('?appliedFrom=2023-01-01'))).toEqual(figures(whole));
    expect(figures(await get('?appliedTo=2030-12-31'))).toEqual(figures(whole));
    const job = await get('?jobId=req-1');
    expect(figures(await get('?jobId=req-1&appliedFrom=2023-01-01'))).toEqual(figures(job));
    // req-1 is everyone but G and H, who have no events: the same days as the organization's.
    expect(figures(job).days).toEqual(figures(whole).days);
  });

  it('keeps organizations apart: the other organization sees only its own rejections', async () => {
    const body = (await t.http.get('/api/v1/analytics/funnel').set(bearer(adminOther))).body as FunnelReport;
    expect(body.applications).toBe(9);
    expect(body.stagesSource).toBe('data');
    expect(body.offerAcceptance.hired).toBe(0);
    expect(body.bySource.every((g) => g.hires === 0)).toBe(true);
  });

  it('answers from the cache until the data version changes', async () => {
    const first = (await t.http.get('/api/v1/analytics/funnel').set(bearer(key))).body as FunnelReport;
    const again = (await t.http.get('/api/v1/analytics/funnel').set(bearer(key))).body as FunnelReport;
    expect(again.computedAt).toBe(first.computedAt);
    const run = await ingest(t, key, 'stage_events', [
      { applicationId: 'app-G', stage: 'screen', enteredAt: '2024-01-02T00:00:00Z' },
    ]);
    expect(run.status).toBe('completed');
    const after = (await t.http.get('/api/v1/analytics/funnel').set(bearer(key))).body as FunnelReport;
    expect(after.dataVersion).not.toBe(first.dataVersion);
    expect(after.stages[1].reached).toBe(8);
  });
  if (usingRealServices) {
    it('reads the cells and day buckets the same while their deltas wait to be folded together', async () => {
      // Another transaction holds the merge lock, so the report after a change reads the cells' and buckets' new
      // deltas beside their sums; once the lock is free, the next report folds them, with the same figures.
      const db = t.app.context.get(DataSource);
      const unmerged = () =>
        db.query(
          `SELECT (SELECT count(*) FROM funnel_cells WHERE organization_id = $1 AND NOT merged)::int
             + (SELECT count(*) FROM funnel_day_buckets WHERE organization_id = $1 AND NOT merged)::int AS n`,
          [org.organizationId],
        ) as Promise<{ n: number }[]>;
      const figures = (r: FunnelReport) => ({ ...r, computedAt: null, dataVersion: null });
      const holder = db.createQueryRunner();
      let during: FunnelReport;
      try {
        await holder.startTransaction();
        await holder.query(
          `SELECT pg_advisory_xact_lock(hashtextextended('hiresignal:funnel-merge:' || $1, 0))`,
          [org.organizationId],
        );
        const run = await ingest(t, key, 'stage_events', [
          { applicationId: 'app-H', stage: 'screen', enteredAt: '2024-02-03T06:00:00Z' },
          { applicationId: 'app-C', stage: 'tech', enteredAt: '2024-01-09T00:00:00Z' },
        ]);
        expect(run.status).toBe('completed');
        during = (await t.http.get('/api/v1/analytics/funnel').set(bearer(key))).body as FunnelReport;
        expect((await unmerged())[0].n).toBeGreaterThan(0);
      } finally {
        await holder.rollbackTransaction();
        await holder.release();
      }
      await db.query(`UPDATE organizations SET data_version = data_version + 1 WHERE id = $1`, [
        org.organizationId,
      ]);
      const after = (await t.http.get('/api/v1/analytics/funnel').set(bearer(key))).body as FunnelReport;
      expect(await unmerged()).toEqual([{ n: 0 }]);
      expect(figures(during)).toEqual(figures(after));
      // H now reached screen (G did in the test before); C's tech moved from 01-08 to 01-09, so screen's days
      // are A 7, B 10, C 4, E 3, F 5: n 5, median 5.
      expect(after.stages[1].reached).toBe(9);
      expect(after.stages[1].daysInStage).toMatchObject({ n: 5, median: 5 });
    });
  }
});
