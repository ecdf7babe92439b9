import type { FilterOptions } from '@hiresignal/shared';
import { choiceOptions, describeUnknownChoices, unknownChoices } from './filter-options';

const OPTIONS: FilterOptions = {
  jobs: [
    { jobId: 'req-1', title: 'AI Engineer', department: 'AI Engineering' },
    { jobId: 'req-2', title: null, department: null },
  ],
  departments: ['AI Engineering'],
  sources: [
    { source: 'agency', applications: 1250 },
    { source: 'referral', applications: 12 },
  ],
};

describe('filter options from the data', () => {
  it('labels jobs by title and department, and sources with their application counts', () => {
    const options = choiceOptions(OPTIONS);
    expect(options.jobId).toEqual([
      { value: 'req-1', label: 'AI Engineer · AI Engineering' },
      { value: 'req-2', label: 'req-2' },
    ]);
    expect(options.department).toEqual([{ value: 'AI Engineering', label: 'AI Engineering' }]);
    expect(options.source).toEqual([
      { value: 'agency', label: 'agency (1,250)' },
      { value: 'referral', label: 'referral (12)' },
    ]);
  });

  it('finds the URL values that name nothing in the data, and only those', () => {
    expect(unknownChoices({ jobId: 'req-1', department: null, source: 'referral' }, OPTIONS)).toEqual([]);
    expect(
      unknownChoices({ jobId: 'bogus', department: 'AI Engineering', source: 'Referral' }, OPTIONS),
    ).toEqual([
      { key: 'jobId', value: 'bogus' },
      // Values match exactly, as the API filters: "Referral" is not "referral".
      { key: 'source', value: 'Referral' },
    ]);
    // A job's title is not its id.
    expect(unknownChoices({ jobId: 'AI Engineer', department: null, source: null }, OPTIONS)).toEqual([
      { key: 'jobId', value: 'AI Engineer' },
    ]);
  });

  it('says in one sentence what the link asked for and what is shown instead', () => {
    expect(describeUnknownChoices([{ key: 'jobId', value: 'bogus' }])).toBe(
      'The link asked for job "bogus", which your data does not have: showing all jobs.',
    );
    expect(
      describeUnknownChoices([
        { key: 'jobId', value: 'x' },
        { key: 'department', value: 'y' },
        { key: 'source', value: 'z' },
      ]),
    ).toBe(
      'The link asked for job "x", department "y" and source "z", which your data does not have: ' +
        'showing all jobs, departments and sources.',
    );
  });
});
