import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ImportRunResponse, ImportRunSummary } from '@hiresignal/shared';
import { registerStagingThreadEntry } from '../../src/modules/ingestion/files/staging-thread';
import {
  AI_RUBRIC,
  bearer,
  createOrganization,
  startTestApp,
  waitForImport,
  type TestApp,
} from '../support/test-app';

/*
 * CSV file imports over HTTP (multipart), through the queue, on the embedded database and in-process queue or on
 * PostgreSQL and Redis (DATABASE_URL and REDIS_URL set): messy-but-valid files, row-level errors with their CSV,
 * reject and skip, idempotency, double submit, and progress in the history.
 */
const CSV = resolve(process.cwd(), 'test/fixtures/csv');
const fixture = (name: string) => join(CSV, name);

describe('CSV file imports (multipart upload, staged in the database, written by the worker)', () => {
  let t: TestApp;
  let key: string;

  async function upload(kind: string, file: string | Buffer, onError?: string, filename = 'upload.csv') {
    let req = t.http.post('/api/v1/imports').set(bearer(key)).field('kind', kind);
    if (onError) req = req.field('onError', onError);
    req = typeof file === 'string' ? req.attach('file', file) : req.attach('file', file, filename);
    return req;
  }

  async function importFile(
    kind: string,
    file: string | Buffer,
    onError?: string,
  ): Promise<ImportRunResponse> {
    const res = await upload(kind, file, onError);
    expect(res.status).toBe(202);
    return waitForImport(t, key, (res.body as { importId: string }).importId);
  }

  beforeAll(async () => {
    // On a PostgreSQL server, CSV validation runs in the staging thread, as in the built API (npm test builds it).
    const threadEntry = resolve(process.cwd(), 'dist/apps/api/staging-thread.js');
    if (!existsSync(threadEntry))
      throw new Error(`${threadEntry} is missing: build the API first (npx nx build api)`);
    registerStagingThreadEntry(threadEntry);
    t = await startTestApp({ IMPORT_BATCH_ROWS: '10' });
    key = (await createOrganization(t)).apiKey;
    expect((await t.http.put('/api/v1/rubrics').set(bearer(key)).send(AI_RUBRIC)).status).toBe(200);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('imports a messy but valid CSV (BOM, CRLF, quoted commas and line breaks, spaces, columns in any case)', async () => {
    const run = await importFile('applications', fixture('applications-messy.csv'));
    expect(run).toMatchObject({
      status: 'completed',
      kind: 'applications',
      source: 'csv',
      filename: 'applications-messy.csv',
      onError: 'reject',
      total: 3,
      processed: 3,
      inserted: 3,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      errorCount: 0,
      progress: { phase: 'done', unit: 'rows', processed: 3, total: 3, percent: 100 },
      byKind: [{ recordKind: 'applications', rows: 3, inserted: 3, updated: 0, unchanged: 0, rejected: 0 }],
    });
    expect(run.startedBy.apiKeyId).toMatch(/^[0-9a-f-]{36}$/);
    expect(run.startedBy.apiKeyName).toEqual(expect.any(String));
    expect(run.durationMs).toBeGreaterThanOrEqual(0);
    const jobs = (await t.http.get('/api/v1/jobs').set(bearer(key))).body as {
      jobId: string;
      title: string;
    }[];
    expect(jobs).toEqual(
      expect.arrayContaining([expect.objectContaining({ jobId: 'req-1', title: 'AI Engineer, Platform' })]),
    );
    const rows = (await t.app.db.dataSource.query(
      `SELECT external_id, rejection_reason, applied_at FROM applications ORDER BY external_id`,
    )) as { external_id: string; rejection_reason: string | null; applied_at: Date }[];
    expect(rows.map((r) => r.external_id)).toEqual(['app-1', 'app-2', 'app-3']);
    expect(rows[1].rejection_reason).toBe('Not enough\r\nproduction experience');
    expect(rows[2].applied_at.toISOString()).toBe('2024-01-12T07:30:00.000Z');
  });

  it('imports scores with the default rubric filled in, and separations from an LF file', async () => {
    const scores = await importFile('interview_scores', fixture('interview-scores-messy.csv'));
    expect(scores).toMatchObject({ status: 'completed', inserted: 4, rejected: 0 });
    const seps = await importFile('separations', fixture('separations-lf.csv'));
    expect(seps).toMatchObject({ status: 'completed', inserted: 1 });
    const [row] = (await t.app.db.dataSource.query(
      `SELECT rubric_name, rubric_version, score, stage FROM interview_scores WHERE criterion = 'deployment_at_scale'`,
    )) as { rubric_name: string; rubric_version: number; score: number; stage: string }[];
    expect(row).toEqual({
      rubric_name: 'AI Engineer',
      rubric_version: 1,
      score: 2,
      stage: 'pipeline debugging, part 1',
    });
  });

  it('leaves the database unchanged when the same file is imported again, reporting every row unchanged', async () => {
    const before = await snapshot(t);
    const run = await importFile('applications', fixture('applications-messy.csv'));
    expect(run).toMatchObject({ status: 'completed', inserted: 0, updated: 0, unchanged: 3 });
    expect(await snapshot(t)).toEqual(before);
  });

  it('rejects a file with bad rows whole (onError=reject), naming row, line, column, value and problem', async () => {
    const before = await snapshot(t);
    const run = await importFile('interview_scores', fixture('interview-scores-bad.csv'));
    expect(run.status).toBe('failed');
    expect(run.failureReason).toBe(
      '8 of 10 rows are invalid; nothing was written (onError=reject): see errors.csv',
    );
    expect(run).toMatchObject({ rejected: 8, inserted: 0, errorCount: 8, errorsTruncated: false });
    expect(await snapshot(t)).toEqual(before);
    const byRow = Object.fromEntries(run.errors.map((e) => [e.row, e]));
    expect(byRow[2]).toMatchObject({
      line: 3,
      column: 'score',
      value: 'abc',
      message: 'column score: "abc" is not a number',
    });
    expect(byRow[3]).toMatchObject({
      column: 'score',
      value: '7',
      message: 'column score: "7" must lie on the scale of rubric AI Engineer v1, 1 to 4',
    });
    expect(byRow[4]).toMatchObject({
      column: 'interview_id, interviewer_id, criterion',
      message:
        'duplicates row 1: both have interview_id, interviewer_id, criterion = ["int-9","iv-1","fundamentals"]',
    });
    expect(byRow[5].message).toBe(
      'column criterion: "charisma" is not a criterion of rubric AI Engineer v1 (criteria: fundamentals, deployment_at_scale, communication)',
    );
    expect(byRow[6]).toMatchObject({
      column: 'interviewed_at',
      value: '2024-02-30',
      message:
        'column interviewed_at: "2024-02-30" must be an ISO 8601 date or date-time, e.g. 2025-03-01 or 2025-03-01T14:30:00Z',
    });
    expect(byRow[7].message).toBe('column rubric_version: "1.5" is not a whole number');
    expect(byRow[9].message).toBe(
      'column recommendation: "maybe" must be one of strong_no, no, yes, strong_yes',
    );
    expect(byRow[10]).toMatchObject({
      line: 11,
      column: null,
      message: 'row has 5 fields, the header has 10',
    });

    const csv = await t.http.get(`/api/v1/imports/${run.importId}/errors.csv`).set(bearer(key));
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = (csv.text as string).trim().split('\r\n');
    expect(lines[0]).toBe('row,line,column,value,message');
    expect(lines).toHaveLength(9);
    expect(lines[1]).toBe('2,3,score,abc,"column score: ""abc"" is not a number"');
  });

  it('writes the good rows and reports the bad ones with onError=skip', async () => {
    const run = await importFile('interview_scores', fixture('interview-scores-bad.csv'), 'skip');
    expect(run).toMatchObject({ status: 'completed', onError: 'skip', total: 10, rejected: 8, inserted: 2 });
    const stored = (await t.app.db.dataSource.query(
      `SELECT interviewer_external_id FROM interview_scores WHERE interview_external_id = 'int-9' ORDER BY 1`,
    )) as { interviewer_external_id: string }[];
    expect(stored.map((s) => s.interviewer_external_id)).toEqual(['iv-1', 'iv-7']);
  });

  it('stores backslashes, tabs, quotes, line breaks and non-ASCII text exactly, and refuses a NUL byte per row', async () => {
    // Backslash, tab and line breaks are COPY's own escapes (staging on a server goes through COPY), \N its NULL.
    const tricky = String.raw`C:\new\table \N and a` + '\ttab';
    const csv = Buffer.from(
      [
        'application_id,candidate_id,job_id,applied_at,status,rejection_reason,source',
        `app-esc-1,cand-esc-1,req-esc,2024-05-01,rejected,"${tricky}","quote ""x"" ünïcode 北京 🎯"`,
        'app-esc-2,cand-esc-2,req-esc,2024-05-01,rejected,"line one\nline two\\",',
        'app-esc-3,cand-esc-3,req-esc,2024-05-01,rejected,"bad\u0000byte",',
      ].join('\n'),
    );
    const run = await importFile('applications', csv, 'skip');
    expect(run).toMatchObject({ status: 'completed', total: 3, inserted: 2, rejected: 1 });
    const rows = (await t.app.db.dataSource.query(
      `SELECT external_id, rejection_reason, source FROM applications WHERE job_external_id = 'req-esc'
       ORDER BY external_id`,
    )) as { external_id: string; rejection_reason: string; source: string | null }[];
    expect(rows).toEqual([
      { external_id: 'app-esc-1', rejection_reason: tricky, source: 'quote "x" ünïcode 北京 🎯' },
      { external_id: 'app-esc-2', rejection_reason: 'line one\nline two\\', source: null },
    ]);
    const errors = await t.http.get(`/api/v1/imports/${run.importId}/errors.csv`).set(bearer(key));
    expect((errors.text as string).split('\r\n')[1]).toBe(
      '3,5,rejection_reason,bad\\0byte,"column rejection_reason contains a NUL character (byte 0), which text cannot hold"',
    );
  });

  it('reports an unknown column, refuses a missing required one, and refuses a review before the hire', async () => {
    const unknown = await importFile('interview_scores', fixture('interview-scores-unknown-column.csv'));
    expect(unknown.status).toBe('failed');
    expect(unknown.errors[0]).toMatchObject({
      row: 0,
      line: 1,
      column: 'mood',
      message: expect.stringMatching(
        /^unknown column "mood": interview_scores has the columns application_id, /,
      ),
    });
    const missing = await importFile('interview_scores', fixture('interview-scores-missing-column.csv'));
    expect(missing).toMatchObject({
      status: 'failed',
      failureReason: 'the header lacks the required column interviewer_id of interview_scores',
    });
    const reviews = await importFile(
      'performance_reviews',
      fixture('performance-reviews-before-hire.csv'),
      'skip',
    );
    expect(reviews).toMatchObject({ status: 'completed', inserted: 1, rejected: 2 });
    expect(reviews.errors.map((e) => [e.row, e.message])).toEqual([
      [
        2,
        'column review_date: "2024-02-15T00:00:00Z" is before the hire date 2024-03-01T00:00:00Z of application app-1: a review cannot precede the hire',
      ],
      [3, 'column rating: "9" must lie on the review scale 1 to 5, got 9'],
    ]);
    const broken = await importFile('separations', fixture('not-csv.csv'));
    expect(broken.status).toBe('failed');
    expect(broken.failureReason).toMatch(/^the file is not valid CSV near line/);
  });

  it('refuses a bad kind or onError before storing the file, and answers 404 for another import', async () => {
    expect((await upload('resumes', Buffer.from('a\n1\n'))).status).toBe(422);
    expect((await upload('applications', Buffer.from('a\n1\n'), 'ignore')).status).toBe(422);
    const none = await t.http.post('/api/v1/imports').set(bearer(key)).field('kind', 'applications');
    expect(none.status).toBe(422);
    const json = await t.http.post('/api/v1/imports').set(bearer(key)).send({ kind: 'applications' });
    expect(json.status).toBe(400);
    expect(
      (await t.http.get('/api/v1/imports/00000000-0000-4000-8000-000000000000/errors.csv').set(bearer(key)))
        .status,
    ).toBe(404);
  });

  it('deduplicates a double submit of the same file while the first is in flight', async () => {
    const body = Buffer.from(
      'application_id,candidate_id,job_id,applied_at\r\n' +
        Array.from({ length: 60 }, (_, i) => `dup-${i},c-${i},req-9,2024-05-01`).join('\r\n'),
    );
    const [a, b] = await Promise.all([upload('applications', body), upload('applications', body)]);
    expect([a.status, b.status]).toEqual([202, 202]);
    const ids = [a.body.importId, b.body.importId] as string[];
    const joined = [a.body.deduplicated, b.body.deduplicated] as boolean[];
    if (joined.includes(true)) {
      expect(ids[0]).toBe(ids[1]);
    }
    const runs = await Promise.all([...new Set(ids)].map((id) => waitForImport(t, key, id)));
    expect(runs.reduce((n, r) => n + r.inserted, 0)).toBe(60);
  });

  it('lists imports newest first with status, counts, progress and who started them', async () => {
    const res = await t.http.get('/api/v1/imports?limit=3').set(bearer(key));
    expect(res.status).toBe(200);
    const list = res.body as ImportRunSummary[];
    expect(list).toHaveLength(3);
    for (const item of list) {
      expect(item).toMatchObject({
        importId: expect.any(String),
        status: expect.stringMatching(/^(completed|failed)$/),
        progress: { phase: 'done' },
        startedBy: { apiKeyId: expect.any(String) },
      });
      expect(item).not.toHaveProperty('errors');
    }
    expect(Date.parse(list[0].createdAt)).toBeGreaterThanOrEqual(Date.parse(list[2].createdAt));
  });
});

/** Every hiring table's rows, to show an import changed nothing. */
async function snapshot(t: TestApp) {
  const tables = [
    'applications',
    'jobs',
    'candidates',
    'interview_scores',
    'interviews',
    'interviewers',
    'separations',
  ];
  const out: Record<string, unknown> = {};
  for (const table of tables) {
    out[table] = await t.app.db.dataSource.query(`SELECT * FROM ${table} ORDER BY id`);
  }
  return out;
}
