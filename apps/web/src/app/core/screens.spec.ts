import { homeFor, screensFor } from './screens';

describe('screens by role', () => {
  const labels = (role: Parameters<typeof screensFor>[0]) => screensFor(role).map((s) => s.label);

  it('shows each role only the screens it may use', () => {
    expect(labels('admin')).toEqual([
      'Overview',
      'Criterion validity',
      'Interviewers',
      'Funnel',
      'Fairness',
      'Cohorts & exports',
      'Imports',
      'Settings',
      'Team',
      'Audit log',
      'Glossary',
    ]);
    expect(labels('talent_leader')).toEqual([
      'Overview',
      'Criterion validity',
      'Interviewers',
      'Funnel',
      'Fairness',
      'Settings',
      'Glossary',
    ]);
    expect(labels('recruiter')).toEqual(['Overview', 'Funnel', 'Imports', 'Settings', 'Glossary']);
    expect(labels('analyst')).toEqual([
      'Overview',
      'Criterion validity',
      'Interviewers',
      'Funnel',
      'Fairness',
      'Cohorts & exports',
      'Imports',
      'Settings',
      'Glossary',
    ]);
  });

  it('lands every role on the overview', () => {
    expect(homeFor('admin')).toBe('/overview');
    expect(homeFor('talent_leader')).toBe('/overview');
    expect(homeFor('recruiter')).toBe('/overview');
    expect(homeFor('analyst')).toBe('/overview');
  });
});
