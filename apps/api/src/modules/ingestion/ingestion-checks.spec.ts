import type { InterviewScoreRecord } from '@hiresignal/shared';
import type { Rubric } from '../records/hiring-records.entities';
import { resolveRubrics } from '../records/rubric-checks';
import { testRubric } from '../records/rubric.fixture';
import { findDuplicates } from './ingestion.service';

const rubric = (over: Partial<Rubric>): Rubric =>
  testRubric({ criteria: [{ key: 'fundamentals', label: 'F' }], isDefault: false, ...over });

const score = (over: Partial<InterviewScoreRecord>): InterviewScoreRecord => ({
  applicationId: 'a1',
  interviewId: 'i1',
  interviewerId: 'v1',
  criterion: 'fundamentals',
  score: 3,
  ...over,
});

describe('findDuplicates', () => {
  it('names the later record and the first one with the same natural key', () => {
    const errors = findDuplicates('applications', [
      { applicationId: 'x', candidateId: 'c', jobId: 'j', appliedAt: '2025-01-01', status: 'active' },
      { applicationId: 'y', candidateId: 'c', jobId: 'j', appliedAt: '2025-01-01', status: 'active' },
      { applicationId: 'x', candidateId: 'c2', jobId: 'j', appliedAt: '2025-01-01', status: 'active' },
    ]);
    expect(errors).toEqual([
      { index: 2, field: 'applicationId', message: 'duplicates record 0: both have applicationId "x"' },
    ]);
  });

  it('refuses one interview attached to two applications', () => {
    const errors = findDuplicates('interview_scores', [
      score({}),
      score({ criterion: 'communication', applicationId: 'a2' }),
    ]);
    expect(errors).toEqual([
      expect.objectContaining({
        index: 1,
        field: 'applicationId',
        message: 'interview i1 belongs to application a1 in record 0',
      }),
    ]);
  });
});

describe('resolveRubrics', () => {
  const v1 = rubric({ version: 1, isDefault: true });
  const v2 = rubric({
    id: 'r2',
    version: 2,
    scaleMax: 5,
    criteria: [
      { key: 'fundamentals', label: 'F' },
      { key: 'ownership', label: 'O' },
    ],
  });

  it('fills in the default rubric, or the newest version of a named one', () => {
    const records = [score({}), score({ interviewId: 'i2', rubric: 'AI Engineer', score: 5 })];
    expect(resolveRubrics(records, [v1, v2])).toEqual([]);
    expect(records.map((r) => [r.rubric, r.rubricVersion])).toEqual([
      ['AI Engineer', 1],
      ['AI Engineer', 2],
    ]);
  });

  it('checks the score lies on the scale and the criterion belongs to the rubric', () => {
    const errors = resolveRubrics(
      [
        score({ score: 5 }),
        score({ interviewId: 'i2', criterion: 'ownership' }),
        score({ interviewId: 'i3', score: 0.5, rubricVersion: 2, rubric: 'AI Engineer' }),
      ],
      [v1, v2],
    );
    expect(errors).toEqual([
      expect.objectContaining({
        index: 0,
        field: 'score',
        message: 'must lie on the scale of rubric AI Engineer v1, 1 to 4',
      }),
      expect.objectContaining({
        index: 1,
        field: 'criterion',
        message: 'is not a criterion of rubric AI Engineer v1 (criteria: fundamentals)',
      }),
      expect.objectContaining({
        index: 2,
        field: 'score',
        message: 'must lie on the scale of rubric AI Engineer v2, 1 to 5',
      }),
    ]);
  });

  it('explains a missing rubric', () => {
    expect(resolveRubrics([score({})], [])).toEqual([
      expect.objectContaining({
        field: 'rubric',
        message: 'is required: this organization has no default rubric',
      }),
    ]);
    expect(resolveRubrics([score({ rubric: 'Old', rubricVersion: 3 })], [v1])).toEqual([
      expect.objectContaining({
        field: 'rubricVersion',
        message: 'no rubric Old version 3 in this organization',
      }),
    ]);
  });
});
