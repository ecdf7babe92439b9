import { homeFor, screensFor } from './screens';

describe('screens by role', () => {
  const labels = (role: Parameters<typeof screensFor>[0]) => screensFor(role).map((s) => s.label);

  it('shows each role only the screens it may use', () => {
    expect(labels('admin')).toEqual([
      'Criterion validity',
      'Interviewers',
      'Funnel',
      'Fairness',
      'Cohorts & exports',
      'Imports',
      'Settings',
      'Team',
      'Audit log',
    ]);
    expect(labels('talent_leader')).toEqual([
      'Criterion validity',
      'Interviewers',
      'Funnel',
      'Fairness',
      'Settings',
    ]);
    expect(labels('recruiter')).toEqual(['Funnel', 'Imports', 'Settings']);
    expect(labels('analyst')).toEqual([
      'Criterion validity',
      'Interviewers',
      'Funnel',
      'Fairness',
      'Cohorts & exports',
      'Imports',
      'Settings',
    ]);
  });

  it('lands each role on its first screen', () => {
    expect(homeFor('admin')).toBe('/validity');
    expect(homeFor('talent_leader')).toBe('/validity');
    expect(homeFor('recruiter')).toBe('/funnel');
  });
});
