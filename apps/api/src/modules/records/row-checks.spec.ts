import { testRubric } from './rubric.fixture';
import { checkCsvRow, columnMessage, keyColumns, naturalKey, planHeader } from './row-checks';

const rubric = testRubric({
  criteria: [
    { key: 'fundamentals', label: 'Fundamentals' },
    { key: 'communication', label: 'Communication' },
  ],
});

const SCORE_HEADER = [
  'application_id',
  'interview_id',
  'interviewer_id',
  'criterion',
  'score',
  'interviewed_at',
];

describe('planHeader', () => {
  it('accepts the columns in any order and case, with spaces around them', () => {
    const plan = planHeader('separations', [' Separation_Type', 'application_id ', 'SEPARATED_AT']);
    expect(plan).toMatchObject({
      fatal: null,
      problems: [],
      fields: ['separationType', 'applicationId', 'separatedAt'],
    });
  });

  it('reports an unknown column on the header row and ignores it', () => {
    const plan = planHeader('separations', ['application_id', 'separated_at', 'separation_type', 'mood']);
    expect(plan.fatal).toBeNull();
    expect(plan.fields[3]).toBeNull();
    expect(plan.problems).toEqual([
      expect.objectContaining({
        row: 0,
        line: 1,
        column: 'mood',
        message:
          'unknown column "mood": separations has the columns application_id, separated_at, separation_type',
      }),
    ]);
  });

  it('refuses a header without a required column, or with a column twice', () => {
    expect(planHeader('separations', ['application_id']).fatal).toBe(
      'the header lacks the required columns separated_at, separation_type of separations',
    );
    expect(
      planHeader('separations', ['application_id', 'separated_at', 'separation_type', 'separated_at']).fatal,
    ).toBe('column separated_at appears twice in the header');
  });
});

describe('checkCsvRow', () => {
  const plan = planHeader('interview_scores', SCORE_HEADER);
  const row = (cells: string[]) => checkCsvRow(plan, cells, 7, 9, [rubric]);

  it('coerces numbers, fills the default rubric and normalizes timestamps to UTC', () => {
    const result = row(['a1', 'i1', 'v1', 'fundamentals', ' 3.5 ', '2024-01-20T10:00:00+02:00']);
    expect(result.problems).toEqual([]);
    expect(result.staged).toEqual({
      kind: 'interview_scores',
      row: 7,
      line: 9,
      key: '["i1","v1","fundamentals"]',
      record: {
        applicationId: 'a1',
        interviewId: 'i1',
        interviewerId: 'v1',
        criterion: 'fundamentals',
        score: 3.5,
        interviewedAt: '2024-01-20T08:00:00.000Z',
        rubric: 'AI Engineer',
        rubricVersion: 1,
      },
    });
  });

  it('names the column, the value and the problem', () => {
    const problem = (cells: string[]) => row(cells).problems.map((p) => [p.column, p.value, p.message]);
    expect(problem(['a1', 'i1', 'v1', 'fundamentals', 'abc', ''])).toEqual([
      ['score', 'abc', 'column score: "abc" is not a number'],
    ]);
    expect(problem(['a1', 'i1', 'v1', 'fundamentals', '5', ''])).toEqual([
      ['score', '5', 'column score: "5" must lie on the scale of rubric AI Engineer v1, 1 to 4'],
    ]);
    expect(problem(['a1', 'i1', '', 'fundamentals', '3', ''])).toEqual([
      ['interviewer_id', null, 'column interviewer_id is required'],
    ]);
    expect(problem(['a1', 'i1', 'v1', 'fundamentals', '3', '2025-02-30'])[0][2]).toMatch(
      /^column interviewed_at: "2025-02-30" must be an ISO 8601 date/,
    );
    expect(problem(['a1', 'i1', 'v1'])).toEqual([[null, null, 'row has 3 fields, the header has 6']]);
  });

  it('checks an application: hire date before the application', () => {
    const apps = planHeader('applications', [
      'application_id',
      'candidate_id',
      'job_id',
      'applied_at',
      'status',
      'hired_at',
    ]);
    const result = checkCsvRow(apps, ['a', 'c', 'j', '2024-05-01', 'hired', '2024-04-01'], 1, 2, []);
    expect(result.problems.map((p) => p.message)).toEqual([
      'column hired_at: "2024-04-01" must not be before appliedAt',
    ]);
  });
});

describe('helpers', () => {
  it('formats messages and keys', () => {
    expect(columnMessage('score', 'x', 'is not a number')).toBe('column score: "x" is not a number');
    expect(columnMessage('score', '', 'is required')).toBe('column score is required');
    expect(keyColumns('interview_scores')).toBe('interview_id, interviewer_id, criterion');
    expect(keyColumns('jobs')).toBe('job_id');
    expect(
      naturalKey('separations', { applicationId: 'a', separatedAt: 'x', separationType: 'involuntary' }),
    ).toBe('a');
  });
});
