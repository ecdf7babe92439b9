import { Params } from './analytics-sql';
import { funnelSql, splitByMonth } from './funnel-sql';

const z = (day: string) => `${day}T00:00:00.000Z`;

describe('the funnel cohort split into whole months and the days around them', () => {
  it('reads every month from the cells without applied-date filters', () => {
    expect(splitByMonth(null, null)).toEqual({ whole: { from: null, to: null }, parts: [] });
  });

  it('keeps month-aligned bounds whole', () => {
    // appliedFrom 2025-01-01, appliedTo 2025-12-31: [2025-01-01, 2026-01-01), twelve whole months.
    expect(splitByMonth(z('2025-01-01'), z('2026-01-01'))).toEqual({
      whole: { from: '2025-01-01T00:00:00', to: '2026-01-01T00:00:00' },
      parts: [],
    });
    expect(splitByMonth(null, z('2025-07-01'))).toEqual({
      whole: { from: null, to: '2025-07-01T00:00:00' },
      parts: [],
    });
  });

  it('reads the days before the first and after the last whole month from the applications', () => {
    // 2024-03-05 to 2024-05-19 inclusive: March 5 to 31, April whole, May 1 to 19.
    expect(splitByMonth(z('2024-03-05'), z('2024-05-20'))).toEqual({
      whole: { from: '2024-04-01T00:00:00', to: '2024-05-01T00:00:00' },
      parts: [
        { from: z('2024-03-05'), to: z('2024-04-01') },
        { from: z('2024-05-01'), to: z('2024-05-20') },
      ],
    });
    // An open end: December 8 to 31 from the applications, every month from January on from the cells.
    expect(splitByMonth(z('2025-12-08'), null)).toEqual({
      whole: { from: '2026-01-01T00:00:00', to: null },
      parts: [{ from: z('2025-12-08'), to: z('2026-01-01') }],
    });
  });

  it('reads a range inside one month, or across one month boundary, from the applications alone', () => {
    expect(splitByMonth(z('2024-03-05'), z('2024-03-20'))).toEqual({
      whole: null,
      parts: [{ from: z('2024-03-05'), to: z('2024-03-20') }],
    });
    expect(splitByMonth(z('2024-03-05'), z('2024-04-20'))).toEqual({
      whole: null,
      parts: [{ from: z('2024-03-05'), to: z('2024-04-20') }],
    });
  });
});

describe('the funnel statement', () => {
  const options = { stages: ['screen', 'offer'], successThreshold: 4, asOf: new Date(z('2026-01-01')) };

  it('reads the days in stage by bucket unless the cohort is chosen by applied date', () => {
    const cont = /percentile_cont\([^)]*\) WITHIN GROUP \(ORDER BY d\.days\)/;
    for (const filters of [{}, { source: 'referral' }, { jobId: 'req-1', department: 'Data' }]) {
      const sql = funnelSql(filters, options, new Params('org'));
      expect(sql).toContain('funnel_day_buckets');
      expect(sql).not.toMatch(cont);
    }
    const dated = funnelSql({ source: 'referral', appliedFrom: '2025-01-01' }, options, new Params('org'));
    expect(dated).not.toContain('funnel_day_buckets');
    expect(dated).toMatch(cont);
  });

  it('passes filter values as parameters, never in the text', () => {
    const p = new Params('org');
    const sql = funnelSql({ source: "x'; DROP TABLE jobs; --", department: 'Data' }, options, p);
    expect(sql).not.toContain('DROP TABLE');
    expect(p.values).toContain("x'; DROP TABLE jobs; --");
    expect(p.values).toContain('Data');
  });
});
