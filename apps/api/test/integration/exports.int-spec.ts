import type {
  AdverseImpactStagesReport,
  AuditPage,
  Cohort,
  ExportCreated,
  ExportSchedule,
  ExportSummary,
  FunnelReport,
  ValidityReport,
} from '@hiresignal/shared';
import ExcelJS from 'exceljs';
import { DataSource } from 'typeorm';
import { csvRow } from '../../src/common/csv';
import { judgementDay } from '../../src/modules/analytics/outcomes';
import { readCohortCursor, readCohortPages } from '../../src/modules/exports/cohort-reader';
import {
  cohortCsvLines,
  cohortCsvSql,
  cohortRow,
  cohortSql,
  type CohortReportSpec,
} from '../../src/modules/exports/cohort-report';
import { ExportRecoveryService } from '../../src/modules/exports/export-recovery.service';
import { QueueService } from '../../src/modules/queue/queue.service';
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
 * Saved cohorts and exports (issue: cohorts and exports for analysts; PRODUCT.md "Cohort report definitions"), over
 * HTTP on the real database and queue. The cohort report is checked on a hand-worked case: five applications whose
 * every column is written out below with how it follows from the records. All hires are from 2023, so success and
 * retention (judged 365 days after hire) are known on any day this runs.
 */

const STAGES = ['screen', 'onsite', 'offer', 'hired'];
const EVIL_SOURCE = '=HYPERLINK("http://evil.example","x")';

const APPLICATIONS = [
  {
    applicationId: 'X1',
    candidateId: 'cand-X1',
    jobId: 'req-1',
    jobTitle: 'AI Engineer',
    department: 'AI Engineering',
    source: 'referral',
    appliedAt: '2023-01-10T09:00:00Z',
    status: 'hired',
    hiredAt: '2023-03-01T00:00:00Z',
  },
  {
    applicationId: 'X2',
    candidateId: 'cand-X2',
    jobId: 'req-1',
    jobTitle: 'AI Engineer',
    department: 'AI Engineering',
    source: 'referral',
    appliedAt: '2023-01-10T09:00:00Z',
    status: 'hired',
    hiredAt: '2023-04-01T00:00:00Z',
  },
  {
    applicationId: 'X3',
    candidateId: 'cand-X3',
    jobId: 'req-1',
    jobTitle: 'AI Engineer',
    department: 'AI Engineering',
    source: 'linkedin',
    appliedAt: '2023-01-05T00:00:00Z',
    status: 'rejected',
  },
  {
    applicationId: 'X4',
    candidateId: 'cand-X4',
    jobId: 'req-2',
    jobTitle: '+SUM(1;2)',
    department: '@Ops',
    source: EVIL_SOURCE,
    appliedAt: '2023-02-01T00:00:00Z',
    status: 'active',
  },
  {
    applicationId: 'X5',
    candidateId: 'cand-X5',
    jobId: 'req-1',
    jobTitle: 'AI Engineer',
    department: 'AI Engineering',
    source: 'linkedin',
    appliedAt: '2023-02-15T00:00:00Z',
    status: 'hired',
    hiredAt: '2023-06-01T00:00:00Z',
  },
];
const EVENTS = [
  { applicationId: 'X3', stage: 'screen', enteredAt: '2023-01-06T00:00:00Z' },
  { applicationId: 'X3', stage: 'onsite', enteredAt: '2023-01-20T00:00:00Z' },
  { applicationId: 'X5', stage: 'screen', enteredAt: '2023-02-20T00:00:00Z' },
  { applicationId: 'X5', stage: 'offer', enteredAt: '2023-05-20T00:00:00Z' },
];
const score = (applicationId: string, interviewerId: string, criterion: string, value: number) => ({
  applicationId,
  interviewId: `${applicationId}-${interviewerId}`,
  interviewerId,
  criterion,
  score: value,
  rubric: 'AI Engineer',
  rubricVersion: 1,
});
const SCORES = [
  score('X1', 'iv-a', 'fundamentals', 3),
  score('X1', 'iv-a', 'deployment_at_scale', 4),
  score('X1', 'iv-b', 'fundamentals', 4),
  score('X1', 'iv-b', 'communication', 2),
  score('X2', 'iv-a', 'fundamentals', 2),
  score('X5', 'iv-c', 'fundamentals', 3),
  score('X5', 'iv-c', 'deployment_at_scale', 3),
  score('X5', 'iv-c', 'communication', 3),
];
const REVIEWS = [
  { applicationId: 'X1', reviewDate: '2023-09-01T00:00:00Z', rating: 4 },
  { applicationId: 'X1', reviewDate: '2024-03-01T00:00:00Z', rating: 3 },
  { applicationId: 'X2', reviewDate: '2023-10-01T00:00:00Z', rating: 5 },
  { applicationId: 'X5', reviewDate: '2023-12-01T00:00:00Z', rating: 4 },
];
const SEPARATIONS = [
  { applicationId: 'X2', separatedAt: '2023-12-01T00:00:00Z', separationType: 'involuntary' },
];
const DEMOGRAPHICS = [{ candidateId: 'cand-X1', sex: 'female', raceEthnicity: 'asian' }];

