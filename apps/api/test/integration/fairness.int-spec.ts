import type {
  AdverseImpactReport,
  AdverseImpactStagesReport,
  AuditPage,
  BiasAuditReport,
  DifferentialValidityReport,
  SelectionGroup,
} from '@hiresignal/shared';
import { IdentityService } from '../../src/modules/identity/identity.service';
import {
  AI_RUBRIC,
  bearer,
  createOrganization,
  ingest,
  must,
  startTestApp,
  type TestApp,
} from '../support/test-app';

/*
 * The fairness definitions of PRODUCT.md on a hand-worked case, through HTTP on the real database (PGlite, or
 * PostgreSQL with DATABASE_URL). Stages: screen(1), onsite(2), hired(3); 'applied' is step 0. Small-cell k = 3 and
 * minimum sample 4 (organization settings). 109 applications, one candidate each:
 *
 *   group (sex|race)       hired  rej@applied rej@screen rej@onsite active@applied active@screen  total
 *   female|white   (fw)      4        8          4          4            1             1          22
 *   female|asian   (fa)      4        8          4          4                                     20
 *   male|white     (mw)     15        5          5          5                                     30
 *   male|asian     (ma)     15        5          5          5                                     30
 *   another|white  (aw)                1                                                           1
 *   no demographics row      1                               2                                     3
 *   declined (sex and race)                      3                                                3
 * Events: a hire has screen and onsite; rej@screen and active@screen have screen; rej@onsite has screen, onsite.
 * Furthest stage: hire 3 (a hire reaches the last stage), rej@onsite 2, @screen 1, @applied 0.
 *
 * Decision at stage position i: applicants = furthest > i (advanced, selected) + furthest = i and closed (exited);
 * in progress (active) left out. Hire: applicants = not active, selected = hired.
 *   applied (0): female = fw 13/21 (4 + 4 + 4 + the active one at screen; the active one at applied is in
 *                progress) + fa 12/20 = 25/41; male 25/30 + 25/30 = 50/60; another 0/1; unknown (no row 3 +
 *                declined 3) 6/6; total 108.
 *                female ratio (25/41)/(50/60) = 1500/2050 = 0.731707; 5 x 25 x 60 = 7500 < 4 x 50 x 41 = 8200: flag.
 *   screen (1):  female 16/24 (fw 8/12: the active one at screen is in progress), male 40/50, unknown 3 + 3 = 6;
 *                ratio (16/24)/(40/50) = 800/960 = 0.833333; 5 x 16 x 50 = 4000 >= 4 x 40 x 24 = 3840: no flag.
 *   onsite (2):  female 8/16, male 30/40, unknown (no row) 1/3; total 59; ratio 0.5/0.75 = 0.666667;
 *                5 x 8 x 40 = 1600 < 4 x 30 x 16 = 1920: flag.
 *   hired (3):   the 39 hires, each selected (a hire passes the last stage, as a list may end before 'hired'):
 *                39 applicants, every rate 1.
 *   hire:        female 8/40 = .2, male 30/60 = .5 (reference), another 0/1, unknown 1/6; total 107.
 *                ratio .2/.5 = .4, flagged (5 x 8 x 60 = 2400 < 4 x 30 x 40 = 4800).
 *                pooled z: p = 38/100, SE = sqrt(.38 x .62 x (1/40 + 1/60)) = sqrt(.2356 x .0416667) = 0.0990791,
 *                z = -.3 / 0.0990791 = -3.027884, two-sided p = 0.0024627; chi-square (female, male) = z² = 9.168081
 *                on 1 df; Fisher exact [[8, 32], [30, 30]] two-sided p = 0.0031299 (R fisher.test; scipy).
 *                another: 1 of the 101 known applicants: 50 x 1 < 101, excluded (under 2%); 1 < k: suppressed.
 *                Race at hire: white 20 + 30 + 1 = 51 with 4 + 15 = 19 hired, asian 50 with 19: reference asian
 *                (19/50 = .38 > 19/51), white ratio (19 x 50)/(19 x 51) = 50/51 = 0.980392.
 *
 * Suppression at the applied and hire decisions (k = 3): 'another' (1) is small, so is intersectional
 * another|white (1). In the sex table another = total - female - male - unknown: the smallest other cell of that
 * sum, the sex unknown count (6), is suppressed too ('complement'); in the intersectional table another|white =
 * total - the four shown cells - unknown: its unknown count (6) is suppressed too. Nothing else is needed: with both
 * unknown counts hidden, another = another|white + (people of sex another and unknown race) has two free terms.
 * At screen and onsite every cell, and every selected and not-selected count in it, has at least 3 people (or
 * none): nothing is suppressed.
 *
 * Bias audit, criterion fundamentals (one score per application: hire 4, rej@onsite and active@screen 3,
 * rej@screen and active@applied 2, rej@applied 1): 39 fours, 21 threes, 22 twos, 27 ones (109 scored); sorted, the
 * median (55th of 109) is 3, so "strictly above the median" = the 39 hires. female 8/42 = 0.190476, male 30/60 = .5;
 * female ratio (8 x 60)/(30 x 42) = 480/1260 = 0.380952.
 *
 * Differential validity, criterion communication (scored for hires only), outcome performance (latest rating);
 * the hire without demographics has no review, so its outcome is unknown and it is left out:
 *   female (fw and fa, 4 hires each): (communication, rating) = (1,3) (2,2) (3,4) (4,3), twice over:
 *     Sxx = 2 x 5, Sxy = 2 x 1, Syy = 2 x 2; r = 1 / sqrt(5 x 2) = 0.316228, n 8.
 *   male (mw and ma, 15 each): (1,2) (2,3) (3,3) (4,4) (4,5), six times over: per pattern x̄ 2.8, ȳ 3.4,
 *     Sxx 6.8, Sxy 5.4, Syy 5.2; r = 5.4 / sqrt(6.8 x 5.2) = 0.908108, n 30.
 *   z = (atanh .316228 - atanh .908108) / sqrt(1/5 + 1/27) = (0.327450 - 1.516630) / 0.486864 = -2.442524,
 *     two-sided p = 0.014585.
 *   Cleary, reference male (the larger group): separate lines female 2.5 + 0.2 x, male 1.176471 + 0.794118 x;
 *     slope difference 0.2 - 0.794118 = -0.594118, SSE = (4 - 2²/10) + (31.2 - 32.4²/40.8) = 3.6 + 5.470588
 *     = 9.070588 on 34 df; SE = sqrt(9.070588/34 x (1/10 + 1/40.8)) = 0.182256, t = -3.259811, p = 0.0025354.
 *     Common slope (2 + 32.4)/(10 + 40.8) = 0.677165; intercept difference (3 - 3.4) - 0.677165 (2.5 - 2.8)
 *     = -0.196850; SSE = 35.2 - 34.4²/50.8 = 11.905512 on 35 df; SE = sqrt(11.905512/35 x (1/8 + 1/30 + 0.09/50.8))
 *     = 0.233368, t = -0.843517, p = 0.40467.
 */

