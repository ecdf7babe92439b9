import { join, resolve } from 'node:path';
import type { AtsMapping, ImportRunResponse, InterviewersReport } from '@hiresignal/shared';
import {
  AI_RUBRIC,
  bearer,
  createOrganization,
  startTestApp,
  waitForImport,
  type TestApp,
} from '../support/test-app';

/*
 * Greenhouse and Lever exports (test/fixtures/ats, shapes from the vendors' references) through the same pipeline as
 * CSV files, with the organization's editable mapping of stage and scorecard attribute names.
 */
const ATS = resolve(process.cwd(), 'test/fixtures/ats');

describe('ATS imports: Greenhouse Harvest and Lever exports with per-organization mappings', () => {
  let t: TestApp;
  let key: string;

  async function importFile(vendor: string, file: string, onError?: string): Promise<ImportRunResponse> {
    let req = t.http.post('/api/v1/imports').set(bearer(key)).field('kind', vendor);
    if (onError) req = req.field('onError', onError);
    const res = await req.attach('file', join(ATS, vendor, file));
    expect(res.status).toBe(202);
    return waitForImport(t, key, (res.body as { importId: string }).importId);
  }

  const query = (sql: string, params: unknown[] = []) => t.app.db.dataSource.query(sql, params);

  beforeAll(async () => {
    t = await startTestApp();
    key = (await createOrganization(t)).apiKey;
    expect((await t.http.put('/api/v1/rubrics').set(bearer(key)).send(AI_RUBRIC)).status).toBe(200);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('imports Greenhouse jobs, then applications (a prospect without a job is refused, or skipped)', async () => {
    const jobs = await importFile('greenhouse', 'jobs.json');
    expect(jobs).toMatchObject({
      status: 'completed',
      source: 'greenhouse',
      kind: 'greenhouse',
      inserted: 1,
    });
    expect(await query(`SELECT title, department FROM jobs WHERE external_id = '4001'`)).toEqual([
      { title: 'AI Engineer', department: 'AI Engineering' },
    ]);

    const rejected = await importFile('greenhouse', 'applications.json');
    expect(rejected).toMatchObject({ status: 'failed', rejected: 1, inserted: 0 });
    expect(rejected.errors).toEqual([
      expect.objectContaining({
        row: 3,
        column: 'jobs',
        message: 'jobs: is empty: a prospect without a job is not an application we can import',
      }),
    ]);

    const run = await importFile('greenhouse', 'applications.json', 'skip');
    expect(run).toMatchObject({ status: 'completed', rejected: 1 });
    expect(run.byKind).toEqual([
      { recordKind: 'applications', rows: 2, inserted: 2, updated: 0, unchanged: 0, rejected: 0 },
      { recordKind: 'stage_events', rows: 2, inserted: 2, updated: 0, unchanged: 0, rejected: 0 },
    ]);
    expect(
      await query(`SELECT external_id, status, source, hired_at FROM applications ORDER BY external_id`),
    ).toEqual([
      {
        external_id: '1001',
        status: 'hired',
        source: 'Referral',
        hired_at: new Date('2024-03-01T12:00:00Z'),
      },
      { external_id: '1002', status: 'rejected', source: 'LinkedIn (Prospecting)', hired_at: null },
    ]);
  });

  it('refuses scorecard attributes that match no criterion until the mapping says what they are', async () => {
    const first = await importFile('greenhouse', 'scorecards.json');
    expect(first.status).toBe('failed');
    expect(first.errors).toEqual([
      expect.objectContaining({
        row: 1,
        column: 'attributes[3].name',
        value: 'Culture Add',
        message:
          'attributes[3].name: scorecard attribute "Culture Add" matches no rubric criterion; map it (or ignore it) with PUT /api/v1/imports/mappings/greenhouse',
      }),
    ]);

    const mapping = (await t.http.get('/api/v1/imports/mappings/greenhouse').set(bearer(key)))
      .body as AtsMapping;
    expect(mapping.criteria).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ atsName: 'Culture Add', target: null, origin: 'unmatched' }),
        expect.objectContaining({
          atsName: 'Deployment at scale',
          target: 'deployment_at_scale',
          origin: 'default',
        }),
        expect.objectContaining({ atsName: 'Fundamentals', target: 'fundamentals', origin: 'default' }),
      ]),
    );
    expect(mapping.stages).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          atsName: 'Technical Interview',
          target: 'technical_interview',
          origin: 'default',
        }),
      ]),
    );
    expect(mapping.availableCriteria).toEqual(['fundamentals', 'deployment_at_scale', 'communication']);

    const bad = await t.http
      .put('/api/v1/imports/mappings/greenhouse')
      .set(bearer(key))
      .send({ stages: [], criteria: [{ atsName: 'Culture Add', target: 'culture' }] });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0]).toMatchObject({ field: 'criteria.0.target' });
    expect((await t.http.get('/api/v1/imports/mappings/workday').set(bearer(key))).status).toBe(404);

    const put = await t.http
      .put('/api/v1/imports/mappings/greenhouse')
      .set(bearer(key))
      .send({
        stages: [{ atsName: 'Technical Interview', target: 'system_design' }],
        criteria: [{ atsName: 'Culture Add', target: null }],
      });
    expect(put.status).toBe(200);
    expect((put.body as AtsMapping).criteria).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ atsName: 'Culture Add', target: null, origin: 'custom' }),
      ]),
    );

    const run = await importFile('greenhouse', 'scorecards.json');
    expect(run).toMatchObject({ status: 'completed', inserted: 5, rejected: 0 });
    expect(
      await query(
        `SELECT application_external_id AS app, criterion, score, stage, recommendation, interviewer_external_id AS iv
         FROM interview_scores ORDER BY app, criterion`,
      ),
    ).toEqual([
      {
        app: '1001',
        criterion: 'communication',
        score: 2.5,
        stage: 'system_design',
        recommendation: 'strong_yes',
        iv: '3002',
      },
      {
        app: '1001',
        criterion: 'deployment_at_scale',
        score: 3.25,
        stage: 'system_design',
        recommendation: 'strong_yes',
        iv: '3002',
      },
      {
        app: '1001',
        criterion: 'fundamentals',
        score: 4,
        stage: 'system_design',
        recommendation: 'strong_yes',
        iv: '3002',
      },
      {
        app: '1002',
        criterion: 'communication',
        score: 1.75,
        stage: 'system_design',
        recommendation: 'strong_no',
        iv: '3003',
      },
      {
        app: '1002',
        criterion: 'fundamentals',
        score: 1,
        stage: 'system_design',
        recommendation: 'strong_no',
        iv: '3003',
      },
    ]);
    const again = await importFile('greenhouse', 'scorecards.json');
    expect(again).toMatchObject({ status: 'completed', inserted: 0, updated: 0, unchanged: 5 });

    // submitted_by.name is the interviewer's display name; submitted_by.id stays the key.
    expect(await query(`SELECT external_id, name FROM interviewers ORDER BY external_id`)).toEqual([
      { external_id: '3002', name: 'Jack Shephard' },
      { external_id: '3003', name: 'Kate Austen' },
    ]);
    const report = await t.http.get('/api/v1/analytics/interviewers').set(bearer(key));
    expect(report.status).toBe(200);
    expect((report.body as InterviewersReport).interviewers.map((i) => [i.interviewerId, i.name])).toEqual([
      ['3002', 'Jack Shephard'],
      ['3003', 'Kate Austen'],
    ]);
  });

  it('turns scheduled interviews and offers into stage events, and EEOC answers into demographics', async () => {
    const interviews = await importFile('greenhouse', 'scheduled_interviews.json');
    expect(interviews).toMatchObject({ status: 'completed', inserted: 3 });
    const offers = await importFile('greenhouse', 'offers.json');
    // The application import put app 1001 in "Offer" at its last activity; the offer was sent earlier.
    expect(offers).toMatchObject({ status: 'completed', inserted: 0, updated: 1 });
    expect(
      await query(
        `SELECT application_external_id AS app, stage, entered_at FROM stage_events ORDER BY app, entered_at`,
      ),
    ).toEqual([
      { app: '1001', stage: 'recruiter_screen', entered_at: new Date('2024-01-15T10:00:00Z') },
      { app: '1001', stage: 'system_design', entered_at: new Date('2024-01-20T16:00:00Z') },
      { app: '1001', stage: 'offer', entered_at: new Date('2024-02-12T00:00:00Z') },
      { app: '1002', stage: 'system_design', entered_at: new Date('2024-01-25T00:00:00Z') },
      { app: '1002', stage: 'technical_interview', entered_at: new Date('2024-02-01T16:00:00Z') },
    ]);
    const eeoc = await importFile('greenhouse', 'eeoc.json');
    expect(eeoc).toMatchObject({ status: 'completed', inserted: 2 });
    expect(
      await query(`SELECT candidate_external_id AS c, sex, race_ethnicity AS r FROM demographics ORDER BY c`),
    ).toEqual([
      { c: '2001', sex: 'female', r: 'two_or_more_races' },
      { c: '2002', sex: 'male', r: 'declined' },
    ]);
  });

  it('imports Lever opportunities (origin as source, stage changes) and feedback score fields', async () => {
    const opps = await importFile('lever', 'opportunities.json');
    expect(opps).toMatchObject({ status: 'completed', source: 'lever', rejected: 0 });
    expect(opps.byKind).toEqual([
      { recordKind: 'applications', rows: 2, inserted: 2, updated: 0, unchanged: 0, rejected: 0 },
      { recordKind: 'stage_events', rows: 6, inserted: 6, updated: 0, unchanged: 0, rejected: 0 },
    ]);
    expect(
      await query(
        `SELECT status, source, hired_at, rejection_reason FROM applications WHERE external_id LIKE '%-%' ORDER BY applied_at`,
      ),
    ).toEqual([
      { status: 'hired', source: 'referred', hired_at: new Date(1709294400000), rejection_reason: null },
      { status: 'rejected', source: 'sourced', hired_at: null, rejection_reason: 'Underqualified' },
    ]);
    const feedback = await importFile('lever', 'feedback.json');
    expect(feedback).toMatchObject({ status: 'completed', inserted: 2 });
    expect(
      await query(
        `SELECT criterion, score, recommendation FROM interview_scores
         WHERE application_external_id = '250d8f03-738a-4bba-a671-8a3d73477145' ORDER BY criterion`,
      ),
    ).toEqual([
      { criterion: 'communication', score: 3, recommendation: 'strong_yes' },
      { criterion: 'fundamentals', score: 4, recommendation: 'strong_yes' },
    ]);
    // The form's user is an id; the users list beside the forms (GET /v1/users) gives the name.
    expect(
      await query(`SELECT name FROM interviewers WHERE external_id = 'df0f6b4b-d3c7-4c17-a8b2-dd8c71c3bfd7'`),
    ).toEqual([{ name: 'Rachel Greene' }]);
    const mapping = (await t.http.get('/api/v1/imports/mappings/lever').set(bearer(key))).body as AtsMapping;
    expect(mapping.stages.map((s) => [s.atsName, s.target])).toEqual(
      expect.arrayContaining([
        ['applicant-new', 'applicant_new'],
        ['9b5f0c84-6f6d-4a39-9a3c-7b4a2f9e1c11', '9b5f0c84_6f6d_4a39_9a3c_7b4a2f9e1c11'],
      ]),
    );
  });

  it('refuses a file that is not JSON, or not an export it knows, with the reason', async () => {
    const res = await t.http
      .post('/api/v1/imports')
      .set(bearer(key))
      .field('kind', 'lever')
      .attach('file', Buffer.from('{"data": [{"foo": 1}]}'), 'x.json');
    const run = await waitForImport(t, key, res.body.importId);
    expect(run).toMatchObject({ status: 'failed' });
    expect(run.failureReason).toMatch(/^cannot tell which Lever object this file holds/);
    const res2 = await t.http
      .post('/api/v1/imports')
      .set(bearer(key))
      .field('kind', 'greenhouse')
      .attach('file', Buffer.from('[{"id": 1,'), 'x.json');
    const run2 = await waitForImport(t, key, res2.body.importId);
    expect(run2.failureReason).toMatch(/^the greenhouse export is not valid JSON/);
  });
});
