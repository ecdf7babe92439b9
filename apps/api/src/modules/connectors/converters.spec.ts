import { testRubric } from '../records/rubric.fixture';
import { levelScore } from './ats-common';
import { AtsResolver, defaultResolution } from './ats-mapping.service';
import { convertGreenhouse, detectGreenhouseObject } from './greenhouse';
import { convertLever } from './lever';

const rubric = testRubric();

const ctx = (custom: [string, string | null][] = []) => ({
  resolver: new AtsResolver(new Map(custom), ['system_design'], rubric.criteria),
  rubrics: [rubric],
});

describe('ATS mapping defaults', () => {
  it('matches criteria by normalized key or label, and stages by normalized name', () => {
    const criteria = rubric.criteria;
    expect(defaultResolution('criterion', 'Deployment at Scale', [], criteria)).toEqual({
      target: 'deployment_at_scale',
      origin: 'default',
    });
    expect(defaultResolution('criterion', 'Culture Add', [], criteria)).toEqual({
      target: null,
      origin: 'unmatched',
    });
    expect(defaultResolution('stage', 'System  Design!', ['system_design'], criteria)).toEqual({
      target: 'system_design',
      origin: 'default',
    });
    expect(defaultResolution('stage', 'Héad Öffice', [], criteria).target).toBe('head_office');
  });

  it('prefers a custom entry, including "ignore"', () => {
    const resolver = new AtsResolver(new Map([['criterion\u0000Culture Add', null]]), [], rubric.criteria);
    expect(resolver.resolve('criterion', 'Culture Add')).toEqual({ target: null, origin: 'custom' });
    expect(resolver.seen.size).toBe(1);
  });
});

describe('Greenhouse scorecards', () => {
  it('spreads the five ratings over the rubric scale and skips no_decision', () => {
    expect([0, 1, 2, 3, 4].map((i) => levelScore(i, 5, rubric))).toEqual([1, 1.75, 2.5, 3.25, 4]);
    const results = [
      ...convertGreenhouse(
        [
          {
            id: 7,
            application_id: 1,
            interview: 'System Design',
            interviewed_at: '2024-01-01T10:00:00Z',
            submitted_by: { id: 9 },
            overall_recommendation: 'no',
            attributes: [
              { name: 'Fundamentals', rating: 'mixed' },
              { name: 'Communication', rating: 'no_decision' },
              { name: 'Culture Add', rating: 'yes' },
            ],
          },
        ],
        ctx(),
      ),
    ];
    expect(results.filter((r) => r.staged).map((r) => r.staged?.record)).toEqual([
      expect.objectContaining({
        applicationId: '1',
        interviewId: '7',
        interviewerId: '9',
        criterion: 'fundamentals',
        score: 2.5,
        stage: 'system_design',
        recommendation: 'no',
      }),
    ]);
    expect(results.flatMap((r) => r.problems).map((p) => p.column)).toEqual(['attributes[2].name']);
  });

  it("takes the interviewer's display name from submitted_by, the id staying the key", () => {
    const card = (submittedBy: Record<string, unknown>) => ({
      id: 7,
      application_id: 1,
      interview: 'System Design',
      submitted_by: submittedBy,
      attributes: [{ name: 'Fundamentals', rating: 'yes' }],
    });
    // The Harvest user object as in test/fixtures/ats/greenhouse/scorecards.json, then one with first and last only.
    const results = [
      ...convertGreenhouse(
        [
          card({ id: 3002, first_name: 'Jack', last_name: 'Shephard', name: 'Jack Shephard' }),
          card({ id: 3003, first_name: 'Kate', last_name: 'Austen' }),
          card({ id: 3004 }),
        ].map((c, i) => ({ ...c, id: 7 + i })),
        ctx(),
      ),
    ];
    expect(results.map((r) => r.problems)).toEqual([[], [], []]);
    expect(
      results.map((r) => {
        const record = r.staged?.record as Record<string, unknown> | undefined;
        return [record?.['interviewerId'], record?.['interviewerName']];
      }),
    ).toEqual([
      ['3002', 'Jack Shephard'],
      ['3003', 'Kate Austen'],
      ['3004', undefined],
    ]);
  });

  it('recognises each object type by its fields', () => {
    expect(detectGreenhouseObject({ id: 1, candidate_id: 2, applied_at: 'x', jobs: [] })).toBe(
      'applications',
    );
    expect(detectGreenhouseObject({ id: 1, interviewers: [], start: {} })).toBe('scheduled_interviews');
    expect(detectGreenhouseObject({ id: 1, application_id: 2, starts_at: null })).toBe('offers');
    expect(detectGreenhouseObject({ id: 1, departments: [] })).toBe('jobs');
    expect(detectGreenhouseObject({ application_id: 1, race: null })).toBe('eeoc');
    expect(detectGreenhouseObject({ foo: 1 })).toBeNull();
  });
});

