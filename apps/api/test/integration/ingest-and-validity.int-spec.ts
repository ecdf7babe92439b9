import type { FilterOptions, ImportRunResponse, ValidityReport } from '@hiresignal/shared';
import {
  AI_RUBRIC,
  bearer,
  createOrganization,
  ingest,
  startTestApp,
  waitForImport,
  type TestApp,
} from '../support/test-app';

/*
 * Ingest through HTTP, then query: the observed validity of each criterion must equal the hand calculation below.
 *
 * Five hires (A..E) scored on `fundamentals` by two interviewers each; the candidate criterion score is their mean:
 *   A (1,2) -> 1.5   B (2,2) -> 2   C (3,2) -> 2.5   D (3,4) -> 3.5   E (4,4) -> 4
 * Outcome = the latest review's rating: A 2 (its earlier 6-month review of 5 must be ignored), B 3, C 3, D 4, E 5.
 *   mean x = 2.7, mean y = 3.4; Sxy = 4.6, Sxx = 4.3, Syy = 5.2
 *   r = 4.6 / sqrt(4.3 * 5.2) = 4.6 / 4.728636 = 0.972796
 *   t = r * sqrt((n - 2) / (1 - r^2)) = 7.273239 with 3 df; Student's t with 3 df has the closed-form CDF
 *   F(t) = 1/2 + (1/pi) * [ (t/sqrt 3) / (1 + t^2/3) + atan(t/sqrt 3) ], so p = 2 (1 - F(7.273239)) = 0.005364
 *   Fisher z: atanh(r) = 2.141950, SE = 1/sqrt(2); 95% CI = tanh(z -/+ 1.959964 * 0.707107) = [0.638729, 0.998276]
 * `communication` is 3 for every hire: zero variance, so r is undefined (null).
 * Rows that must not count: a rejected applicant with scores and a review, a hire with no review, and another
 * organization's identical data with the opposite outcomes.
 */

const HIRES = [
  { id: 'A', scores: [1, 2], ratings: [5, 2] },
  { id: 'B', scores: [2, 2], ratings: [3] },
  { id: 'C', scores: [3, 2], ratings: [3] },
  { id: 'D', scores: [3, 4], ratings: [4] },
  { id: 'E', scores: [4, 4], ratings: [5] },
];

function applications(prefix: string) {
  return [
    ...HIRES.map((h) => ({
      applicationId: `${prefix}-app-${h.id}`,
      candidateId: `${prefix}-cand-${h.id}`,
      jobId: 'req-1',
      jobTitle: 'AI Engineer',
      department: 'AI Engineering',
      source: 'referral',
      appliedAt: '2024-01-10',
      status: 'hired',
      decidedAt: '2024-02-01T10:00:00Z',
      hiredAt: '2024-03-01',
    })),
    {
      applicationId: `${prefix}-app-R`,
      candidateId: `${prefix}-cand-R`,
      jobId: 'req-1',
      appliedAt: '2024-01-10',
      status: 'rejected',
    },
    {
      applicationId: `${prefix}-app-N`,
      candidateId: `${prefix}-cand-N`,
      jobId: 'req-2',
      appliedAt: '2024-01-10',
      status: 'hired',
      hiredAt: '2024-03-01',
    },
  ];
}

function scores(prefix: string) {
  const rows: Record<string, unknown>[] = [];
  for (const h of [...HIRES, { id: 'R', scores: [1, 1] }, { id: 'N', scores: [4, 4] }]) {
    h.scores.forEach((score, i) => {
      const base = {
        applicationId: `${prefix}-app-${h.id}`,
        interviewId: `${prefix}-int-${h.id}-${i}`,
        interviewerId: `iv-${i}`,
      };
      rows.push({
        ...base,
        criterion: 'fundamentals',
        score,
        stage: 'system_design',
        interviewedAt: '2024-01-20T15:00:00+01:00',
      });
      rows.push({ ...base, criterion: 'communication', score: 3 });
    });
  }
  return rows;
}

