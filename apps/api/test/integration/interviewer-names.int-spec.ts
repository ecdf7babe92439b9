import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ImportRunResponse, InterviewersReport } from '@hiresignal/shared';
import { registerStagingThreadEntry } from '../../src/modules/ingestion/files/staging-thread';
import {
  AI_RUBRIC,
  bearer,
  createOrganization,
  ingest,
  must,
  startTestApp,
  waitForImport,
  type TestApp,
} from '../support/test-app';

/*
 * An interviewer's display name travels with the scores (interview_scores' optional interviewer_name column, the
 * JSON API's interviewerName): imported from a CSV file or the JSON API, it appears in the interviewers report beside
 * the id, which stays the key. A later record without a name keeps the stored one; a new name replaces it, and the
 * report shows it even when no score changed. Names belong to their organization.
 */
describe('interviewer display names', () => {
  let t: TestApp;
  let key: string;
  let otherKey: string;

  async function importCsv(kind: string, text: string): Promise<ImportRunResponse> {
    const res = await t.http
      .post('/api/v1/imports')
      .set(bearer(key))
      .field('kind', kind)
      .attach('file', Buffer.from(text), `${kind}.csv`);
    expect(res.status).toBe(202);
    return waitForImport(t, key, (res.body as { importId: string }).importId);
  }

  async function report(apiKey = key): Promise<InterviewersReport> {
    const res = await t.http.get('/api/v1/analytics/interviewers?outcome=performance').set(bearer(apiKey));
    expect(res.status).toBe(200);
    return res.body as InterviewersReport;
  }

  const names = (r: InterviewersReport) => r.interviewers.map((i) => [i.interviewerId, i.name]);

  const score = (app: string, interviewer: string, value: number, name?: string) => ({
    applicationId: app,
    interviewId: `${app}-${interviewer}`,
    interviewerId: interviewer,
    criterion: 'fundamentals',
    score: value,
    ...(name === undefined ? {} : { interviewerName: name }),
  });

  beforeAll(async () => {
    // On a PostgreSQL server, CSV validation runs in the staging thread of the built API.
    const threadEntry = resolve(process.cwd(), 'dist/apps/api/staging-thread.js');
    if (!existsSync(threadEntry))
      throw new Error(`${threadEntry} is missing: build the API first (npx nx build api)`);
    registerStagingThreadEntry(threadEntry);
    t = await startTestApp();
    key = (await createOrganization(t)).apiKey;
    otherKey = (await createOrganization(t, 'Other Org')).apiKey;
    for (const k of [key, otherKey]) {
      expect((await t.http.put('/api/v1/rubrics').set(bearer(k)).send(AI_RUBRIC)).status).toBe(200);
      const apps = ['a1', 'a2'].map((id) => ({
        applicationId: id,
        candidateId: `c-${id}`,
        jobId: 'req-1',
        appliedAt: '2024-01-01',
        status: 'rejected',
      }));
      expect(await ingest(t, k, 'applications', apps)).toMatchObject({ status: 'completed', inserted: 2 });
    }
  });

  afterAll(async () => {
    await t?.close();
  });

  it('reads interviewer_name from a CSV import into the report, keyed by the id', async () => {
    const run = await importCsv(
      'interview_scores',
      [
        'application_id,interview_id,interviewer_id,criterion,score,interviewer_name',
        'a1,a1-iv-a,iv-a,fundamentals,3,Ada Lovelace',
        'a2,a2-iv-a,iv-a,fundamentals,2,Ada Lovelace',
        'a1,a1-iv-b,iv-b,fundamentals,4,',
      ].join('\r\n'),
    );
    expect(run).toMatchObject({ status: 'completed', inserted: 3, rejected: 0 });
    expect(names(await report())).toEqual([
      ['iv-a', 'Ada Lovelace'],
      ['iv-b', null],
    ]);
  });

  it('keeps a stored name when later records carry none, and shows a new name even when no score changed', async () => {
    const again = await ingest(t, key, 'interview_scores', [score('a1', 'iv-a', 3), score('a2', 'iv-a', 2)]);
    expect(again).toMatchObject({ status: 'completed', inserted: 0, updated: 0, unchanged: 2 });
    expect(names(await report())).toEqual([
      ['iv-a', 'Ada Lovelace'],
      ['iv-b', null],
    ]);

    // The same score as before, now with a name: the score row is unchanged, the interviewer is not.
    const named = await ingest(t, key, 'interview_scores', [score('a1', 'iv-b', 4, 'Grace Hopper')]);
    expect(named).toMatchObject({ status: 'completed', unchanged: 1 });
    const renamed = await ingest(t, key, 'interview_scores', [score('a2', 'iv-a', 2, 'Ada King')]);
    expect(renamed).toMatchObject({ status: 'completed', unchanged: 1 });
    const after = await report();
    expect(names(after)).toEqual([
      ['iv-a', 'Ada King'],
      ['iv-b', 'Grace Hopper'],
    ]);
    // The id is still the key: the same two interviewers with the same interviews.
    expect(after.interviewers.map((i) => [i.interviewerId, i.interviews])).toEqual([
      ['iv-a', 2],
      ['iv-b', 1],
    ]);
  });

  it("keeps each organization's names to itself", async () => {
    expect(
      await ingest(t, otherKey, 'interview_scores', [score('a1', 'iv-a', 1, 'Someone Else')]),
    ).toMatchObject({ status: 'completed', inserted: 1 });
    expect(names(await report(otherKey))).toEqual([['iv-a', 'Someone Else']]);
    const mine = must(
      (await report()).interviewers.find((i) => i.interviewerId === 'iv-a'),
      'iv-a in the first organization',
    );
    expect(mine.name).toBe('Ada King');
  });

  it('refuses a name longer than 200 characters, naming the record and field', async () => {
    const res = await t.http
      .post('/api/v1/records/interview_scores')
      .set(bearer(key))
      .send({ records: [score('a1', 'iv-c', 3, 'x'.repeat(201))] });
    expect(res.status).toBe(422);
    expect(res.body.errors[0]).toMatchObject({ index: 0, field: 'interviewerName' });
  });
});
