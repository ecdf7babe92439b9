import {
  FUNNEL_COHORT_KEYS,
  VALIDITY_COHORT_KEYS,
  cohortUrlParams,
  compactFilters,
  defaultScheduleName,
  describeExportProgress,
  describeFilters,
  describeKeys,
  downloadUrl,
  parseCohortParams,
  pickFilters,
  refusedKeys,
  takesOption,
  progressOf,
  retentionText,
  sameCohortFilters,
  unusedKeys,
} from './exports-format';

const base = { rowsWritten: 0, rowsTotal: null, error: null, progress: 0 };

describe('export progress', () => {
  it('reads as rows of the total', () => {
    expect(describeExportProgress({ ...base, status: 'running', rowsWritten: 1234, rowsTotal: 6000 })).toBe(
      '1,234 of 6,000 rows',
    );
    expect(describeExportProgress({ ...base, status: 'running', rowsWritten: 10 })).toBe('10 rows so far');
    expect(describeExportProgress({ ...base, status: 'queued' })).toBe('Waiting to start');
    expect(describeExportProgress({ ...base, status: 'completed', rowsWritten: 1 })).toBe('1 row');
    expect(describeExportProgress({ ...base, status: 'failed', error: 'Data changed' })).toBe(
      'Failed: Data changed',
    );
  });

  it('gives the progress bar a value, or none while it cannot be known', () => {
    expect(progressOf({ ...base, status: 'queued' })).toBeNull();
    expect(progressOf({ ...base, status: 'running', rowsWritten: 20, rowsTotal: 80 })).toEqual({
      value: 20,
      max: 80,
    });
    expect(progressOf({ ...base, status: 'running', rowsWritten: 90, rowsTotal: 80 })).toEqual({
      value: 80,
      max: 80,
    });
    expect(progressOf({ ...base, status: 'running', progress: 0.5 })).toEqual({ value: 0.5, max: 1 });
    expect(progressOf({ ...base, status: 'running' })).toBeNull();
    expect(progressOf({ ...base, status: 'completed' })).toEqual({ value: 1, max: 1 });
  });
});

describe('cohort filters', () => {
  it('keeps only the filters that are set, in the contract order', () => {
    expect(
      compactFilters({ source: 'referral', jobId: null, department: '', hiredFrom: '2025-01-01' }),
    ).toEqual({
      source: 'referral',
      hiredFrom: '2025-01-01',
    });
  });

  it("puts a cohort's filters on a screen, clearing the screen's other filters", () => {
    const cohort = { source: 'referral', appliedFrom: '2025-01-01', status: 'hired' as const };
    expect(cohortUrlParams(cohort, VALIDITY_COHORT_KEYS)).toEqual({
      jobId: null,
      department: null,
      source: 'referral',
      hiredFrom: null,
      hiredTo: null,
    });
    expect(cohortUrlParams(cohort, FUNNEL_COHORT_KEYS)).toMatchObject({ appliedFrom: '2025-01-01' });
    expect(unusedKeys(cohort, VALIDITY_COHORT_KEYS)).toEqual(['appliedFrom', 'status']);
    expect(describeKeys(unusedKeys(cohort, VALIDITY_COHORT_KEYS))).toBe('applied dates and status');
    expect(describeKeys(['appliedFrom', 'appliedTo'])).toBe('applied dates');
  });

  it('matches a cohort to the filters a screen shows', () => {
    const cohort = { source: 'referral', appliedFrom: '2025-01-01' };
    expect(sameCohortFilters(pickFilters(cohort, VALIDITY_COHORT_KEYS), { source: 'referral' })).toBe(true);
    expect(sameCohortFilters(pickFilters(cohort, FUNNEL_COHORT_KEYS), { source: 'referral' })).toBe(false);
  });

  it('reads filters from a link and drops malformed ones', () => {
    const params = new URLSearchParams(
      'jobId=ai-1&rubricVersion=2&appliedFrom=2025-02-30&hiredTo=2025-06-30&status=nope&outcome=success',
    );
    expect(parseCohortParams(params)).toEqual({ jobId: 'ai-1', rubricVersion: 2, hiredTo: '2025-06-30' });
  });

  it('describes filters in words', () => {
    expect(describeFilters({})).toBe('All applications');
    expect(
      describeFilters({
        jobId: 'ai-1',
        rubric: 'AI Engineer',
        rubricVersion: 1,
        appliedFrom: '2025-01-01',
        appliedTo: '2025-06-30',
        hiredFrom: '2025-03-01',
        status: 'offer_declined',
      }),
    ).toBe(
      'Job ai-1 · Rubric AI Engineer v1 · Applied 2025-01-01 to 2025-06-30 · Hired since 2025-03-01 · Status offer declined',
    );
  });
});

describe('files', () => {
  it('links the download and says how long files are kept', () => {
    expect(downloadUrl('a b')).toBe('/api/v1/exports/a%20b/download');
    expect(
      retentionText({
        createdAt: '2026-01-01T00:00:00Z',
        completedAt: '2026-01-01T00:00:00Z',
        expiresAt: '2026-01-08T00:00:00Z',
      }),
    ).toBe('7 days');
    expect(
      retentionText({ createdAt: '2026-01-01T00:00:00Z', completedAt: null, expiresAt: null }),
    ).toBeNull();
    expect(
      retentionText({
        createdAt: '2026-01-01T00:00:00Z',
        completedAt: null,
        expiresAt: '2026-01-01T12:00:00Z',
      }),
    ).toBe('12 hours');
  });

  it('names a schedule', () => {
    expect(defaultScheduleName('cohort', 'csv', 'weekly')).toBe('Weekly cohort rows, CSV');
  });
});

describe('what each table takes', () => {
  it('names the filters a table would refuse', () => {
    expect(refusedKeys('validity', { source: 'referral', appliedFrom: '2025-01-01' })).toEqual([
      'appliedFrom',
    ]);
    expect(refusedKeys('funnel', { hiredTo: '2025-01-01', status: 'hired' })).toEqual(['hiredTo', 'status']);
    expect(refusedKeys('cohort', { hiredTo: '2025-01-01', status: 'hired' })).toEqual([]);
  });

  it('sends an outcome or grouping only to the tables that take one', () => {
    expect(takesOption('validity', 'outcome')).toBe(true);
    expect(takesOption('reliability', 'outcome')).toBe(false);
    expect(takesOption('adverse-impact', 'groupBy')).toBe(true);
    expect(takesOption('funnel', 'groupBy')).toBe(false);
  });
});