interface Person {
  group: 'fw' | 'fa' | 'mw' | 'ma' | 'aw' | 'none' | 'declined';
  fate: 'hired' | 'r0' | 'r1' | 'r2' | 'a0' | 'a1';
}

const COMPOSITION: [Person['group'], [Person['fate'], number][]][] = [
  [
    'fw',
    [
      ['hired', 4],
      ['r0', 8],
      ['r1', 4],
      ['r2', 4],
      ['a0', 1],
      ['a1', 1],
    ],
  ],
  [
    'fa',
    [
      ['hired', 4],
      ['r0', 8],
      ['r1', 4],
      ['r2', 4],
    ],
  ],
  [
    'mw',
    [
      ['hired', 15],
      ['r0', 5],
      ['r1', 5],
      ['r2', 5],
    ],
  ],
  [
    'ma',
    [
      ['hired', 15],
      ['r0', 5],
      ['r1', 5],
      ['r2', 5],
    ],
  ],
  ['aw', [['r0', 1]]],
  [
    'none',
    [
      ['hired', 1],
      ['r2', 2],
    ],
  ],
  ['declined', [['r1', 3]]],
];

const DEMOGRAPHICS: Record<Person['group'], { sex: string; raceEthnicity: string } | null> = {
  fw: { sex: 'female', raceEthnicity: 'white' },
  fa: { sex: 'female', raceEthnicity: 'asian' },
  mw: { sex: 'male', raceEthnicity: 'white' },
  ma: { sex: 'male', raceEthnicity: 'asian' },
  aw: { sex: 'another', raceEthnicity: 'white' },
  none: null,
  declined: { sex: 'declined', raceEthnicity: 'declined' },
};

