import type {
  InterviewersReport,
  OrganizationSettings,
  ReliabilityReport,
  ValidityReport,
} from '@hiresignal/shared';
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
 * Binary outcomes, settings, interviewer calibration and reliability on a tiny data set computed by hand.
 *
 * Eleven hires H1..H11 and two rejected applicants R1, R2. Interviewer iv-a scores every application in one interview
 * (recommendation "yes", except R1 "no"); iv-b scores `communication` of H1..H6 in a second interview ("strong_yes").
 *
 *        fundamentals  rating        separation                         success (threshold 4)  retention
 *   H1   1             3             -                                  no                     yes
 *   H2   2             4             -                                  yes                    yes
 *   H3   2             2             -                                  no                     yes
 *   H4   3             5             -                                  yes                    yes
 *   H5   3             3             -                                  no                     yes
 *   H6   4             5             -                                  yes                    yes
 *   H7   4             5 (recent)    -   hired 100 days ago             too recent             too recent
 *   H8   4             -             involuntary, day 153               no (known)             no
 *   H9   3             -             -                                  no review: too recent  yes
 *   H10  1             5             voluntary_regretted, day 275       no                     no
 *   H11  2             4             voluntary_non_regretted, day 214   yes                    no
 * (H1..H6, H8..H11 hired 2024-03-01.)
 *
 * Success AUC of fundamentals: positives {2 (H2), 3, 4, 2 (H11)}, negatives {1, 2, 3, 4, 1}; pairs won, ties 1/2:
 *   score 2: 1 + .5 + 0 + 0 + 1 = 2.5 (twice) ; score 3: 1 + 1 + .5 + 0 + 1 = 3.5 ; score 4: 1 + 1 + 1 + .5 + 1 = 4.5
 *   AUC = (2.5 + 2.5 + 3.5 + 4.5) / 20 = 13 / 20 = 0.65; n = 9; nExcludedTooRecent = 2 (H7, H9).
 * Point-biserial: mean score of successes 11/4 = 2.75, of failures 11/5 = 2.2; population SD of the 9 scores
 *   sqrt(64/9 - (22/9)^2) = 1.065740; r_pb = (2.75 - 2.2) / 1.065740 * sqrt(4/9 * 5/9) = 0.256439.
 * Retention AUC: retained {1, 2, 2, 3, 3, 4, 3}, left {4 (H8), 1 (H10), 2 (H11)}:
 *   1: 0 + .5 + 0 = .5; 2: 0 + 1 + .5 = 1.5 (x2); 3: 0 + 1 + 1 = 2 (x3); 4: .5 + 1 + 1 = 2.5
 *   AUC = (.5 + 3 + 6 + 2.5) / 21 = 12 / 21 = 0.571429; n = 10; nExcludedTooRecent = 1 (H7).
 * With the success threshold raised to 5: positives {3 (H4), 4 (H6)}, negatives {1, 2, 2, 3, 4, 1, 2}:
 *   3: 1 + 1 + 1 + .5 + 0 + 1 + 1 = 5.5; 4: 1 + 1 + 1 + 1 + .5 + 1 + 1 = 6.5; AUC = 12 / 14 = 0.857143.
 *
 * Leniency: iv-a and iv-b share `communication` on H1..H6: iv-a 2, 2, 2, 2, 2, 3 and iv-b 3, 3, 3, 3, 3, 3.
 *   iv-b's differences 1, 1, 1, 1, 1, 0: mean 5/6 = 0.833333, SD sqrt(1/6) = 0.408248, t(.975, 5) = 2.570582,
 *   half-width 2.570582 * 0.408248 / sqrt 6 = 0.428430, interval [0.404903, 1.261763]; iv-a the mirror image.
 * Agreement with the decision: iv-a 13 decisions (11 hires advanced with "yes"; R1 "no" and rejected agrees; R2 "yes"
 *   and rejected disagrees) = 12/13; iv-b 6/6.
 * Reliability of `communication`: units (2,3) x5, (3,3) x1 and the single rating (2) x7 (H7..H11, R1, R2).
 *   One-way, unbalanced (every rated candidate counts; N = 19 ratings on a = 13 candidates): grand mean 45/19,
 *   SS between = 10 (2.5 - 45/19)^2 + 2 (3 - 45/19)^2 + 7 (2 - 45/19)^2 = 73/38, BMS = 73/456 = 0.160088;
 *   WMS = 2.5 / (19 - 13) = 5/12; k0 = (19 - (5*4 + 4 + 7)/19) / 12 = 55/38;
 *   ICC(1,1) = (BMS - WMS) / (BMS + (k0 - 1) WMS) = -117/158 = -0.740506.
 *   Two-way on the panel (iv-a, iv-b), its 6 candidates: grand g = 31/12, JMS = 6 ((13/6 - g)^2 + (3 - g)^2) = 2.083333,
 *   BMS = 2 (5 (2.5 - g)^2 + (3 - g)^2) / 5 = 0.083333,
 *   EMS = (2.5 - 2.083333) / 5 = 0.083333 = BMS, so ICC(2,1) = ICC(2,k) = 0.
 *   Krippendorff (single ratings are unpairable and drop out): o(2,3) = o(3,2) = 5, o(3,3) = 2; n_2 = 5, n_3 = 7, n = 12;
 *   alpha = 1 - (n - 1) * 10 / (2 * 5 * 7) = 1 - 110 / 70 = -0.571429 (interval; ordinal is the same with 2 values).
 */

