import { nextDue, previousDue } from './schedule-times';

/*
 * Due times worked out on a calendar (2026: 1 January is a Thursday; 7 December 2026 is a Monday; 2024 is a leap
 * year): daily 02:00 UTC, weekly Monday 02:00 UTC, monthly the 1st at 02:00 UTC.
 */
const at = (iso: string) => new Date(iso);

describe('scheduled export due times', () => {
  it('daily: 02:00 today once it has passed, else yesterday', () => {
    expect(previousDue('daily', at('2026-12-07T02:00:00Z')).toISOString()).toBe('2026-12-07T02:00:00.000Z');
    expect(previousDue('daily', at('2026-12-07T01:59:59Z')).toISOString()).toBe('2026-12-06T02:00:00.000Z');
    expect(nextDue('daily', at('2026-12-07T02:00:00Z')).toISOString()).toBe('2026-12-08T02:00:00.000Z');
    expect(nextDue('daily', at('2026-12-31T23:00:00Z')).toISOString()).toBe('2027-01-01T02:00:00.000Z');
  });

  it('weekly: Mondays (2026-12-07 is a Monday, 2026-12-13 a Sunday)', () => {
    expect(previousDue('weekly', at('2026-12-13T12:00:00Z')).toISOString()).toBe('2026-12-07T02:00:00.000Z');
    expect(previousDue('weekly', at('2026-12-07T01:00:00Z')).toISOString()).toBe('2026-11-30T02:00:00.000Z');
    expect(nextDue('weekly', at('2026-12-07T02:00:00Z')).toISOString()).toBe('2026-12-14T02:00:00.000Z');
    // 2026-01-01 is a Thursday: the Monday before is 2025-12-29.
    expect(previousDue('weekly', at('2026-01-01T00:00:00Z')).toISOString()).toBe('2025-12-29T02:00:00.000Z');
  });

  it('monthly: the 1st, across a year end and a leap February', () => {
    expect(previousDue('monthly', at('2026-12-07T00:00:00Z')).toISOString()).toBe('2026-12-01T02:00:00.000Z');
    expect(previousDue('monthly', at('2026-01-01T01:00:00Z')).toISOString()).toBe('2025-12-01T02:00:00.000Z');
    expect(nextDue('monthly', at('2026-12-01T02:00:00Z')).toISOString()).toBe('2027-01-01T02:00:00.000Z');
    expect(nextDue('monthly', at('2024-02-29T12:00:00Z')).toISOString()).toBe('2024-03-01T02:00:00.000Z');
  });
});
