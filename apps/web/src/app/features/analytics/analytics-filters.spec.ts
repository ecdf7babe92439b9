import {
  DEFAULT_FILTERS,
  activeFilterCount,
  describeHireWindow,
  parseCorrection,
  parseFilters,
  parseIsoDate,
  sameFilters,
  toApiParams,
  toUrlParams,
} from './analytics-filters';

const params = (query: string) => new URLSearchParams(query);

describe('analytics filters in the URL', () => {
  it('reads every filter from the query string', () => {
    expect(
      parseFilters(
        params(
          'outcome=success&jobId=job-1&department=Engineering&source=referral&hiredFrom=2025-01-01&hiredTo=2025-06-30',
        ),
      ),
    ).toEqual({
      outcome: 'success',
      jobId: 'job-1',
      department: 'Engineering',
      source: 'referral',
      hiredFrom: '2025-01-01',
      hiredTo: '2025-06-30',
    });
  });

  it('falls back to the defaults for missing or malformed values', () => {
    expect(parseFilters(params(''))).toEqual(DEFAULT_FILTERS);
    const parsed = parseFilters(params('outcome=bogus&jobId=%20%20&hiredFrom=2025-02-30&hiredTo=yesterday'));
    expect(parsed).toEqual(DEFAULT_FILTERS);
  });

  it('accepts only real calendar dates', () => {
    expect(parseIsoDate('2024-02-29')).toBe('2024-02-29');
    expect(parseIsoDate('2025-02-29')).toBeNull();
    expect(parseIsoDate('2025-1-1')).toBeNull();
    expect(parseIsoDate(null)).toBeNull();
  });

  it('sends the API only the filters that are set', () => {
    const filters = { ...DEFAULT_FILTERS, jobId: 'job-1', hiredTo: '2025-06-30' };
    expect(toApiParams(filters)).toEqual({ outcome: 'performance', jobId: 'job-1', hiredTo: '2025-06-30' });
    expect(toApiParams(filters, false)).toEqual({ jobId: 'job-1', hiredTo: '2025-06-30' });
    expect(toApiParams(DEFAULT_FILTERS)).toEqual({ outcome: 'performance' });
  });

  it('removes a cleared filter from the URL', () => {
    expect(toUrlParams({ jobId: '', source: 'referral', hiredFrom: null })).toEqual({
      jobId: null,
      source: 'referral',
      hiredFrom: null,
    });
  });

  it('compares, counts and describes filters', () => {
    expect(sameFilters(DEFAULT_FILTERS, { ...DEFAULT_FILTERS })).toBe(true);
    expect(sameFilters(DEFAULT_FILTERS, { ...DEFAULT_FILTERS, source: 'agency' })).toBe(false);
    expect(sameFilters(DEFAULT_FILTERS, { ...DEFAULT_FILTERS, outcome: 'retention' })).toBe(false);
    expect(activeFilterCount({ ...DEFAULT_FILTERS, outcome: 'success', department: 'Engineering' })).toBe(1);
    expect(describeHireWindow({ ...DEFAULT_FILTERS, hiredFrom: '2025-01-01' })).toBe(
      'hired since 2025-01-01',
    );
    expect(describeHireWindow(DEFAULT_FILTERS)).toBeNull();
  });

  it('reads the correction, defaulting to none', () => {
    expect(parseCorrection('range')).toBe('range');
    expect(parseCorrection('operational')).toBe('operational');
    expect(parseCorrection('thorndike')).toBe('none');
    expect(parseCorrection(null)).toBe('none');
  });
});