const DAY = 86_400_000;
const OLD_HIRE = '2024-03-01';
const recent = new Date(Date.now() - 100 * DAY).toISOString().slice(0, 10);
const recentReview = new Date(Date.now() - 10 * DAY).toISOString().slice(0, 10);

const HIRES: { id: string; f: number; rating?: number; hiredAt?: string; sep?: [string, string] }[] = [
  { id: 'H1', f: 1, rating: 3 },
  { id: 'H2', f: 2, rating: 4 },
  { id: 'H3', f: 2, rating: 2 },
  { id: 'H4', f: 3, rating: 5 },
  { id: 'H5', f: 3, rating: 3 },
  { id: 'H6', f: 4, rating: 5 },
  { id: 'H7', f: 4, rating: 5, hiredAt: recent },
  { id: 'H8', f: 4, sep: ['2024-08-01', 'involuntary'] },
  { id: 'H9', f: 3 },
  { id: 'H10', f: 1, rating: 5, sep: ['2024-12-01', 'voluntary_regretted'] },
  { id: 'H11', f: 2, rating: 4, sep: ['2024-10-01', 'voluntary_non_regretted'] },
];
const REJECTED = [
  { id: 'R1', f: 1, rec: 'no' },
  { id: 'R2', f: 4, rec: 'yes' },
];
const COMM_A: Record<string, number> = { H1: 2, H2: 2, H3: 2, H4: 2, H5: 2, H6: 3 };

function records() {
  const applications = [
    ...HIRES.map((h) => ({
      applicationId: h.id,
      candidateId: `c-${h.id}`,
      jobId: 'req-1',
      department: 'AI Engineering',
      source: 'referral',
      appliedAt: '2024-01-01',
      status: 'hired',
      hiredAt: h.hiredAt ?? OLD_HIRE,
    })),
    ...REJECTED.map((r) => ({
      applicationId: r.id,
      candidateId: `c-${r.id}`,
      jobId: 'req-1',
      source: 'agency',
      appliedAt: '2024-01-01',
      status: 'rejected',
    })),
  ];
  const scores: Record<string, unknown>[] = [];
  for (const a of [...HIRES.map((h) => ({ ...h, rec: 'yes' })), ...REJECTED]) {
    const base = {
      applicationId: a.id,
      interviewId: `${a.id}-a`,
      interviewerId: 'iv-a',
      recommendation: a.rec,
    };
    scores.push({ ...base, criterion: 'fundamentals', score: a.f });
    scores.push({ ...base, criterion: 'communication', score: COMM_A[a.id] ?? 2 });
    if (a.id in COMM_A) {
      scores.push({
        applicationId: a.id,
        interviewId: `${a.id}-b`,
        interviewerId: 'iv-b',
        recommendation: 'strong_yes',
        criterion: 'communication',
        score: 3,
      });
    }
  }
  const reviews = HIRES.filter((h) => h.rating !== undefined).map((h) => ({
    applicationId: h.id,
    reviewDate: h.hiredAt ? recentReview : '2024-09-01',
    rating: h.rating,
  }));
  const separations = HIRES.filter((h) => h.sep).map((h) => ({
    applicationId: h.id,
    separatedAt: h.sep?.[0],
    separationType: h.sep?.[1],
  }));
  return { applications, scores, reviews, separations };
}

