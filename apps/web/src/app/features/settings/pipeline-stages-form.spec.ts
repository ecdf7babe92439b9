import { stageLabel, validateStageList } from './pipeline-stages-form';

describe('validateStageList', () => {
  it('trims and accepts a list of unique names', () => {
    expect(validateStageList([' screen ', 'onsite', 'hired'])).toEqual({
      stages: ['screen', 'onsite', 'hired'],
      error: null,
    });
  });

  it('refuses what the API refuses: empty list, empty or long names, "applied", duplicates', () => {
    expect(validateStageList([]).error).toMatch(/at least one/);
    expect(validateStageList(['screen', '  ']).error).toMatch(/Stage 2 has no name/);
    expect(validateStageList(['x'.repeat(201)]).error).toMatch(/longer than 200/);
    expect(validateStageList(['applied', 'screen']).error).toMatch(/implicit first step/);
    expect(validateStageList(['screen', 'onsite', ' screen']).error).toMatch(/twice/);
    expect(validateStageList(['screen', '']).stages).toBeNull();
  });
});

describe('stageLabel', () => {
  it('turns a stage key into words', () => {
    expect(stageLabel('recruiter_screen')).toBe('Recruiter screen');
    expect(stageLabel('hiring-manager_chat')).toBe('Hiring manager chat');
  });
});