function reviews(prefix: string, invert = false) {
  const rows = HIRES.flatMap((h) =>
    h.ratings.map((rating, i) => ({
      applicationId: `${prefix}-app-${h.id}`,
      reviewDate: i === 0 && h.ratings.length > 1 ? '2024-09-01' : '2025-03-01',
      rating: invert ? 6 - rating : rating,
      reviewPeriod: i === 0 && h.ratings.length > 1 ? '6m' : '12m',
    })),
  );
  rows.push({ applicationId: `${prefix}-app-R`, reviewDate: '2025-03-01', rating: 5, reviewPeriod: '12m' });
  return rows;
}

describe('ingestion to observed validity (HTTP, real database and queue)', () => {
  let t: TestApp;
  let key: string;

  beforeAll(async () => {
    t = await startTestApp();
    const org = await createOrganization(t);
    key = org.apiKey;
    const other = await createOrganization(t, 'Other Co');
    for (const [k, prefix, invert] of [
      [other.apiKey, 'x', true],
      [key, 'a', false],
    ] as const) {
      expect((await t.http.put('/api/v1/rubrics').set(bearer(k)).send(AI_RUBRIC)).status).toBe(200);
      // Children before parents: scores and reviews arrive before their applications exist.
      for (const [kind, records] of [
        ['interview_scores', scores(prefix)],
        ['performance_reviews', reviews(prefix, invert)],
        ['applications', applications(prefix)],
      ] as const) {
        const run = await ingest(t, k, kind, records);
        expect(run).toMatchObject({
          status: 'completed',
          inserted: records.length,
          updated: 0,
          unchanged: 0,
        });
      }
    }
  });

  afterAll(async () => {
    await t?.close();
  });

  it('reports observed validity per rubric criterion, matching the hand calculation', async () => {
    const res = await t.http.get('/api/v1/analytics/validity?outcome=performance').set(bearer(key));
    expect(res.status).toBe(200);
    const body = res.body as ValidityReport;
    expect(body.rubric).toMatchObject({ name: 'AI Engineer', version: 1 });
    expect(body.criteria.map((c) => c.criterion)).toEqual([
      'fundamentals',
      'deployment_at_scale',
      'communication',
    ]);
    const [fundamentals, deployment, communication] = body.criteria;
    expect(fundamentals.n).toBe(5);
    expect(fundamentals.r).toBeCloseTo(0.972796, 5);
    expect(fundamentals.pValue).toBeCloseTo(0.005364, 5);
    expect(fundamentals.ciLow).toBeCloseTo(0.638729, 5);
    expect(fundamentals.ciHigh).toBeCloseTo(0.998276, 5);
    expect(fundamentals.sufficient).toBe(false);
    expect(deployment).toMatchObject({
      criterion: 'deployment_at_scale',
      n: 0,
      nApplicants: 0,
      r: null,
      ciLow: null,
      ciHigh: null,
      pValue: null,
      rRangeCorrected: null,
      auc: null,
      sufficient: false,
      nNeededR20: 194,
      nNeededR30: 85,
    });
    expect(communication).toMatchObject({ n: 5, r: null, pValue: null });
    // Hire N (no review yet) is left out of the hired sample and counted; R is in the pool, not the hired sample.
    expect(body).toMatchObject({ outcome: 'performance', nApplicants: 7, nHires: 6, nExcludedTooRecent: 1 });
  });

  /*
   * Thorndike Case II by hand. The applicant pool of `fundamentals` is every scored application of the
   * organization: the five hires, N (hired, no review) and R (rejected): 1.5, 2, 2.5, 3.5, 4, 4, 1.
   *   sum 18.5, sum of squares 57.75, SS = 57.75 - 18.5^2 / 7 = 8.857143, SD = sqrt(8.857143 / 6) = 1.214986
   * Hired sample (hires with the outcome): 1.5, 2, 2.5, 3.5, 4; SS = 4.3, SD = sqrt(4.3 / 4) = 1.036822
   *   U = 1.214986 / 1.036822 = 1.171836, U^2 = 1.373200; r = 0.972796, r^2 = 0.946333
   *   r_c = rU / sqrt(1 + r^2 (U^2 - 1)) = 1.139958 / sqrt(1 + 0.946333 * 0.373200) = 1.139958 / 1.163259 = 0.979969
   * Operational validity: r / sqrt(.52) = 1.349 > 1 is clamped to 1, and Case II of 1 is 1.
   * Spearman: score ranks 1..5, rating ranks 1, 2.5, 2.5, 4, 5: Sxy = 9.5, Sxx = 10, Syy = 9.5, rho = 9.5 / sqrt(95) = 0.974679.
   */
  it('corrects for range restriction (Case II) as calculated by hand', async () => {
    const res = await t.http.get('/api/v1/analytics/validity').set(bearer(key));
    const fundamentals = (res.body as ValidityReport).criteria[0];
    expect(fundamentals.nApplicants).toBe(7);
    expect(fundamentals.applicantSd).toBeCloseTo(1.214986, 5);
    expect(fundamentals.hiredSd).toBeCloseTo(1.036822, 5);
    expect(fundamentals.rRangeCorrected).toBeCloseTo(0.979969, 5);
    expect(fundamentals.rOperational).toBeCloseTo(1, 9);
    /*
     * Intervals of the corrected r (Hunter and Schmidt 2004: correct the ends of the observed interval the same way):
     *   Case II of ciLow 0.638729: 0.748486 / sqrt(1 + 0.407975 * 0.373201) = 0.748486 / sqrt(1.152257) = 0.697283
     *   Case II of ciHigh 0.998276: 1.169816 / sqrt(1 + 0.996555 * 0.373201) = 1.169816 / sqrt(1.371915) = 0.998744
     *   operational low: 0.638729 / sqrt(.52) = 0.885758, Case II 1.037963 / sqrt(1.292801) = 0.912885;
     *   operational high: 0.998276 / sqrt(.52) > 1, clamped to 1, Case II of 1 = 1.
     */
    expect(fundamentals.rRangeCorrectedCiLow).toBeCloseTo(0.697283, 5);
    expect(fundamentals.rRangeCorrectedCiHigh).toBeCloseTo(0.998744, 5);
    expect(fundamentals.rOperationalCiLow).toBeCloseTo(0.912885, 5);
    expect(fundamentals.rOperationalCiHigh).toBeCloseTo(1, 9);
    expect(fundamentals.spearman).toBeCloseTo(0.974679, 5);
    expect(fundamentals.auc).toBeNull();
    expect(fundamentals.pointBiserial).toBeNull();
  });

  it('filters by job', async () => {
    const res = await t.http.get('/api/v1/analytics/validity?jobId=req-2').set(bearer(key));
    expect(res.status).toBe(200);
    expect((res.body as ValidityReport).criteria[0]).toMatchObject({
      criterion: 'fundamentals',
      n: 0,
      r: null,
    });
    expect((res.body as ValidityReport).filters).toEqual({ jobId: 'req-2' });
  });

  it("lists the filters' values from this organization's data only (jobs, departments, sources with counts)", async () => {
    const res = await t.http.get('/api/v1/filter-options').set(bearer(key));
    expect(res.status).toBe(200);
    const options = res.body as FilterOptions;
    expect(options.jobs.map((j) => j.jobId).sort()).toEqual(['req-1', 'req-2']);
    expect(options.jobs.find((j) => j.jobId === 'req-1')).toEqual({
      jobId: 'req-1',
      title: 'AI Engineer',
      department: 'AI Engineering',
    });
    expect(options.departments).toEqual(['AI Engineering']);
    // The five hires A..E came from referrals; R and N name no source. The other organization's five identical
    // referrals must not be counted (10 would mean they leaked in).
    expect(options.sources).toEqual([{ source: 'referral', applications: 5 }]);
  });

  it('rejects unknown query parameters and outcomes with 422 naming the field', async () => {
    const res = await t.http.get('/api/v1/analytics/validity?outcome=happiness').set(bearer(key));
    expect(res.status).toBe(422);
    expect(res.body.errors[0]).toMatchObject({ field: 'outcome' });
  });

  it('leaves everything unchanged when the same records are imported again', async () => {
    const run = await ingest(t, key, 'applications', applications('a'));
    expect(run).toMatchObject({ status: 'completed', inserted: 0, updated: 0, unchanged: 7, processed: 7 });
  });

  it('updates a changed record and counts it as updated', async () => {
    const changed = applications('a')
      .slice(0, 1)
      .map((a) => ({ ...a, source: 'agency' }));
    const run = await ingest(t, key, 'applications', changed);
    expect(run).toMatchObject({ inserted: 0, updated: 1, unchanged: 0 });
  });

  it('refuses a batch with bad records whole, naming index, field and problem, and writes nothing', async () => {
    const before = (await t.http.get('/api/v1/imports').set(bearer(key))).body as ImportRunResponse[];
    const res = await t.http
      .post('/api/v1/records/interview_scores')
      .set(bearer(key))
      .send({
        records: [
          {
            applicationId: 'a-app-new',
            interviewId: 'i-new',
            interviewerId: 'iv-9',
            criterion: 'fundamentals',
            score: 3,
          },
          {
            applicationId: 'a-app-new',
            interviewId: 'i-new',
            interviewerId: 'iv-9',
            criterion: 'fundamentals',
            score: 7,
          },
          {
            applicationId: 'a-app-new',
            interviewId: 'i-new2',
            interviewerId: 'iv-9',
            criterion: 'charisma',
            score: 2,
          },
          {
            applicationId: 'a-app-new',
            interviewId: 'i-new3',
            interviewerId: 'iv-9',
            score: '3',
            criterion: 'communication',
            mood: 'x',
          },
        ],
      });
    expect(res.status).toBe(422);
    expect(res.body.message).toMatch(/nothing was written/);
    const errors = res.body.errors as { index: number; field: string; message: string }[];
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ index: 3, field: 'score', message: 'must be a number, got string' }),
        expect.objectContaining({ index: 3, field: 'mood', message: 'is not a field of this record kind' }),
      ]),
    );
    const after = (await t.http.get('/api/v1/imports').set(bearer(key))).body as ImportRunResponse[];
    expect(after).toHaveLength(before.length);
  });

  it('names the duplicate, the unknown criterion and the off-scale score once the records are well-formed', async () => {
    const res = await t.http
      .post('/api/v1/records/interview_scores')
      .set(bearer(key))
      .send({
        records: [
          {
            applicationId: 'a-app-new',
            interviewId: 'i-new',
            interviewerId: 'iv-9',
            criterion: 'fundamentals',
            score: 3,
          },
          {
            applicationId: 'a-app-new',
            interviewId: 'i-new',
            interviewerId: 'iv-9',
            criterion: 'fundamentals',
            score: 2,
          },
        ],
      });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        index: 1,
        field: 'interviewId, interviewerId, criterion',
        message: expect.stringMatching(/duplicates record 0/),
      }),
    ]);
    const res2 = await t.http
      .post('/api/v1/records/interview_scores')
      .set(bearer(key))
      .send({
        records: [
          {
            applicationId: 'a-app-new',
            interviewId: 'i-new',
            interviewerId: 'iv-9',
            criterion: 'fundamentals',
            score: 7,
          },
          {
            applicationId: 'a-app-new',
            interviewId: 'i-new2',
            interviewerId: 'iv-9',
            criterion: 'charisma',
            score: 2,
          },
        ],
      });
    expect(res2.status).toBe(422);
    expect(res2.body.errors).toEqual([
      expect.objectContaining({
        index: 0,
        field: 'score',
        message: 'must lie on the scale of rubric AI Engineer v1, 1 to 4',
      }),
      expect.objectContaining({
        index: 1,
        field: 'criterion',
        message: expect.stringMatching(/is not a criterion of rubric AI Engineer v1/),
      }),
    ]);
  });

  it("answers 404 for an unknown record kind and for another organization's import", async () => {
    expect(
      (
        await t.http
          .post('/api/v1/records/pets')
          .set(bearer(key))
          .send({ records: [{}] })
      ).status,
    ).toBe(404);
    const other = await createOrganization(t, 'Third Co');
    const res = await t.http
      .post('/api/v1/records/separations')
      .set(bearer(other.apiKey))
      .send({
        records: [{ applicationId: 'z', separatedAt: '2025-01-01', separationType: 'involuntary' }],
      });
    const { importId } = res.body as { importId: string };
    await waitForImport(t, other.apiKey, importId);
    expect((await t.http.get(`/api/v1/imports/${importId}`).set(bearer(key))).status).toBe(404);
  });
});