const FEMALE_PAIRS: [number, number][] = [
  [1, 3],
  [2, 2],
  [3, 4],
  [4, 3],
];
const MALE_PAIRS: [number, number][] = [
  [1, 2],
  [2, 3],
  [3, 3],
  [4, 4],
  [4, 5],
];

const people: (Person & { id: string })[] = COMPOSITION.flatMap(([group, fates]) =>
  fates.flatMap(([fate, n]) => Array.from({ length: n }, () => ({ group, fate }))),
).map((p, i) => ({ ...p, id: `p${String(i).padStart(3, '0')}` }));

const FUNDAMENTALS: Record<Person['fate'], number> = { hired: 4, r2: 3, a1: 3, r1: 2, a0: 2, r0: 1 };
const EVENTS: Record<Person['fate'], string[]> = {
  hired: ['screen', 'onsite'],
  r2: ['screen', 'onsite'],
  r1: ['screen'],
  a1: ['screen'],
  r0: [],
  a0: [],
};

function records() {
  const applications = people.map((p) => ({
    applicationId: `app-${p.id}`,
    candidateId: `cand-${p.id}`,
    jobId: 'req-1',
    appliedAt: '2024-01-01T00:00:00Z',
    status: p.fate === 'hired' ? 'hired' : p.fate.startsWith('a') ? 'active' : 'rejected',
    ...(p.fate === 'hired' ? { hiredAt: '2024-02-01T00:00:00Z', decidedAt: '2024-02-01T00:00:00Z' } : {}),
  }));
  const events = people.flatMap((p) =>
    EVENTS[p.fate].map((stage, i) => ({
      applicationId: `app-${p.id}`,
      stage,
      enteredAt: `2024-01-${String(5 + 5 * i).padStart(2, '0')}T00:00:00Z`,
    })),
  );
  const demographics = people.flatMap((p) => {
    const d = DEMOGRAPHICS[p.group];
    return d ? [{ candidateId: `cand-${p.id}`, ...d }] : [];
  });
  const scores: Record<string, unknown>[] = people.map((p) => ({
    applicationId: `app-${p.id}`,
    interviewId: `int-${p.id}`,
    interviewerId: 'iv-1',
    criterion: 'fundamentals',
    score: FUNDAMENTALS[p.fate],
  }));
  const reviews: Record<string, unknown>[] = [];
  const counters: Record<string, number> = {};
  for (const p of people.filter((x) => x.fate === 'hired' && x.group !== 'none')) {
    const female = p.group === 'fw' || p.group === 'fa';
    const pairs = female ? FEMALE_PAIRS : MALE_PAIRS;
    const i = counters[p.group] ?? 0;
    counters[p.group] = i + 1;
    const [communication, rating] = pairs[i % pairs.length];
    scores.push({
      applicationId: `app-${p.id}`,
      interviewId: `int-${p.id}`,
      interviewerId: 'iv-1',
      criterion: 'communication',
      score: communication,
    });
    reviews.push({ applicationId: `app-${p.id}`, reviewDate: '2024-08-01', rating, reviewPeriod: '6m' });
  }
  return { applications, events, demographics, scores, reviews };
}

const byGroup = (groups: SelectionGroup[], group: string) =>
  must(
    groups.find((g) => g.group === group),
    group,
  );

