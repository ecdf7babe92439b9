import { classifyOutcome, hireCohort, judgementDay, type HireOutcomeFacts } from './outcomes';

const DAY = 86_400_000;
const asOf = new Date('2026-06-01T00:00:00Z');
const hired = new Date('2025-01-01T00:00:00Z');
const facts = (over: Partial<HireOutcomeFacts> = {}): HireOutcomeFacts => ({
  hiredAt: hired,
  latestRating: 4,
  separatedAt: null,
  separationType: null,
  ...over,
});
const opts = { asOf, successThreshold: 4 };

describe('classifyOutcome', () => {
  it('performance is the latest rating; no review yet is too recent', () => {
    expect(classifyOutcome('performance', facts({ latestRating: 2 }), opts)).toEqual({
      status: 'known',
      value: 2,
    });
    expect(classifyOutcome('performance', facts({ latestRating: null }), opts)).toEqual({
      status: 'too_recent',
    });
    // performance does not wait 365 days
    const recent = facts({ hiredAt: new Date(asOf.getTime() - 10 * DAY), latestRating: 3 });
    expect(classifyOutcome('performance', recent, opts)).toEqual({ status: 'known', value: 3 });
  });

  it('success needs 365 days since hire, then a rating at or above the threshold', () => {
    expect(classifyOutcome('success', facts(), opts)).toEqual({ status: 'known', value: 1 });
    expect(classifyOutcome('success', facts({ latestRating: 3.9 }), opts)).toEqual({
      status: 'known',
      value: 0,
    });
    const recent = facts({ hiredAt: new Date(asOf.getTime() - 364 * DAY) });
    expect(classifyOutcome('success', recent, opts)).toEqual({ status: 'too_recent' });
    const exactlyAYear = facts({ hiredAt: new Date(asOf.getTime() - 365 * DAY) });
    expect(classifyOutcome('success', exactlyAYear, opts)).toEqual({ status: 'known', value: 1 });
    expect(classifyOutcome('success', facts({ latestRating: null }), opts)).toEqual({ status: 'too_recent' });
    expect(classifyOutcome('success', facts({ hiredAt: null }), opts)).toEqual({ status: 'unknown' });
  });

  it('an involuntary or regretted separation within 365 days is a failure even without a review', () => {
    for (const separationType of ['involuntary', 'voluntary_regretted']) {
      const f = facts({
        latestRating: null,
        separatedAt: new Date(hired.getTime() + 365 * DAY),
        separationType,
      });
      expect(classifyOutcome('success', f, opts)).toEqual({ status: 'known', value: 0 });
    }
    const nonRegretted = facts({
      separatedAt: new Date(hired.getTime() + 100 * DAY),
      separationType: 'voluntary_non_regretted',
    });
    expect(classifyOutcome('success', nonRegretted, opts)).toEqual({ status: 'known', value: 1 });
    const later = facts({
      separatedAt: new Date(hired.getTime() + 366 * DAY),
      separationType: 'involuntary',
    });
    expect(classifyOutcome('success', later, opts)).toEqual({ status: 'known', value: 1 });
  });

  it('retention: still employed after 365 days; recent hires are too recent', () => {
    expect(classifyOutcome('retention', facts(), opts)).toEqual({ status: 'known', value: 1 });
    const left = facts({
      separatedAt: new Date(hired.getTime() + 200 * DAY),
      separationType: 'voluntary_non_regretted',
    });
    expect(classifyOutcome('retention', left, opts)).toEqual({ status: 'known', value: 0 });
    const recent = facts({ hiredAt: new Date(asOf.getTime() - 30 * DAY) });
    expect(classifyOutcome('retention', recent, opts)).toEqual({ status: 'too_recent' });
  });
});

describe('judgementDay and hireCohort', () => {
  it('truncates to the UTC day and names quarters', () => {
    expect(judgementDay(new Date('2026-11-26T07:15:00Z')).toISOString()).toBe('2026-11-26T00:00:00.000Z');
    expect(hireCohort(new Date('2025-03-31T23:59:00Z'))).toBe('2025-Q1');
    expect(hireCohort(new Date('2025-10-01T00:00:00Z'))).toBe('2025-Q4');
  });
});