describe('Lever', () => {
  it('turns a hired opportunity into an application and its stage changes into stage events', () => {
    const results = [
      ...convertLever(
        [
          {
            id: 'o1',
            contact: 'c1',
            origin: 'referred',
            createdAt: 1704880800000,
            archived: { reason: 'r-hired', archivedAt: 1709294400000 },
            applications: [{ id: 'a', posting: 'p1' }],
            stageChanges: [
              { toStageId: 'applicant-new', updatedAt: 1704967200000 },
              { toStageId: 'applicant-new', updatedAt: 1704880800000 },
            ],
          },
        ],
        { archiveReasons: [{ id: 'r-hired', text: 'Hired', type: 'hired' }] },
        ctx(),
      ),
    ];
    expect(results.map((r) => r.staged?.record)).toEqual([
      expect.objectContaining({ applicationId: 'o1', status: 'hired', source: 'referred', jobId: 'p1' }),
      { applicationId: 'o1', stage: 'applicant_new', enteredAt: '2024-01-10T10:00:00.000Z' },
    ]);
  });

  it('reads score fields 1..4 onto the rubric scale, with the score-system as recommendation', () => {
    const [result] = [
      ...convertLever(
        [
          {
            id: 'f1',
            type: 'interview',
            user: 'u1',
            interview: 'int1',
            completedAt: 1705662000000,
            fields: [
              { type: 'score-system', text: 'Rating', value: 1 },
              { type: 'score', text: 'Communication', value: '2' },
            ],
          },
        ],
        { opportunityId: 'o1' },
        ctx(),
      ),
    ];
    expect(result.staged?.record).toEqual(
      expect.objectContaining({
        applicationId: 'o1',
        criterion: 'communication',
        score: 2,
        recommendation: 'strong_no',
      }),
    );
  });

  it('names the interviewer from the users list beside the forms, or from an expanded user; the id stays the key', () => {
    const form = (id: string, user: unknown) => ({
      id,
      type: 'interview',
      user,
      interview: `int-${id}`,
      completedAt: 1705662000000,
      fields: [{ type: 'score', text: 'Communication', value: 3 }],
    });
    const results = [
      ...convertLever(
        [
          form('f1', 'u1'),
          form('f2', { id: 'u2', name: 'Angel Perez', email: 'aperez@example.com' }),
          form('f3', 'u3'),
        ],
        // GET /v1/users entries: {id, name, username, email, ...}
        {
          opportunityId: 'o1',
          users: [
            { id: 'u1', name: 'Helena Wong', username: 'hwong' },
            { id: 'u9', name: 'Someone Else' },
          ],
        },
        ctx(),
      ),
    ];
    expect(results.map((r) => r.problems)).toEqual([[], [], []]);
    expect(
      results.map((r) => {
        const record = r.staged?.record as Record<string, unknown> | undefined;
        return [record?.['interviewerId'], record?.['interviewerName']];
      }),
    ).toEqual([
      ['u1', 'Helena Wong'],
      ['u2', 'Angel Perez'],
      ['u3', undefined],
    ]);
  });
});
