import fc from 'fast-check';
import { csvColumns, parseTimestamp, toCamelCase, toSnakeCase } from './records';
import { validateRecords } from './validation';

const app = {
  applicationId: 'app-1',
  candidateId: 'cand-1',
  jobId: 'req-1',
  appliedAt: '2025-01-15',
};

describe('canonical record schemas', () => {
  it('accepts a minimal application and applies the default status', () => {
    const { valid, errors } = validateRecords('applications', [app]);
    expect(errors).toEqual([]);
    expect(valid[0].status).toBe('active');
  });

  it('names index, record id, field and problem for every error in every record', () => {
    const { valid, errors } = validateRecords('applications', [
      app,
      { ...app, applicationId: 'app-2', status: 'hired' },
      { ...app, applicationId: 'app-3', appliedAt: '2025-02-30', status: 'pending', extra: 1 },
      { candidateId: 'c', jobId: 'j', appliedAt: '2025-01-01', hiredAt: '2024-12-01', status: 'hired' },
      'not an object',
    ]);
    expect(valid).toHaveLength(1);
    expect(errors).toHaveLength(6);
    expect(errors).toEqual(
      expect.arrayContaining([
        { index: 1, recordId: 'app-2', field: 'hiredAt', message: 'is required when status is hired' },
        { index: 2, recordId: 'app-3', field: 'extra', message: 'is not a field of this record kind' },
        expect.objectContaining({
          index: 2,
          recordId: 'app-3',
          field: 'appliedAt',
          message: expect.stringMatching(/ISO 8601/),
          value: '2025-02-30',
        }),
        expect.objectContaining({
          index: 2,
          field: 'status',
          message: 'must be one of active, hired, rejected, withdrawn, offer_declined',
        }),
        expect.objectContaining({ index: 3, recordId: 'c', field: 'applicationId', message: 'is required' }),
        expect.objectContaining({ index: 4, field: '(record)' }),
      ]),
    );
  });

  it('checks a hire date is not before the application', () => {
    const { errors } = validateRecords('applications', [{ ...app, status: 'hired', hiredAt: '2024-12-01' }]);
    expect(errors).toEqual([
      expect.objectContaining({ field: 'hiredAt', message: 'must not be before appliedAt' }),
    ]);
  });

  it('checks a rating lies on its review scale', () => {
    const { errors } = validateRecords('performance_reviews', [
      { applicationId: 'a', reviewDate: '2025-06-01', rating: 6 },
      { applicationId: 'b', reviewDate: '2025-06-01', rating: 9, scaleMax: 10 },
      { applicationId: 'c', reviewDate: '2025-06-01', rating: 0.5 },
    ]);
    expect(errors).toEqual([
      expect.objectContaining({
        index: 0,
        field: 'rating',
        message: 'must lie on the review scale 1 to 5, got 6',
      }),
      expect.objectContaining({
        index: 2,
        field: 'rating',
        message: 'must lie on the review scale 1 to 5, got 0.5',
      }),
    ]);
  });

  it('reads a string where a number belongs as a type error, not a number', () => {
    const { errors } = validateRecords('interview_scores', [
      { applicationId: 'a', interviewId: 'i', interviewerId: 'v', criterion: 'c', score: '3' },
    ]);
    expect(errors).toEqual([
      expect.objectContaining({ field: 'score', message: 'must be a number, got string' }),
    ]);
  });

  it('takes an optional interviewer name of at most 200 characters, trimmed', () => {
    const score = { applicationId: 'a', interviewId: 'i', interviewerId: 'v-7', criterion: 'c', score: 3 };
    const { valid, errors } = validateRecords('interview_scores', [
      { ...score, interviewerName: '  Ada Lovelace ' },
      { ...score, interviewId: 'j' },
      { ...score, interviewId: 'k', interviewerName: 'x'.repeat(201) },
    ]);
    expect(valid.map((r) => r.interviewerName)).toEqual(['Ada Lovelace', undefined]);
    expect(valid.map((r) => r.interviewerId)).toEqual(['v-7', 'v-7']);
    expect(errors).toEqual([
      expect.objectContaining({
        index: 2,
        field: 'interviewerName',
        message: 'must be at most 200 characters',
      }),
    ]);
  });

  it('only knows the EEO-1 categories for race and ethnicity', () => {
    const { errors } = validateRecords('demographics', [
      { candidateId: 'c1', sex: 'female', raceEthnicity: 'two_or_more_races' },
      { candidateId: 'c2', raceEthnicity: 'martian' },
    ]);
    expect(errors).toEqual([expect.objectContaining({ index: 1, field: 'raceEthnicity' })]);
  });
});