describe('binary outcomes, settings and interviewer calibration (HTTP, hand-calculated)', () => {
  let t: TestApp;
  let key: string;
  let analystKey: string;
  let recruiterKey: string;

  const validity = async (query: string) => {
    const res = await t.http.get(`/api/v1/analytics/validity?${query}`).set(bearer(key));
    expect(res.status).toBe(200);
    return res.body as ValidityReport;
  };

  beforeAll(async () => {
    t = await startTestApp();
    const org = await createOrganization(t);
    key = org.apiKey;
    const identity = t.app.context.get(IdentityService);
    analystKey = (await identity.createApiKey(org.organizationId, 'analyst', 'analyst')).key;
    recruiterKey = (await identity.createApiKey(org.organizationId, 'recruiter', 'recruiter')).key;
    expect((await t.http.put('/api/v1/rubrics').set(bearer(key)).send(AI_RUBRIC)).status).toBe(200);
    const r = records();
    for (const [kind, rows] of [
      ['applications', r.applications],
      ['interview_scores', r.scores],
      ['performance_reviews', r.reviews],
      ['separations', r.separations],
    ] as const) {
      expect(await ingest(t, key, kind, rows)).toMatchObject({ status: 'completed', rejected: 0 });
    }
  });

  afterAll(async () => {
    await t?.close();
  });

  it('computes the success AUC (ties one half), point-biserial r and the too-recent count by hand', async () => {
    const body = await validity('outcome=success');
    expect(body).toMatchObject({ outcome: 'success', nHires: 11, nExcludedTooRecent: 2, nApplicants: 13 });
    const f = body.criteria[0];
    expect(f).toMatchObject({ criterion: 'fundamentals', n: 9, nApplicants: 13, sufficient: false });
    expect(f.auc).toBeCloseTo(0.65, 10);
    expect(f.aucCiLow).toBeLessThan(0.65);
    expect(f.aucCiHigh).toBeGreaterThan(0.65);
    expect(f.pointBiserial).toBeCloseTo(0.256439, 5);
    expect(f.r).toBeCloseTo(0.256439, 5);
    expect(body.composite).toMatchObject({ criterion: 'composite', n: 9 });
    expect(body.byCohort.map((c) => c.cohort)).toEqual(['2024-Q1', expect.stringMatching(/^\d{4}-Q[1-4]$/)]);
  });

  it('computes the retention AUC by hand; operational validity does not apply to retention', async () => {
    const body = await validity('outcome=retention');
    expect(body.nExcludedTooRecent).toBe(1);
    const f = body.criteria[0];
    expect(f.n).toBe(10);
    expect(f.auc).toBeCloseTo(12 / 21, 10);
    expect(f.rRangeCorrected).not.toBeNull();
    expect(f.rOperational).toBeNull();
  });

  it('serves settings, lets only admins change them, and recomputes with the new success threshold', async () => {
    const get = await t.http.get('/api/v1/settings').set(bearer(analystKey));
    expect(get.status).toBe(200);
    expect(get.body).toEqual({
      criterionReliability: 0.52,
      successThreshold: 4,
      minimumSample: 30,
      smallCellK: 5,
    });
    expect(
      (await t.http.put('/api/v1/settings').set(bearer(analystKey)).send({ minimumSample: 5 })).status,
    ).toBe(403);
    const bad = await t.http
      .put('/api/v1/settings')
      .set(bearer(key))
      .send({ criterionReliability: 1.5, x: 1 });
    expect(bad.status).toBe(400);
    expect((bad.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual([
      '(body)',
      'criterionReliability',
    ]);
    const put = await t.http
      .put('/api/v1/settings')
      .set(bearer(key))
      .send({ successThreshold: 5, minimumSample: 9 });
    expect(put.status).toBe(200);
    expect(put.body as OrganizationSettings).toEqual({
      criterionReliability: 0.52,
      successThreshold: 5,
      minimumSample: 9,
      smallCellK: 5,
    });
    const body = await validity('outcome=success');
    expect(body.settings).toEqual(put.body);
    expect(body.criteria[0].auc).toBeCloseTo(12 / 14, 10);
    expect(body.criteria[0].sufficient).toBe(true);
    await t.http.put('/api/v1/settings').set(bearer(key)).send({ successThreshold: 4, minimumSample: 30 });
    expect((await validity('outcome=success')).criteria[0].auc).toBeCloseTo(0.65, 10);
  });

  it('applies filters: source restricts the pool, hire dates only the hired sample', async () => {
    const bySource = await validity('outcome=success&source=agency');
    expect(bySource).toMatchObject({ nApplicants: 2, nHires: 0 });
    const byDate = await validity(
      `outcome=success&hiredFrom=2024-03-01&hiredTo=2024-03-01&department=AI%20Engineering`,
    );
    // Every application is to req-1 of AI Engineering: the pool keeps all 13; hire dates drop H7 only.
    expect(byDate).toMatchObject({ nApplicants: 13, nHires: 10, nExcludedTooRecent: 1 });
    expect(byDate.filters).toEqual({
      department: 'AI Engineering',
      hiredFrom: '2024-03-01',
      hiredTo: '2024-03-01',
    });
    const bad = await t.http.get('/api/v1/analytics/validity?hiredFrom=2024-02-30').set(bearer(key));
    expect(bad.status).toBe(422);
  });

  it('reports interviewer leniency with a t interval, agreement with the decision and own validity', async () => {
    const res = await t.http.get('/api/v1/analytics/interviewers?outcome=success').set(bearer(analystKey));
    expect(res.status).toBe(200);
    const body = res.body as InterviewersReport;
    const [a, b] = body.interviewers;
    expect(a).toMatchObject({
      interviewerId: 'iv-a',
      interviews: 13,
      candidates: 13,
      nCoPanelComparisons: 6,
    });
    expect(b).toMatchObject({ interviewerId: 'iv-b', interviews: 6, candidates: 6, nCoPanelComparisons: 6 });
    expect(b.leniency?.value).toBeCloseTo(0.833333, 5);
    expect(b.leniency?.ciLow).toBeCloseTo(0.404903, 5);
    expect(b.leniency?.ciHigh).toBeCloseTo(1.261763, 5);
    expect(a.leniency?.value).toBeCloseTo(-0.833333, 5);
    expect(a.agreementWithDecision).toBeCloseTo(12 / 13, 10);
    expect(a.nDecisions).toBe(13);
    expect(b.agreementWithDecision).toBe(1);
    expect(a.validity).toMatchObject({ n: 9, sufficient: false });
    expect(b.validity.n).toBe(6);
    expect((await t.http.get('/api/v1/analytics/interviewers').set(bearer(recruiterKey))).status).toBe(403);
  });

  it('reports ICCs and Krippendorff alpha per criterion as calculated by hand', async () => {
    const res = await t.http.get('/api/v1/analytics/reliability').set(bearer(key));
    expect(res.status).toBe(200);
    const body = res.body as ReliabilityReport;
    expect(body.method).toMatch(/most common panel/);
    const [fundamentals, , communication] = body.criteria;
    expect(fundamentals).toMatchObject({
      nCandidates: 13,
      nRatings: 13,
      icc11: null,
      icc21: null,
      alphaInterval: null,
    });
    expect(communication).toMatchObject({ criterion: 'communication', nCandidates: 13, nRatings: 19 });
    expect(communication.icc11?.value).toBeCloseTo(-117 / 158, 9);
    expect(communication.icc21?.value).toBeCloseTo(0, 9);
    expect(communication.icc2k?.value).toBeCloseTo(0, 9);
    expect(communication.twoWay).toEqual({ interviewers: ['iv-a', 'iv-b'], nCandidates: 6 });
    expect(communication.alphaInterval).toBeCloseTo(-4 / 7, 9);
    expect(communication.alphaOrdinal).toBeCloseTo(-4 / 7, 9);
  });

  it('serves a new report after an ingestion changes the data (cache keyed on the data version)', async () => {
    const before = await validity('outcome=performance');
    const again = await validity('outcome=performance');
    expect(again.computedAt).toBe(before.computedAt);
    await ingest(t, key, 'performance_reviews', [
      { applicationId: 'H9', reviewDate: '2025-03-01', rating: 4 },
    ]);
    const after = await validity('outcome=performance');
    expect(Number(after.dataVersion)).toBeGreaterThan(Number(before.dataVersion));
    expect(after.criteria[0].n).toBe(before.criteria[0].n + 1);
  });

  it('serves the OpenAPI description without credentials', async () => {
    const res = await t.http.get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    for (const path of [
      '/api/v1/analytics/validity',
      '/api/v1/analytics/interviewers',
      '/api/v1/analytics/reliability',
      '/api/v1/settings',
      '/api/v1/records/{kind}',
      '/api/v1/imports/{importId}',
      '/api/v1/auth/login',
      '/api/health',
    ]) {
      expect(res.body.paths).toHaveProperty([path]);
    }
  });
});