const HEADER =
  'application_id,candidate_id,job_id,job_title,department,source,applied_at,status,hired_at,furthest_stage,' +
  'score_fundamentals,score_deployment_at_scale,score_communication,composite,interviewers,latest_rating,' +
  'latest_rating_date,success,retention_365,separated_at,separation_type';

/*
 * The expected rows, ordered by applied_at then application id (X1 and X2 share 2023-01-10T09:00, so X1 first):
 * - X3 rejected: events at screen and onsite, so its furthest stage is onsite; no scores (blank scores, composite,
 *   0 interviewers); not hired, so success and retention are blank.
 * - X1 hired: a hire has reached the last stage (hired). fundamentals = mean(3, 4) = 3.5, deployment 4,
 *   communication 2; composite = (3.5 + 4 + 2) / 3 = 9.5 / 3 = 3.1666666666666665 (the nearest double); two
 *   interviewers (iv-a, iv-b). Latest review 2024-03-01 rating 3: success = 3 >= 4 ? 1 : 0 = 0 (no separation);
 *   retention: no separation within 365 days = 1.
 * - X2 hired: fundamentals 2, the other criteria not scored; composite = 2 / 1 = 2; one interviewer. Separated
 *   2023-12-01 involuntary, 244 days after hire: success 0 (an involuntary separation within the year) and
 *   retention 0, whatever the rating (5).
 * - X4 active: no events, so furthest stage applied; its job title, department and source begin with +, @ and =,
 *   so each is written with a leading apostrophe (the source, holding quotes and a comma, is also quoted).
 * - X5 hired with events at screen and offer (onsite skipped): furthest stage hired; all three criteria 3,
 *   composite 3; latest rating 4 >= 4, no separation: success 1, retention 1.
 */
const EXPECTED_ROWS = [
  'X3,cand-X3,req-1,AI Engineer,AI Engineering,linkedin,2023-01-05T00:00:00.000Z,rejected,,onsite,,,,,0,,,,,,',
  'X1,cand-X1,req-1,AI Engineer,AI Engineering,referral,2023-01-10T09:00:00.000Z,hired,2023-03-01T00:00:00.000Z,hired,3.5,4,2,3.1666666666666665,2,3,2024-03-01T00:00:00.000Z,0,1,,',
  'X2,cand-X2,req-1,AI Engineer,AI Engineering,referral,2023-01-10T09:00:00.000Z,hired,2023-04-01T00:00:00.000Z,hired,2,,,2,1,5,2023-10-01T00:00:00.000Z,0,0,2023-12-01T00:00:00.000Z,involuntary',
  `X4,cand-X4,req-2,'+SUM(1;2),'@Ops,"'=HYPERLINK(""http://evil.example"",""x"")",2023-02-01T00:00:00.000Z,active,,applied,,,,,0,,,,,,`,
  'X5,cand-X5,req-1,AI Engineer,AI Engineering,linkedin,2023-02-15T00:00:00.000Z,hired,2023-06-01T00:00:00.000Z,hired,3,3,3,3,1,4,2023-12-01T00:00:00.000Z,1,1,,',
];