describe('parseTimestamp', () => {
  it.each([
    ['2025-03-01', Date.UTC(2025, 2, 1)],
    ['2025-03-01T14:30:00Z', Date.UTC(2025, 2, 1, 14, 30)],
    ['2025-03-01T14:30', Date.UTC(2025, 2, 1, 14, 30)],
    ['2025-03-01 14:30:15.5+02:00', Date.UTC(2025, 2, 1, 12, 30, 15, 500)],
    ['2024-02-29', Date.UTC(2024, 1, 29)],
    ['2025-03-01T00:30:00-05:30', Date.UTC(2025, 2, 1, 6, 0)],
    ['2025-03-01T14:30:15.123456789Z', Date.UTC(2025, 2, 1, 14, 30, 15, 123)],
    ['2025-03-01T14:30:15.05Z', Date.UTC(2025, 2, 1, 14, 30, 15, 50)],
    ['0050-06-15', Date.parse('0050-06-15T00:00:00Z')],
  ])('reads %s', (value, expected) => {
    expect(parseTimestamp(value)).toBe(expected);
  });

  it('agrees with Date.parse on every full ISO 8601 date-time with a zone', () => {
    // Date.parse (ECMA-262 §21.4.3.2, date time string format) is the oracle for the forms both accept.
    const two = (n: number) => String(n).padStart(2, '0');
    fc.assert(
      fc.property(
        fc.record({
          y: fc.integer({ min: 1000, max: 9999 }),
          mo: fc.integer({ min: 1, max: 12 }),
          d: fc.integer({ min: 1, max: 28 }),
          h: fc.integer({ min: 0, max: 23 }),
          mi: fc.integer({ min: 0, max: 59 }),
          s: fc.integer({ min: 0, max: 59 }),
          ms: fc.integer({ min: 0, max: 999 }),
          zone: fc.constantFrom('Z', '+00:00', '+05:30', '-08:00', '+14:00', '-12:45'),
        }),
        ({ y, mo, d, h, mi, s, ms, zone }) => {
          const value = `${y}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}:${two(s)}.${String(ms).padStart(3, '0')}${zone}`;
          expect(parseTimestamp(value)).toBe(Date.parse(value));
        },
      ),
    );
  });

  it.each(['2025-02-29', '2025-13-01', '01/03/2025', '2025-03-01T25:00:00Z', ''])('refuses %s', (value) => {
    expect(parseTimestamp(value)).toBeNaN();
  });
});

describe('CSV columns', () => {
  it('are the snake_case fields in canonical order, required ones marked', () => {
    expect(csvColumns('stage_events')).toEqual([
      { field: 'applicationId', column: 'application_id', required: true },
      { field: 'stage', column: 'stage', required: true },
      { field: 'enteredAt', column: 'entered_at', required: true },
    ]);
    const scores = csvColumns('interview_scores');
    expect(scores.filter((c) => c.required).map((c) => c.column)).toEqual([
      'application_id',
      'interview_id',
      'interviewer_id',
      'criterion',
      'score',
    ]);
    // The optional display name comes last, so files written before it existed keep their column order.
    expect(scores.at(-1)).toEqual({ field: 'interviewerName', column: 'interviewer_name', required: false });
    expect(csvColumns('applications').find((c) => c.field === 'status')).toEqual({
      field: 'status',
      column: 'status',
      required: false,
    });
  });

  it('round-trip between camelCase and snake_case', () => {
    expect(toSnakeCase('rubricVersion')).toBe('rubric_version');
    expect(toCamelCase('rubric_version')).toBe('rubricVersion');
  });
});
