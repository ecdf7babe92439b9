import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ImportRunResponse } from '@hiresignal/shared';
import fc from 'fast-check';
import { Client } from 'pg';
import { createStorage, ROOT, runCli, startApi, type ApiProcess, type Storage } from '../support/processes';

/*
 * Hostile input against the built product as a real process, on PostgreSQL + Redis (DATABASE_URL and REDIS_URL set)
 * and on the embedded mode: a table of malformed requests and files, each with its expected answer, then
 * property-based fuzzing of the CSV and JSON paths. Throughout, the process must stay up, every answer must be 2xx
 * or 4xx, and the database must hold exactly the good rows; afterwards GET /api/health is 200 and the process's
 * resident memory is back under RSS_CEILING_MB.
 */

const FIXTURES = join(ROOT, 'test/fixtures/hostile');
const HEADER = 'application_id,candidate_id,job_id,applied_at';
/**
 * The API process's resident memory after the suite. With PostgreSQL it idles near 150-200 MB; embedded, PGlite's
 * WebAssembly heap lives in the process too (about 320 MB right after boot) and grows with use without shrinking.
 */
const RSS_CEILING_MB = process.env['DATABASE_URL'] ? 400 : 650;

let api: ApiProcess;
let storage: Storage;
let key = '';
let organizationId = '';

const auth = () => ({ Authorization: `Bearer ${key}` });

async function upload(kind: string, file: Buffer, onError = 'skip'): Promise<Response> {
  const form = new FormData();
  form.append('kind', kind);
  form.append('onError', onError);
  form.append('file', new Blob([new Uint8Array(file)]), 'file.csv');
  return fetch(`${api.url}/api/v1/imports`, { method: 'POST', headers: auth(), body: form });
}

async function waitFinished(id: string, timeoutMs = 60_000): Promise<ImportRunResponse> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${api.url}/api/v1/imports/${id}`, { headers: auth() });
    const run = (await res.json()) as ImportRunResponse;
    if (run.status === 'completed' || run.status === 'failed') return run;
    if (Date.now() > deadline) throw new Error(`import ${id} unfinished: ${JSON.stringify(run)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function importFile(kind: string, file: Buffer, onError = 'skip'): Promise<ImportRunResponse> {
  const res = await upload(kind, file, onError);
  expect(res.status).toBe(202);
  return waitFinished(((await res.json()) as { importId: string }).importId);
}

/** Application ids with this prefix in the database: exactly the good rows of the case that owns the prefix. */
async function storedIds(prefix: string): Promise<string[] | null> {
  const url = storage.env['DATABASE_URL'];
  if (!url) return null;
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ external_id: string }>(
      `SELECT external_id FROM applications WHERE organization_id = $1 AND starts_with(external_id, $2)
       ORDER BY external_id`,
      [organizationId, prefix],
    );
    return rows.map((r) => r.external_id);
  } finally {
    await c.end();
  }
}

/** On PostgreSQL the rows themselves are checked; embedded (one process holds the database) the run's counts. */
async function expectGoodRows(prefix: string, run: ImportRunResponse, good: string[]): Promise<void> {
  const ids = await storedIds(prefix);
  if (ids) expect(ids).toEqual([...good].sort());
  expect(run.inserted + run.updated + run.unchanged).toBe(good.length);
}

interface RawAnswer {
  status: number | null;
  text: string;
}

/** Sends a hand-made HTTP request (head, then body pieces with pauses) and reads whatever comes back. */
function rawRequest(
  head: string,
  pieces: (string | Buffer)[],
  options: { pauseMs?: number; closeAfterMs?: number } = {},
): Promise<RawAnswer> {
  const url = new URL(api.url);
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    let text = '';
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      socket.destroy();
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
      resolve({ status: m ? Number(m[1]) : null, text });
    };
    socket.on('data', (d) => {
      text += d.toString();
      if (/\r\n\r\n/.test(text) && /\r\n0\r\n\r\n$|\}$/.test(text)) finish();
    });
    socket.on('error', finish);
    socket.on('close', finish);
    socket.on('connect', async () => {
      socket.write(head);
      for (const piece of pieces) {
        if (options.pauseMs) await new Promise((r) => setTimeout(r, options.pauseMs));
        if (!socket.destroyed) socket.write(piece);
      }
      if (options.closeAfterMs !== undefined) setTimeout(() => socket.end(), options.closeAfterMs);
    });
    setTimeout(finish, 15_000);
  });
}

