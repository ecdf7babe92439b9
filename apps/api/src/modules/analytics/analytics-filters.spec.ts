import {
  filtersQuerySchema,
  hireDateBounds,
  normalizeFilters,
  outcomeQuerySchema,
} from './analytics-filters';
import { filteredApplicationsSql, hireDateSql, Params, validitySql } from './analytics-sql';

describe('analytics query parsing', () => {
  it('defaults the outcome, converts the rubric version and rejects unknown parameters', () => {
    expect(outcomeQuerySchema.parse({ rubricVersion: '2' })).toEqual({
      outcome: 'performance',
      rubricVersion: 2,
    });
    expect(outcomeQuerySchema.safeParse({ outcome: 'happiness' }).success).toBe(false);
    expect(outcomeQuerySchema.safeParse({ mood: 'x' }).success).toBe(false);
    expect(filtersQuerySchema.safeParse({ outcome: 'success' }).success).toBe(false);
  });

  it('validates hire dates as calendar dates in order', () => {
    expect(filtersQuerySchema.safeParse({ hiredFrom: '2025-02-29' }).success).toBe(false);
    expect(filtersQuerySchema.safeParse({ hiredFrom: '2024-02-29' }).success).toBe(true);
    expect(filtersQuerySchema.safeParse({ hiredFrom: '2025-03-01', hiredTo: '2025-01-01' }).success).toBe(
      false,
    );
  });

  it('normalizes filters to a fixed key order without empty values', () => {
    const a = normalizeFilters({ source: 'x', jobId: 'j', department: undefined });
    const b = normalizeFilters({ jobId: 'j', source: 'x' });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a).toEqual({ jobId: 'j', source: 'x' });
  });

  it('turns inclusive hire dates into a half-open UTC interval', () => {
    expect(hireDateBounds({ hiredFrom: '2025-01-01', hiredTo: '2025-12-31' })).toEqual({
      from: '2025-01-01T00:00:00.000Z',
      to: '2026-01-01T00:00:00.000Z',
    });
    expect(hireDateBounds({})).toEqual({ from: null, to: null });
  });
});

describe('analytics SQL builders', () => {
  it('passes every filter value as a parameter and joins jobs only for the department', () => {
    const p = new Params('org');
    const sql = filteredApplicationsSql({ jobId: "x' OR 1=1", source: 's' }, p);
    expect(sql).not.toContain("x' OR");
    expect(sql).not.toContain('JOIN jobs');
    expect(p.values).toEqual(['org', "x' OR 1=1", 's']);
    const q = new Params('org');
    expect(filteredApplicationsSql({ department: 'D' }, q)).toContain('JOIN jobs');
    const r = new Params('org');
    expect(hireDateSql({ hiredTo: '2025-01-31' }, 'p.hired_at', r)).toBe(' AND p.hired_at < $2::timestamptz');
    expect(r.values[1]).toBe('2025-02-01T00:00:00.000Z');
  });

  it('aggregates one column per criterion and one correlation per criterion pair', () => {
    const p = new Params('org');
    const sql = validitySql({}, { name: 'R', version: 1, criteria: ['a', 'b', 'c'] }, p);
    expect(sql).toContain('AS c2');
    expect(sql).toContain('corr(c1, c2) AS r1_2');
    expect(sql).toContain('stddev_samp(comp) AS sd3');
    expect(p.values).toEqual(['org', 'R', 1, 'a', 'b', 'c', ['a', 'b', 'c']]);
  });
});