describe('cohorts and exports (HTTP, real database and queue)', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let analyst: Record<string, string>;
  let recruiter: Record<string, string>;
  let leader: Record<string, string>;

  async function orgId(): Promise<string> {
    const [row] = (await t.app.context.get(DataSource).query('SELECT id FROM organizations LIMIT 1')) as {
      id: string;
    }[];
    return row.id;
  }

  async function keyFor(role: string): Promise<Record<string, string>> {
    const res = await t.http
      .post('/api/v1/api-keys')
      .set(admin)
      .send({ name: `${role} key`, role });
    expect(res.status).toBe(201);
    return bearer((res.body as { key: string }).key);
  }

  async function exportAndWait(as: Record<string, string>, body: object): Promise<ExportSummary> {
    const res = await t.http.post('/api/v1/exports').set(as).send(body);
    expect(res.status).toBe(202);
    const { exportId } = res.body as ExportCreated;
    const deadline = Date.now() + 30_000;
    for (;;) {
      const status = (await t.http.get(`/api/v1/exports/${exportId}`).set(as)).body as ExportSummary;
      if (status.status === 'completed' || status.status === 'failed') return status;
      if (Date.now() > deadline) throw new Error(`export ${exportId} still ${status.status}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function download(as: Record<string, string>, id: string) {
    const res = await t.http
      .get(`/api/v1/exports/${id}/download`)
      .set(as)
      .buffer(true)
      .parse((response, callback) => {
        const parts: Buffer[] = [];
        response.on('data', (c: Buffer) => parts.push(c));
        response.on('end', () => callback(null, Buffer.concat(parts)));
      });
    return { status: res.status, headers: res.headers as Record<string, string>, body: res.body as Buffer };
  }

  beforeAll(async () => {
    t = await startTestApp();
    const org = await createOrganization(t);
    admin = bearer(org.apiKey);
    expect((await t.http.put('/api/v1/rubrics').set(admin).send(AI_RUBRIC)).status).toBe(200);
    expect(
      (await t.http.put('/api/v1/settings/pipeline-stages').set(admin).send({ stages: STAGES })).status,
    ).toBe(200);
    for (const [kind, records] of [
      ['applications', APPLICATIONS],
      ['stage_events', EVENTS],
      ['interview_scores', SCORES],
      ['performance_reviews', REVIEWS],
      ['separations', SEPARATIONS],
      ['demographics', DEMOGRAPHICS],
    ] as const) {
      expect(await ingest(t, org.apiKey, kind, [...records])).toMatchObject({
        status: 'completed',
        rejected: 0,
      });
    }
    analyst = await keyFor('analyst');
    recruiter = await keyFor('recruiter');
    leader = await keyFor('talent_leader');
  }, 60_000);

  afterAll(async () => {
    await t?.close();
  });

  it('exports the cohort report as CSV with every column as the definitions give it', async () => {
    const done = await exportAndWait(analyst, { report: 'cohort', format: 'csv', filters: {} });
    expect(done).toMatchObject({ status: 'completed', rowsWritten: 5, progress: 1, error: null });
    const file = await download(analyst, done.id);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(file.headers['content-disposition']).toMatch(
      /^attachment; filename="hiresignal-cohort-v\d+-[0-9a-f]{8}\.csv"$/,
    );
    expect(file.body.length).toBe(done.bytes);
    const text = file.body.toString('utf8');
    expect(text.split('\r\n')).toEqual([HEADER, ...EXPECTED_ROWS, '']);
  });

  it('reads the cohort page by page and through one cursor alike: lines written by the database, and values', async () => {
    // The export reads pages on the embedded database and a cursor on a PostgreSQL server; both, on this database,
    // in batches that split X1 and X2 (the same applied_at), that end exactly at the last row, and of everything.
    const db = t.app.context.get(DataSource);
    const organizationId = await orgId();
    const spec: CohortReportSpec = {
      filters: {},
      rubric: { name: AI_RUBRIC.name, version: AI_RUBRIC.version, criteria: AI_RUBRIC.criteria },
      stages: STAGES,
      includeDemographics: true,
      asOf: judgementDay(new Date()),
      successThreshold: 4,
    };
    const expected = EXPECTED_ROWS.map((l) => `${l},${l.startsWith('X1,') ? 'female,asian' : ','}\r\n`).join(
      '',
    );
    for (const read of [readCohortPages, readCohortCursor]) {
      for (const batch of [2, 5, 1000]) {
        let lines = '';
        let values = '';
        const batches: number[] = [];
        await read(
          db,
          organizationId,
          (r, p) => cohortCsvSql(spec, r, p),
          batch,
          async (rows, last) => {
            lines += cohortCsvLines(spec, rows);
            batches.push(rows.length);
            expect(last).toBe(rows.length < batch);
          },
        );
        await read(
          db,
          organizationId,
          (r, p) => cohortSql(spec, r, p),
          batch,
          async (rows) => {
            for (const r of rows) values += csvRow(cohortRow(spec, r));
          },
        );
        expect({ read: read.name, batch, lines, values }).toEqual({
          read: read.name,
          batch,
          lines: expected,
          values: expected,
        });
        expect(batches).toEqual({ 2: [2, 2, 1], 5: [5, 0], 1000: [5] }[batch]);
      }
    }
  });

  it('filters the cohort by applied dates and status, by saved cohort too', async () => {
    const created = await t.http
      .post('/api/v1/cohorts')
      .set(analyst)
      .send({
        name: 'Q1 2023 hires',
        filters: { appliedFrom: '2023-01-06', appliedTo: '2023-03-31', status: 'hired' },
      });
    expect(created.status).toBe(201);
    const cohort = created.body as Cohort;
    const done = await exportAndWait(analyst, { report: 'cohort', format: 'csv', cohortId: cohort.id });
    expect(done.filters).toEqual({ appliedFrom: '2023-01-06', appliedTo: '2023-03-31', status: 'hired' });
    const text = (await download(analyst, done.id)).body.toString('utf8');
    // X3 applied 2023-01-05 (before the range) and X4 is active: X1, X2 and X5 remain.
    expect(text.split('\r\n').map((l) => l.split(',')[0])).toEqual(['application_id', 'X1', 'X2', 'X5', '']);
  });

  it('writes the same bytes for the same cohort at the same data version, and joins a repeated request', async () => {
    const body = { report: 'cohort', format: 'csv', filters: { source: 'referral' } };
    const first = await exportAndWait(analyst, body);
    const again = await t.http.post('/api/v1/exports').set(analyst).send(body);
    expect(again.body).toEqual({ exportId: first.id, deduplicated: true });
    // Once the first has expired, the same request writes a new file: byte for byte the first one.
    const db = t.app.context.get(DataSource);
    await db.query(`UPDATE exports SET expires_at = now() - interval '1 second' WHERE id = $1`, [first.id]);
    expect(await t.app.context.get(ExportRecoveryService).sweep()).toBeGreaterThanOrEqual(1);
    expect((await t.http.get(`/api/v1/exports/${first.id}`).set(analyst)).status).toBe(404);
    const second = await exportAndWait(analyst, body);
    expect(second.id).not.toBe(first.id);
    expect(second.sha256).toBe(first.sha256);
    expect(second.bytes).toBe(first.bytes);
    for (const format of ['xlsx']) {
      const x1 = await exportAndWait(analyst, { ...body, format });
      const b1 = (await download(analyst, x1.id)).body;
      await db.query(`UPDATE exports SET expires_at = now() - interval '1 second' WHERE id = $1`, [x1.id]);
      const x2 = await exportAndWait(analyst, { ...body, format });
      expect(x2.id).not.toBe(x1.id);
      const b2 = (await download(analyst, x2.id)).body;
      expect(b2.equals(b1)).toBe(true);
    }
  });

  it('writes XLSX with numbers as numbers, dates as dates, formula-like text as text, and a manifest sheet', async () => {
    const done = await exportAndWait(analyst, {
      report: 'cohort',
      format: 'xlsx',
      filters: {},
      includeDemographics: true,
    });
    const file = await download(analyst, done.id);
    expect(file.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.body as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Manifest', 'Cohort']);
    const manifest = new Map<string, string>();
    must(workbook.getWorksheet('Manifest'), 'manifest').eachRow((row, n) => {
      if (n > 1) manifest.set(String(row.getCell(1).value), String(row.getCell(2).value));
    });
    expect(manifest.get('report')).toBe('cohort');
    expect(manifest.get('data version')).toBe(done.dataVersion);
    expect(manifest.get('definitions')).toBe('cohort-report/1');
    expect(manifest.get('demographic columns')).toBe('included');
    const sheet = must(workbook.getWorksheet('Cohort'), 'cohort sheet');
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual([...HEADER.split(','), 'sex', 'race_ethnicity']);
    const col = (name: string) => header.indexOf(name) + 1;
    // Row 3 is X1 (row 2 is X3): numbers are numeric cells, dates are date cells.
    const x1 = sheet.getRow(3);
    expect(x1.getCell(col('application_id')).value).toBe('X1');
    expect(x1.getCell(col('composite')).type).toBe(ExcelJS.ValueType.Number);
    expect(x1.getCell(col('composite')).value).toBe(9.5 / 3);
    expect(x1.getCell(col('interviewers')).value).toBe(2);
    expect(x1.getCell(col('applied_at')).type).toBe(ExcelJS.ValueType.Date);
    expect((x1.getCell(col('applied_at')).value as Date).toISOString()).toBe('2023-01-10T09:00:00.000Z');
    expect(x1.getCell(col('sex')).value).toBe('female');
    expect(sheet.getRow(4).getCell(col('sex')).value).toBeNull();
    // X4's formula-like text is stored as a plain string: no formula, the text exactly as ingested.
    const x4 = sheet.getRow(5);
    for (const [name, value] of [
      ['source', EVIL_SOURCE],
      ['job_title', '+SUM(1;2)'],
      ['department', '@Ops'],
    ]) {
      const cell = x4.getCell(col(name));
      expect({ name, type: cell.type, value: cell.value }).toEqual({
        name,
        type: ExcelJS.ValueType.String,
        value,
      });
    }
  });

  it('keeps exports to admins and analysts and audits every request and download', async () => {
    for (const who of [recruiter, leader]) {
      expect(
        (await t.http.post('/api/v1/exports').set(who).send({ report: 'cohort', format: 'csv' })).status,
      ).toBe(403);
      expect((await t.http.get('/api/v1/exports').set(who)).status).toBe(403);
    }
    const done = await exportAndWait(admin, { report: 'cohort', format: 'csv', filters: { jobId: 'req-2' } });
    await download(admin, done.id);
    const page = (await t.http.get('/api/v1/audit-log?action=export.').set(admin)).body as AuditPage;
    const requested = must(
      page.entries.find((e) => e.action === 'export.requested' && e.target?.id === done.id),
      'export.requested entry',
    );
    expect(requested.detail).toMatchObject({ report: 'cohort', format: 'csv', filters: { jobId: 'req-2' } });
    const downloaded = must(
      page.entries.find((e) => e.action === 'export.downloaded' && e.target?.id === done.id),
      'export.downloaded entry',
    );
    expect(downloaded.detail).toMatchObject({ rows: 1 });
    const demographics = page.entries.filter(
      (e) => e.action === 'export.requested' && e.detail['includeDemographics'] === true,
    );
    expect(demographics.length).toBeGreaterThan(0);
  });

  it('saves, renames and deletes cohorts, idempotent on the name, with clear errors', async () => {
    const body = { name: 'Referrals', filters: { source: 'referral' } };
    const a = await t.http.post('/api/v1/cohorts').set(recruiter).send(body);
    expect(a.status).toBe(201);
    const b = await t.http.post('/api/v1/cohorts').set(recruiter).send(body);
    expect(b.status).toBe(200);
    expect((b.body as Cohort).id).toBe((a.body as Cohort).id);
    const clash = await t.http
      .post('/api/v1/cohorts')
      .set(recruiter)
      .send({ name: 'Referrals', filters: {} });
    expect(clash.status).toBe(409);
    const bad = await t.http
      .post('/api/v1/cohorts')
      .set(recruiter)
      .send({ name: 'Bad', filters: { appliedFrom: '2023-02-30', colour: 'red' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/filters\.appliedFrom/);
    expect(JSON.stringify(bad.body)).toMatch(/colour/);
    const id = (a.body as Cohort).id;
    const renamed = await t.http
      .patch(`/api/v1/cohorts/${id}`)
      .set(recruiter)
      .send({ name: 'Referral hires' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Referral hires', filters: { source: 'referral' } });
    const names = ((await t.http.get('/api/v1/cohorts').set(leader)).body as Cohort[]).map((c) => c.name);
    expect(names).toContain('Referral hires');
    expect((await t.http.delete(`/api/v1/cohorts/${id}`).set(recruiter)).status).toBe(204);
    expect((await t.http.delete(`/api/v1/cohorts/${id}`).set(recruiter)).status).toBe(404);
    expect((await t.http.get('/api/v1/exports/not-a-uuid').set(admin)).status).toBe(404);
    const unknownRubric = await t.http
      .post('/api/v1/exports')
      .set(admin)
      .send({ report: 'cohort', format: 'csv', filters: { rubric: 'Nope' } });
    expect(unknownRubric.status).toBe(404);
  });

  it("exports a screen's table with the screen's filters, the same figures as its report", async () => {
    const validity = (
      await t.http.get('/api/v1/analytics/validity?outcome=success&source=referral').set(analyst)
    ).body as ValidityReport;
    const v = await exportAndWait(analyst, {
      report: 'validity',
      format: 'csv',
      outcome: 'success',
      filters: { source: 'referral' },
    });
    expect(v).toMatchObject({
      status: 'completed',
      outcome: 'success',
      rowsWritten: validity.criteria.length + 1,
    });
    const lines = (await download(analyst, v.id)).body.toString('utf8').split('\r\n');
    const header = lines[0].split(',');
    const cell = (line: string, name: string) => line.split(',')[header.indexOf(name)];
    const details = [...validity.criteria, must(validity.composite, 'composite')];
    expect(lines.slice(1, -1).map((l) => cell(l, 'criterion'))).toEqual(details.map((d) => d.criterion));
    for (const [i, d] of details.entries()) {
      // Full precision: the CSV holds the report's number exactly (or blank where it is null).
      expect(cell(lines[i + 1], 'n')).toBe(String(d.n));
      expect(cell(lines[i + 1], 'r')).toBe(d.r === null ? '' : String(d.r));
      expect(cell(lines[i + 1], 'sufficient')).toBe(String(d.sufficient));
    }

    const funnel = (await t.http.get('/api/v1/analytics/funnel?appliedFrom=2023-01-06').set(analyst))
      .body as FunnelReport;
    const f = await exportAndWait(analyst, {
      report: 'funnel',
      format: 'csv',
      filters: { appliedFrom: '2023-01-06' },
    });
    const rows = (await download(analyst, f.id)).body.toString('utf8').split('\r\n').slice(1, -1);
    expect(rows.map((r) => r.split(',').slice(0, 6).join(','))).toEqual(
      funnel.stages.map((st) =>
        [st.stage, st.label, st.reached, st.advanced, st.exited, st.inProgress].join(','),
      ),
    );

    // A filter the report does not take, or an outcome where there is none, is refused rather than ignored.
    const status = await t.http
      .post('/api/v1/exports')
      .set(analyst)
      .send({ report: 'validity', format: 'csv', filters: { status: 'hired' } });
    expect(status.status).toBe(400);
    expect(status.body).toMatchObject({ errors: [{ field: 'filters.status' }] });
    const outcome = await t.http
      .post('/api/v1/exports')
      .set(analyst)
      .send({ report: 'funnel', format: 'csv', outcome: 'success' });
    expect(outcome.status).toBe(400);
    expect(outcome.body).toMatchObject({ errors: [{ field: 'outcome' }] });
  });

  it('runs a schedule once per due time, however often its job is delivered, and lists its runs', async () => {
    const created = await t.http
      .post('/api/v1/export-schedules')
      .set(analyst)
      .send({
        name: 'Weekly referrals',
        report: 'cohort',
        format: 'csv',
        filters: { source: 'referral' },
        frequency: 'weekly',
      });
    expect(created.status).toBe(201);
    const schedule = created.body as ExportSchedule;
    // Weekly runs are due on Mondays at 02:00 UTC.
    const next = new Date(must(schedule.nextRunAt, 'nextRunAt'));
    expect([next.getUTCDay(), next.getUTCHours(), next.getUTCMinutes()]).toEqual([1, 2, 0]);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(7 * 86_400_000);
    const taken = await t.http
      .post('/api/v1/export-schedules')
      .set(analyst)
      .send({ name: 'Weekly referrals', report: 'cohort', format: 'csv', frequency: 'daily' });
    expect(taken.status).toBe(409);

    // The scheduler's job delivered twice for the same due time (a retry, a second worker): one export.
    const queue = t.app.context.get(QueueService);
    const data = { scheduleId: schedule.id, organizationId: await orgId() };
    await queue.enqueue('export-scheduled', data, `test-run-${schedule.id}-a`);
    await queue.enqueue('export-scheduled', data, `test-run-${schedule.id}-b`);
    const deadline = Date.now() + 30_000;
    let listed: ExportSchedule | undefined;
    for (;;) {
      listed = ((await t.http.get('/api/v1/export-schedules').set(analyst)).body as ExportSchedule[]).find(
        (x) => x.id === schedule.id,
      );
      if (listed?.lastRuns[0]?.status === 'completed') break;
      if (Date.now() > deadline) throw new Error(`schedule run not completed: ${JSON.stringify(listed)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    const runs = ((await t.http.get('/api/v1/exports').set(analyst)).body as ExportSummary[]).filter(
      (e) => e.scheduleId === schedule.id,
    );
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      status: 'completed',
      report: 'cohort',
      rowsWritten: 2,
      filters: { source: 'referral' },
    });

    expect((await t.http.delete(`/api/v1/export-schedules/${schedule.id}`).set(analyst)).status).toBe(204);
    expect(
      ((await t.http.get('/api/v1/export-schedules').set(analyst)).body as ExportSchedule[]).some(
        (x) => x.id === schedule.id,
      ),
    ).toBe(false);
  });

  it('lists a scheduled run whose creator lost access as failed, saying why, and exports nothing', async () => {
    const keyRes = await t.http
      .post('/api/v1/api-keys')
      .set(admin)
      .send({ name: 'nightly script', role: 'analyst' });
    const script = bearer((keyRes.body as { key: string }).key);
    const created = await t.http
      .post('/api/v1/export-schedules')
      .set(script)
      .send({ name: 'Nightly', report: 'reliability', format: 'xlsx', frequency: 'daily' });
    expect(created.status).toBe(201);
    const schedule = created.body as ExportSchedule;
    expect(
      (await t.http.delete(`/api/v1/api-keys/${(keyRes.body as { id: string }).id}`).set(admin)).status,
    ).toBe(204);
    await t.app.context
      .get(QueueService)
      .enqueue(
        'export-scheduled',
        { scheduleId: schedule.id, organizationId: await orgId() },
        `test-run-${schedule.id}`,
      );
    const deadline = Date.now() + 30_000;
    for (;;) {
      const listed = (
        (await t.http.get('/api/v1/export-schedules').set(analyst)).body as ExportSchedule[]
      ).find((x) => x.id === schedule.id);
      const run = listed?.lastRuns[0];
      if (run) {
        expect(run).toMatchObject({ status: 'failed', bytes: null });
        expect(run.error).toMatch(/no longer has an active account or key/);
        expect((await t.http.get(`/api/v1/exports/${run.id}/download`).set(analyst)).status).toBe(409);
        break;
      }
      if (Date.now() > deadline) throw new Error('no failed run listed');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });

  it('exports the fairness tables as their reports show them: suppressed cells carry no count', async () => {
    const stages = (await t.http.get('/api/v1/analytics/adverse-impact/stages?groupBy=sex').set(analyst))
      .body as AdverseImpactStagesReport;
    const done = await exportAndWait(analyst, { report: 'adverse-impact', format: 'csv', groupBy: 'sex' });
    expect(done).toMatchObject({ status: 'completed', options: { groupBy: 'sex' } });
    const lines = (await download(analyst, done.id)).body.toString('utf8').split('\r\n');
    const header = lines[0].split(',');
    const rows = lines
      .slice(1, -1)
      .map((l) => Object.fromEntries(l.split(',').map((v, i) => [header[i], v])));
    // One row per decision and group, then the decision's unknown count, in the report's order.
    const expected = stages.decisions.flatMap((d) => [
      ...d.groups.map((g) => ({
        decision: d.decision,
        group: g.group,
        applicants: g.applicants === null ? '' : String(g.applicants),
        suppressed: String(g.suppressed),
      })),
      {
        decision: d.decision,
        group: 'unknown',
        applicants: d.unknown === null ? '' : String(d.unknown),
        suppressed: String(d.unknownSuppressed ?? false),
      },
    ]);
    expect(
      rows.map((r) => ({
        decision: r['decision'],
        group: r['group'],
        applicants: r['applicants'],
        suppressed: r['suppressed'],
      })),
    ).toEqual(expected);
    // One woman (X1) in the data, under k = 5: suppressed wherever she is counted, with no count, rate or ratio;
    // and the unknown count beside her is suppressed too, or her count would be the total minus it.
    const female = rows.filter((r) => r['group'] === 'female');
    expect(female.length).toBeGreaterThan(0);
    for (const r of female) {
      expect(r).toMatchObject({
        suppressed: 'true',
        applicants: '',
        selected: '',
        selectionRate: '',
        impactRatio: '',
      });
    }

    const audit = await exportAndWait(analyst, {
      report: 'bias-audit',
      format: 'xlsx',
      criterion: 'fundamentals',
    });
    expect(audit).toMatchObject({ status: 'completed', options: { criterion: 'fundamentals' } });
    const refused = await t.http
      .post('/api/v1/exports')
      .set(analyst)
      .send({ report: 'adverse-impact', format: 'csv', criterion: 'fundamentals' });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ errors: [{ field: 'criterion' }] });
  });
});