function multipart(boundary: string, parts: { name: string; value: string | Buffer; file?: boolean }[]) {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = p.file
      ? `form-data; name="${p.name}"; filename="f.csv"\r\nContent-Type: text/csv`
      : `form-data; name="${p.name}"`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n\r\n`));
    chunks.push(Buffer.isBuffer(p.value) ? p.value : Buffer.from(p.value));
    chunks.push(Buffer.from('\r\n'));
  }
  return Buffer.concat(chunks);
}

function uploadHead(length: number, boundary = 'hostile'): string {
  const url = new URL(api.url);
  return (
    `POST /api/v1/imports HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${key}\r\n` +
    `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${length}\r\n\r\n`
  );
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function expectHealthy(): Promise<void> {
  const res = await fetch(`${api.url}/api/health`);
  expect(res.status).toBe(200);
}

describe('hostile input: the process stays up, answers 2xx/4xx and keeps exactly the good rows', () => {
  beforeAll(async () => {
    storage = await createStorage();
    const created = await runCli(['admin', 'create-org', '--name', 'Hostile'], storage.env);
    if (created.code !== 0) throw new Error(`create-org failed: ${created.stderr}`);
    ({ apiKey: key, organizationId } = JSON.parse(created.stdout.trim()) as {
      apiKey: string;
      organizationId: string;
    });
    api = await startApi({ SEED_DEMO: 'false', BODY_LIMIT_MB: '4', ...storage.env });
  });

  afterAll(async () => {
    await api?.stop('SIGKILL');
    await storage?.dispose();
  });

  afterEach(async () => {
    expect(api.child.exitCode).toBeNull();
    await expectHealthy();
  });

  describe('malformed requests', () => {
    const get = (path: string) => fetch(`${api.url}${path}`, { headers: auth() });
    const postJson = (path: string, body: string) =>
      fetch(`${api.url}${path}`, {
        method: 'POST',
        headers: { ...auth(), 'Content-Type': 'application/json' },
        body,
      });
    let deep = '"x"';
    for (let i = 0; i < 5000; i++) deep = `{"a":${deep}}`;
    const record = (over: Record<string, unknown>) =>
      JSON.stringify({
        records: [
          { applicationId: 'json-1', candidateId: 'c', jobId: 'j', appliedAt: '2024-01-01', ...over },
        ],
      });

    const cases: [string, () => Promise<Response>, number, RegExp?][] = [
      [
        'hiredFrom=0000-01-01',
        () => get('/api/v1/analytics/validity?hiredFrom=0000-01-01'),
        422,
        /hiredFrom/,
      ],
      ['hiredTo=9999-12-31', () => get('/api/v1/analytics/validity?hiredTo=9999-12-31'), 422, /hiredTo/],
      ['a NUL in a filter', () => get('/api/v1/analytics/validity?jobId=a%00b'), 422, /control characters/],
      ['a tab in a filter', () => get('/api/v1/analytics/reliability?source=a%09b'), 422, /control/],
      ['an empty export request', () => postJson('/api/v1/exports', '{}'), 400, /report/],
      [
        'a NUL in an export filter',
        () =>
          postJson(
            '/api/v1/exports',
            JSON.stringify({ report: 'cohort', format: 'csv', filters: { source: 'a\u0000b' } }),
          ),
        400,
        /control characters/,
      ],
      [
        'a cohort name of 2 million characters',
        () => postJson('/api/v1/cohorts', JSON.stringify({ name: 'x'.repeat(2_000_000) })),
        400,
        /longer than/,
      ],
      ['a NUL in an export id', () => get('/api/v1/exports/%00/download'), 404],
      [
        'an unknown fairness grouping',
        () => get('/api/v1/analytics/adverse-impact?groupBy=bogus'),
        422,
        /groupBy/,
      ],
      [
        'a NUL in a fairness criterion',
        () => get('/api/v1/analytics/bias-audit?criterion=a%00b'),
        422,
        /control/,
      ],
      [
        'a NUL in a funnel filter',
        () => get('/api/v1/analytics/funnel?source=a%00b'),
        422,
        /control characters/,
      ],
      [
        'appliedFrom=0000-01-01',
        () => get('/api/v1/analytics/funnel?appliedFrom=0000-01-01'),
        422,
        /appliedFrom/,
      ],
      ['a NUL in an import id', () => get('/api/v1/imports/a%00b'), 404],
      ['a NUL in the errors.csv id', () => get('/api/v1/imports/%00/errors.csv'), 404],
      [
        'a record nested 5,000 deep',
        () => postJson('/api/v1/records/applications', `{"records":[${deep}]}`),
        400,
        /deeper than 32/,
      ],
      [
        'a string of 2 million characters',
        () => postJson('/api/v1/records/applications', record({ jobTitle: 'x'.repeat(2_000_000) })),
        400,
        /longer than/,
      ],
      [
        'a body over BODY_LIMIT_MB',
        () => postJson('/api/v1/records/applications', record({ jobTitle: 'x'.repeat(5 * 1024 * 1024) })),
        413,
      ],
      [
        'a NUL in a record id',
        () => postJson('/api/v1/records/applications', record({ applicationId: 'a\u0000' })),
        422,
        /control characters/,
      ],
      [
        'year 0000 in a record',
        () => postJson('/api/v1/records/applications', record({ appliedAt: '0000-01-01' })),
        422,
        /appliedAt/,
      ],
      [
        'year 9999 in a record',
        () => postJson('/api/v1/records/applications', record({ appliedAt: '9999-12-31T00:00:00Z' })),
        422,
        /1900-01-01 and 2200-12-31/,
      ],
      ['malformed JSON', () => postJson('/api/v1/records/applications', '{"records": ['), 400],
      ['records not an array', () => postJson('/api/v1/records/applications', '{"records": "x"}'), 422],
      ['an unknown kind', () => postJson('/api/v1/records/nope', record({})), 404],
      ['an empty file', () => upload('applications', Buffer.alloc(0)), 422, /empty/],
      [
        'no kind part',
        () =>
          fetch(`${api.url}/api/v1/imports`, {
            method: 'POST',
            headers: auth(),
            body: (() => {
              const f = new FormData();
              f.append('file', new Blob(['x']), 'f.csv');
              return f;
            })(),
          }),
        422,
        /kind/,
      ],
      ['an unknown kind part', () => upload('nope', Buffer.from('x')), 422, /Unknown kind/],
      [
        'an upload that is not multipart',
        () =>
          fetch(`${api.url}/api/v1/imports`, {
            method: 'POST',
            headers: { ...auth(), 'Content-Type': 'text/csv' },
            body: 'a,b',
          }),
        400,
      ],
    ];
    // One array argument per case: a test function with more parameters than a row has would get jest's done.
    it.each(cases.map((c) => [c[0], c] as const))('%s', async (_name, [, request, status, message]) => {
      const res = await request();
      expect(res.status).toBe(status);
      const body = (await res.json()) as {
        statusCode: number;
        error: string;
        message: string;
        problems: unknown[];
      };
      expect(body).toMatchObject({
        statusCode: status,
        error: expect.any(String),
        message: expect.any(String),
      });
      expect(body.problems.length).toBeGreaterThan(0);
      if (message) expect(JSON.stringify(body)).toMatch(message);
    });

    it('a multipart body without its closing boundary: 400, and nothing is left behind', async () => {
      const body = multipart('hostile', [
        { name: 'kind', value: 'applications' },
        { name: 'file', value: `${HEADER}\r\ntrunc-1,c,j,2024-01-01\r\n`, file: true },
      ]);
      const answer = await rawRequest(uploadHead(body.length), [body]);
      expect(answer.status).toBe(400);
      expect(answer.text).toMatch(/broke off/);
      expect(await storedIds('trunc-')).toEqual(storedIdsEmpty());
    });

    it('a multipart header without a boundary: 400', async () => {
      const url = new URL(api.url);
      const answer = await rawRequest(
        `POST /api/v1/imports HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${key}\r\n` +
          'Content-Type: multipart/form-data\r\nContent-Length: 3\r\n\r\n',
        ['abc'],
      );
      expect(answer.status).toBe(400);
    });

    it('a declared Content-Length of 2 GB with a short body: 413 at once', async () => {
      const body = multipart('hostile', [{ name: 'kind', value: 'applications' }]);
      const answer = await rawRequest(uploadHead(2 * 1024 ** 3), [body]);
      expect(answer.status).toBe(413);
    });

    it('a body that stops short of its Content-Length and hangs up: the process stays up', async () => {
      const body = multipart('hostile', [
        { name: 'kind', value: 'applications' },
        { name: 'file', value: `${HEADER}\r\nshort-1,c,j,2024-01-01\r\n`, file: true },
      ]);
      await rawRequest(uploadHead(body.length + 5000), [body], { closeAfterMs: 300 });
      expect(await storedIds('short-')).toEqual(storedIdsEmpty());
    });

    it('a slow upload (the body in 30 pieces, 50 ms apart): accepted and imported', async () => {
      const csv = `${HEADER}\r\n${Array.from({ length: 30 }, (_, i) => `slow-${i},c,j,2024-01-01`).join('\r\n')}\r\n`;
      const body = Buffer.concat([
        multipart('hostile', [
          { name: 'kind', value: 'applications' },
          { name: 'onError', value: 'skip' },
          { name: 'file', value: csv, file: true },
        ]),
        Buffer.from('--hostile--\r\n'),
      ]);
      const pieces = Array.from({ length: 30 }, (_, i) =>
        body.subarray(Math.floor((i * body.length) / 30), Math.floor(((i + 1) * body.length) / 30)),
      );
      const answer = await rawRequest(uploadHead(body.length), pieces, { pauseMs: 50 });
      expect(answer.status).toBe(202);
      const id = /"importId":"([^"]+)"/.exec(answer.text)?.[1] as string;
      const run = await waitFinished(id);
      expect(run.status).toBe('completed');
      await expectGoodRows(
        'slow-',
        run,
        Array.from({ length: 30 }, (_, i) => `slow-${i}`),
      );
    });
  });

  describe('malformed files (onError=skip)', () => {
    const fixture = (name: string) => readFileSync(join(FIXTURES, name));
    const cases: {
      name: string;
      file: () => Buffer;
      prefix: string;
      status: 'completed' | 'failed';
      good: string[];
      errors?: number;
      reason?: RegExp;
    }[] = [
      {
        name: 'broken-quote-unclosed.csv',
        file: () => fixture('broken-quote-unclosed.csv'),
        prefix: 'hq-',
        status: 'failed',
        good: [],
        errors: 1,
        reason: /not valid CSV near line 3/,
      },
      {
        name: 'broken-quote-opening.csv',
        file: () => fixture('broken-quote-opening.csv'),
        prefix: 'ho-',
        status: 'failed',
        good: [],
        errors: 1,
        reason: /not valid CSV near line 3/,
      },
      {
        name: 'invalid-utf8.csv',
        file: () => fixture('invalid-utf8.csv'),
        prefix: 'hu-',
        status: 'failed',
        good: [],
        errors: 1,
        reason: /not valid UTF-8.*byte offset 74 \(line 3\)/,
      },
      {
        name: 'cr-only.csv',
        file: () => fixture('cr-only.csv'),
        prefix: 'hc-',
        status: 'completed',
        good: ['hc-1', 'hc-2'],
      },
      {
        name: 'duplicate-headers.csv',
        file: () => fixture('duplicate-headers.csv'),
        prefix: 'hd-',
        status: 'failed',
        good: [],
        reason: /job_id appears twice/,
      },
      {
        name: 'header-only.csv',
        file: () => fixture('header-only.csv'),
        prefix: 'nothing-',
        status: 'completed',
        good: [],
      },
      {
        name: 'bom-in-the-middle.csv',
        file: () => fixture('bom-in-the-middle.csv'),
        prefix: 'hb-',
        status: 'completed',
        good: ['hb-1', 'hb-2'],
      },
      {
        name: 'formula-values.csv',
        file: () => fixture('formula-values.csv'),
        prefix: 'hf-',
        status: 'completed',
        good: ['hf-1'],
        errors: 4,
      },
      {
        name: 'dates-out-of-range.csv',
        file: () => fixture('dates-out-of-range.csv'),
        prefix: 'hy-',
        status: 'completed',
        good: ['hy-1', 'hy-5'],
        errors: 3,
      },
      {
        name: 'control-characters.csv',
        file: () => fixture('control-characters.csv'),
        prefix: 'hn-',
        status: 'completed',
        good: ['hn-1'],
        errors: 2,
      },
      {
        name: 'a 3 MB line (over IMPORT_MAX_LINE_BYTES)',
        file: () =>
          Buffer.from(`${HEADER}\nhl-1,c,j,2024-01-01\nhl-2,${'c'.repeat(3 * 1024 * 1024)},j,2024-01-01\n`),
        prefix: 'hl-',
        status: 'failed',
        good: [],
        reason: /line 3 is longer than 1048576 bytes/,
      },
      {
        name: '10,000 columns (unknown ones reported, the rows kept)',
        file: () => {
          const extra = Array.from({ length: 9996 }, (_, i) => `x${i}`);
          const cells = Array.from({ length: 9996 }, () => '1');
          return Buffer.from(`${HEADER},${extra.join(',')}\nhw-1,c,j,2024-01-01,${cells.join(',')}\n`);
        },
        prefix: 'hw-',
        status: 'completed',
        good: ['hw-1'],
        errors: 9996,
      },
      {
        name: 'a truncated gzip (compressed uploads are not accepted: not UTF-8)',
        file: () => gzipSync(Buffer.from(`${HEADER}\nhz-1,c,j,2024-01-01\n`.repeat(50))).subarray(0, 40),
        prefix: 'hz-',
        status: 'failed',
        good: [],
        reason: /not valid UTF-8/,
      },
    ];
    it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      const run = await importFile('applications', c.file());
      expect(run.status).toBe(c.status);
      if (c.reason) expect(run.failureReason).toMatch(c.reason);
      if (c.errors !== undefined) expect(run.errorCount).toBe(c.errors);
      // A file error is not retried: it is the file, not the database.
      if (c.status === 'failed') {
        const retried = api
          .output()
          .split('\n')
          .filter((line) => / attempt \d+\/\d+ failed/.test(line));
        expect({ attempts: run.attempts, retried }).toEqual({ attempts: 1, retried: [] });
      }
      await expectGoodRows(c.prefix, run, c.good);
    });

    it('errors.csv neutralizes formula-like values', async () => {
      const run = await importFile(
        'applications',
        Buffer.from(`${HEADER}\nhg-1,c,j,=1+1\nhg-2,c,j,@SUM(A1)\n`),
      );
      const csv = await (await fetch(`${api.url}${run.errorsCsvUrl}`, { headers: auth() })).text();
      const lines = csv.trim().split('\r\n').slice(1);
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^1,2,applied_at,'=1\+1,/);
      expect(lines[1]).toMatch(/^2,3,applied_at,'@SUM\(A1\),/);
    });

    it('an ATS export nested deeper than JSON_MAX_DEPTH, or not JSON: a file error', async () => {
      let deep = '1';
      for (let i = 0; i < 5000; i++) deep = `[${deep}]`;
      const nested = await importFile('greenhouse', Buffer.from(`[{"id": 1, "x": ${deep}}]`));
      expect(nested.status).toBe('failed');
      expect(nested.failureReason).toMatch(/nested deeper than 32 levels/);
      const cut = await importFile('greenhouse', Buffer.from('[{"id": 1, "name": "a'));
      expect(cut.status).toBe('failed');
      expect(cut.attempts).toBe(1);
    });

    it('a failed file uploaded again starts a new run instead of joining the failed one', async () => {
      const file = fixture('broken-quote-unclosed.csv');
      const first = (await (await upload('applications', file)).json()) as { importId: string };
      expect((await waitFinished(first.importId)).status).toBe('failed');
      const again = (await (await upload('applications', file)).json()) as {
        importId: string;
        deduplicated: boolean;
      };
      expect(again.deduplicated).toBe(false);
      expect(again.importId).not.toBe(first.importId);
      expect((await waitFinished(again.importId)).status).toBe('failed');
    });
  });

  describe('fuzzing (fast-check)', () => {
    let round = 0;
    const idChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_'.split(''));
    const goodRow = fc.record({
      candidate: fc.string({ unit: idChar, minLength: 1, maxLength: 12 }),
      job: fc.string({ unit: idChar, minLength: 1, maxLength: 8 }),
      day: fc.integer({ min: 1, max: 28 }),
      quote: fc.boolean(),
    });
    const hostileCell = fc.oneof(
      fc.constantFrom(
        '=1+1',
        '@SUM(A1)',
        '+1',
        '-1',
        '0000-01-01',
        '9999-12-31',
        '\u0000',
        'a\u0001b',
        '',
        ' ',
      ),
      fc.string({ maxLength: 20 }),
    );
    const row = fc.oneof(
      { weight: 3, arbitrary: goodRow.map((g) => ({ good: true as const, ...g })) },
      {
        weight: 1,
        arbitrary: fc.record({
          good: fc.constant(false as const),
          cell: hostileCell,
          column: fc.integer({ min: 1, max: 3 }),
        }),
      },
    );
    const quoted = (v: string) => `"${v.replace(/"/g, '""')}"`;

    it('CSV: any mix of good and hostile rows imports exactly the good ones', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 30 }), async (rows) => {
          const prefix = `fz${++round}-`;
          const good: string[] = [];
          const lines = rows.map((r, i) => {
            const id = `${prefix}${i}`;
            if (r.good) {
              good.push(id);
              const cells = [id, r.candidate, r.job, `2024-02-${String(r.day).padStart(2, '0')}`];
              return (r.quote ? cells.map(quoted) : cells).join(',');
            }
            const cells = [id, 'c', 'j', 'not-a-date'];
            // The hostile cell replaces candidate, job or date; with 'not-a-date' kept elsewhere the row stays bad.
            cells[r.column] = quoted(r.cell);
            if (r.column === 3 && /^\s*(19\d\d|2[01]\d\d|2200)-\d\d-\d\d/.test(r.cell))
              cells[1] = quoted('\u0000');
            return cells.join(',');
          });
          const run = await importFile('applications', Buffer.from(`${HEADER}\n${lines.join('\n')}\n`));
          expect(run.status).toBe('completed');
          await expectGoodRows(prefix, run, good);
        }),
        { numRuns: 20 },
      );
    });

    it('JSON: any records, hostile or not, answer 202 (then exactly the good ones) or 4xx with nothing written', async () => {
      const goodRecord = goodRow.map((g) => ({
        candidateId: g.candidate,
        jobId: g.job,
        appliedAt: `2024-03-${String(g.day).padStart(2, '0')}`,
      }));
      const anyRecord = fc.oneof(
        { weight: 3, arbitrary: goodRecord },
        { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 4 })) },
        { weight: 1, arbitrary: goodRecord.chain((r) => hostileCell.map((v) => ({ ...r, appliedAt: v }))) },
      );
      await fc.assert(
        fc.asyncProperty(fc.array(anyRecord, { minLength: 1, maxLength: 20 }), async (records) => {
          const prefix = `jz${++round}-`;
          const body = records.map((r, i) => ({ ...r, applicationId: `${prefix}${i}` }));
          const res = await fetch(`${api.url}/api/v1/records/applications`, {
            method: 'POST',
            headers: { ...auth(), 'Content-Type': 'application/json' },
            body: JSON.stringify({ records: body }),
          });
          expect([202, 400, 413, 422]).toContain(res.status);
          const answer = (await res.json()) as { importId?: string };
          if (res.status === 202) {
            const run = await waitFinished(answer.importId as string);
            expect(run.status).toBe('completed');
            await expectGoodRows(
              prefix,
              run,
              body.map((r) => String(r.applicationId)),
            );
          } else {
            const ids = await storedIds(prefix);
            if (ids) expect(ids).toEqual([]);
          }
        }),
        { numRuns: 25 },
      );
    });
  });

  describe('afterwards', () => {
    it('health is 200 and the resident memory is back under the ceiling', async () => {
      await expectHealthy();
      const pid = api.child.pid as number;
      let rss = rssMb(pid);
      for (let i = 0; i < 20 && rss > RSS_CEILING_MB; i++) {
        await new Promise((r) => setTimeout(r, 250));
        rss = rssMb(pid);
      }
      process.stdout.write(
        `hostile-input suite: API RSS ${rss.toFixed(0)} MB (ceiling ${RSS_CEILING_MB} MB)\n`,
      );
      expect(rss).toBeLessThan(RSS_CEILING_MB);
    });
  });
});

/** What storedIds answers for "no rows": [] on PostgreSQL, null (not checkable from outside) when embedded. */
function storedIdsEmpty(): string[] | null {
  return storage.env['DATABASE_URL'] ? [] : null;
}