describe('fairness views (hand-worked case, HTTP, real database)', () => {
  let t: TestApp;
  let admin: string;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    const org = await createOrganization(t);
    admin = org.apiKey;
    const identity = t.app.context.get(IdentityService);
    for (const role of ['recruiter', 'analyst', 'talent_leader'] as const) {
      keys[role] = (await identity.createApiKey(org.organizationId, role, role)).key;
    }
    expect((await t.http.put('/api/v1/rubrics').set(bearer(admin)).send(AI_RUBRIC)).status).toBe(200);
    const settings = await t.http
      .put('/api/v1/settings')
      .set(bearer(admin))
      .send({ smallCellK: 3, minimumSample: 4 });
    expect(settings.status).toBe(200);
    expect(settings.body).toMatchObject({ smallCellK: 3, minimumSample: 4 });
    const stages = await t.http
      .put('/api/v1/settings/pipeline-stages')
      .set(bearer(admin))
      .send({ stages: ['screen', 'onsite', 'hired'] });
    expect(stages.status).toBe(200);
    const r = records();
    for (const [kind, rows] of [
      ['applications', r.applications],
      ['stage_events', r.events],
      ['demographics', r.demographics],
      ['interview_scores', r.scores],
      ['performance_reviews', r.reviews],
    ] as const) {
      expect((await ingest(t, admin, kind, rows)).status).toBe('completed');
    }
  });

  afterAll(async () => {
    await t?.close();
  });

  it('reads and validates the small-cell threshold in the settings', async () => {
    const get = await t.http.get('/api/v1/settings').set(bearer(admin));
    expect(get.body).toMatchObject({ smallCellK: 3 });
    for (const bad of [0, 1001, 2.5]) {
      expect((await t.http.put('/api/v1/settings').set(bearer(admin)).send({ smallCellK: bad })).status).toBe(
        400,
      );
    }
  });

  it('computes adverse impact at the hire decision with tests against the reference group', async () => {
    const res = await t.http
      .get('/api/v1/analytics/adverse-impact?decision=hire&groupBy=sex')
      .set(bearer(keys['analyst']));
    expect(res.status).toBe(200);
    const body = res.body as AdverseImpactReport;
    expect(body).toMatchObject({
      decision: 'hire',
      groupBy: 'sex',
      applicants: 107,
      k: 3,
      referenceGroup: 'male',
    });
    const female = byGroup(body.groups, 'female');
    expect(female).toMatchObject({ applicants: 40, selected: 8, fourFifthsFlag: true, reference: false });
    expect(female.selectionRate).toBeCloseTo(0.2, 12);
    expect(female.impactRatio).toBeCloseTo(0.4, 12);
    expect(female.zP).toBeCloseTo(0.0024627, 6);
    expect(female.fisherP).toBeCloseTo(0.0031299, 6);
    expect(byGroup(body.groups, 'male')).toMatchObject({
      applicants: 60,
      selected: 30,
      reference: true,
      impactRatio: 1,
    });
    expect(body.chiSquare?.statistic).toBeCloseTo(9.168081, 5);
    expect(body.chiSquare?.df).toBe(1);
    // Suppression: another (1 < k) and, as its complement, the unknown count.
    expect(byGroup(body.groups, 'another')).toMatchObject({
      applicants: null,
      selected: null,
      selectionRate: null,
      impactRatio: null,
      // Neither the 2% flag nor the rule that hid it is stated: each would narrow its count.
      excluded: false,
      suppressed: true,
      suppressedReason: null,
    });
    expect(body.unknown).toBeNull();
    expect(body.unknownSuppressed).toBe(true);
  });

  it('takes race/ethnicity and intersectional groups, with unknown for no row or declined', async () => {
    const race = (
      await t.http.get('/api/v1/analytics/adverse-impact?groupBy=race_ethnicity').set(bearer(admin))
    ).body as AdverseImpactReport;
    expect(race).toMatchObject({ decision: 'hire', applicants: 107, unknown: 6, referenceGroup: 'asian' });
    expect(byGroup(race.groups, 'white')).toMatchObject({
      applicants: 51,
      selected: 19,
      fourFifthsFlag: false,
    });
    expect(byGroup(race.groups, 'white').impactRatio).toBeCloseTo(50 / 51, 12);
    const inter = (
      await t.http.get('/api/v1/analytics/adverse-impact?groupBy=intersectional').set(bearer(admin))
    ).body as AdverseImpactReport;
    expect(inter.unknown).toBeNull();
    expect(inter.unknownSuppressed).toBe(true);
    expect(byGroup(inter.groups, 'another|white')).toMatchObject({
      suppressed: true,
      suppressedReason: null,
    });
    expect(byGroup(inter.groups, 'female|asian')).toMatchObject({
      applicants: 20,
      selected: 4,
      label: 'Female, Asian',
    });
    // male|asian and male|white tie (15/30): the tie goes to the name that sorts first.
    expect(inter.referenceGroup).toBe('male|asian');
  });

  it('forms every stage decision from reached-and-concluded applications', async () => {
    const res = await t.http
      .get('/api/v1/analytics/adverse-impact/stages?groupBy=sex')
      .set(bearer(keys['talent_leader']));
    expect(res.status).toBe(200);
    const body = res.body as AdverseImpactStagesReport;
    expect(body.decisions.map((d) => d.decision)).toEqual(['applied', 'screen', 'onsite', 'hired', 'hire']);
    expect(body.decisions.map((d) => d.applicants)).toEqual([108, 80, 59, 39, 107]);
    const [applied, screen, onsite] = body.decisions;
    expect(byGroup(applied.groups, 'female')).toMatchObject({
      applicants: 41,
      selected: 25,
      fourFifthsFlag: true,
    });
    expect(byGroup(applied.groups, 'female').impactRatio).toBeCloseTo(0.731707, 6);
    expect(byGroup(screen.groups, 'female')).toMatchObject({
      applicants: 24,
      selected: 16,
      fourFifthsFlag: false,
    });
    expect(byGroup(screen.groups, 'female').impactRatio).toBeCloseTo(0.833333, 6);
    expect(screen.unknown).toBe(6);
    expect(byGroup(onsite.groups, 'female')).toMatchObject({
      applicants: 16,
      selected: 8,
      fourFifthsFlag: true,
    });
    expect(byGroup(onsite.groups, 'male')).toMatchObject({ applicants: 40, selected: 30 });
    expect(onsite.unknown).toBe(3);
    const single = (await t.http.get('/api/v1/analytics/adverse-impact?decision=onsite').set(bearer(admin)))
      .body as AdverseImpactReport;
    expect(byGroup(single.groups, 'female').impactRatio).toBeCloseTo(0.666667, 6);
  });

  it('answers the bias-audit tables with the median of all scored applications', async () => {
    const res = await t.http.get('/api/v1/analytics/bias-audit?criterion=fundamentals').set(bearer(admin));
    expect(res.status).toBe(200);
    const body = res.body as BiasAuditReport;
    expect(body).toMatchObject({ criterion: 'fundamentals', median: 3, scoredApplications: 109, k: 3 });
    const female = must(
      body.bySex.groups.find((g) => g.group === 'female'),
      'female',
    );
    expect(female).toMatchObject({ applicants: 42, aboveMedian: 8 });
    expect(female.impactRatio).toBeCloseTo(0.380952, 6);
    expect(body.bySex.referenceGroup).toBe('male');
    expect(body.bySex.groups.find((g) => g.group === 'another')).toMatchObject({ suppressed: true });
    expect(body.selection.bySex.groups.find((g) => g.group === 'female')).toMatchObject({
      applicants: 40,
      aboveMedian: 8,
    });
    expect(body.definitions.length).toBeGreaterThan(3);
  });

  it('compares validity between groups with z and the Cleary regression', async () => {
    const res = await t.http
      .get('/api/v1/analytics/differential-validity?criterion=communication&outcome=performance&groupBy=sex')
      .set(bearer(admin));
    expect(res.status).toBe(200);
    const body = res.body as DifferentialValidityReport;
    expect(body).toMatchObject({ minimumSample: 4, unknown: 0, heterogeneity: null });
    const female = must(
      body.groups.find((g) => g.group === 'female'),
      'female',
    );
    const male = must(
      body.groups.find((g) => g.group === 'male'),
      'male',
    );
    expect(female).toMatchObject({ n: 8, insufficient: false, suppressed: false });
    expect(female.r).toBeCloseTo(0.316228, 6);
    expect(male.n).toBe(30);
    expect(male.r).toBeCloseTo(0.908108, 6);
    expect(body.difference?.groups).toEqual(['female', 'male']);
    expect(body.difference?.z).toBeCloseTo(-2.442524, 5);
    expect(body.difference?.p).toBeCloseTo(0.014585, 5);
    const cleary = must(body.cleary, 'cleary');
    expect(cleary.referenceGroup).toBe('male');
    expect(cleary.n).toBe(38);
    expect(cleary.slopeDifference.estimate).toBeCloseTo(-0.594118, 6);
    expect(cleary.slopeDifference.t).toBeCloseTo(-3.259811, 5);
    expect(cleary.slopeDifference.df2).toBe(34);
    expect(cleary.slopeDifference.p).toBeCloseTo(0.0025354, 6);
    expect(cleary.interceptDifference.estimate).toBeCloseTo(-0.19685, 5);
    expect(cleary.interceptDifference.t).toBeCloseTo(-0.843517, 5);
    expect(cleary.interceptDifference.p).toBeCloseTo(0.40467, 4);
  });

  it('rejects invalid queries with 422 and lets only admins, talent leaders and analysts in', async () => {
    for (const url of [
      '/api/v1/analytics/adverse-impact?groupBy=age',
      '/api/v1/analytics/adverse-impact?decision=nowhere',
      '/api/v1/analytics/adverse-impact?bogus=1',
      '/api/v1/analytics/bias-audit?criterion=charisma',
      '/api/v1/analytics/differential-validity?outcome=vibes',
      '/api/v1/analytics/adverse-impact/stages?appliedFrom=2024-02-01&appliedTo=2024-01-01',
    ]) {
      const res = await t.http.get(url).set(bearer(admin));
      expect([url, res.status]).toEqual([url, 422]);
      expect(res.body).toMatchObject({ statusCode: 422, errors: expect.any(Array) });
    }
    for (const url of [
      '/api/v1/analytics/adverse-impact',
      '/api/v1/analytics/adverse-impact/stages',
      '/api/v1/analytics/bias-audit',
      '/api/v1/analytics/differential-validity',
    ]) {
      expect([url, (await t.http.get(url).set(bearer(keys['recruiter']))).status]).toEqual([url, 403]);
      expect([url, (await t.http.get(url).set(bearer(keys['analyst']))).status]).toEqual([url, 200]);
      expect([url, (await t.http.get(url).set(bearer(keys['talent_leader']))).status]).toEqual([url, 200]);
    }
  });

  it('writes one audit entry per fairness request, none for refused ones', async () => {
    const before = (await t.http.get('/api/v1/audit-log?action=fairness.read&limit=500').set(bearer(admin)))
      .body as AuditPage;
    await t.http
      .get('/api/v1/analytics/adverse-impact?decision=screen&groupBy=race_ethnicity')
      .set(bearer(keys['analyst']));
    await t.http.get('/api/v1/analytics/adverse-impact').set(bearer(keys['recruiter']));
    const after = (await t.http.get('/api/v1/audit-log?action=fairness.read&limit=500').set(bearer(admin)))
      .body as AuditPage;
    expect(after.entries.length).toBe(before.entries.length + 1);
    const latest = after.entries[0];
    expect(latest).toMatchObject({
      action: 'fairness.read',
      target: { type: 'analytics', id: 'adverse-impact' },
      detail: { route: '/api/v1/analytics/adverse-impact', decision: 'screen', groupBy: 'race_ethnicity' },
    });
    expect(latest.actor.apiKeyName).toBe('analyst');
  });
});
