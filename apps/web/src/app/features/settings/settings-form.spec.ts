import { sameDraft, toDraft, validateSettings } from './settings-form';

describe('settings form', () => {
  it('accepts valid settings', () => {
    expect(
      validateSettings({
        criterionReliability: '0.6',
        successThreshold: '3.5',
        minimumSample: '40',
        smallCellK: '10',
      }),
    ).toEqual({
      value: { criterionReliability: 0.6, successThreshold: 3.5, minimumSample: 40, smallCellK: 10 },
      errors: {},
    });
  });

  it('explains each invalid field', () => {
    const { value, errors } = validateSettings({
      criterionReliability: '0',
      successThreshold: '',
      minimumSample: '2.5',
      smallCellK: '0',
    });
    expect(value).toBeNull();
    expect(errors.criterionReliability).toMatch(/greater than 0/);
    expect(errors.successThreshold).toMatch(/Enter a number/);
    expect(errors.minimumSample).toMatch(/whole number/);
    expect(errors.smallCellK).toMatch(/whole number of people from 1/);
    expect(
      validateSettings({
        criterionReliability: '1.2',
        successThreshold: '101',
        minimumSample: '3',
        smallCellK: '2.5',
      }).errors,
    ).toEqual({
      criterionReliability: expect.any(String),
      successThreshold: expect.any(String),
      minimumSample: expect.any(String),
      smallCellK: expect.any(String),
    });
  });

  it('fills the form from stored settings', () => {
    expect(
      toDraft({ criterionReliability: 0.52, successThreshold: 4, minimumSample: 30, smallCellK: 5 }),
    ).toEqual({
      criterionReliability: '0.52',
      successThreshold: '4',
      minimumSample: '30',
      smallCellK: '5',
    });
  });

  it('sees an edit as unsaved until it is typed back to the saved value', () => {
    const saved = toDraft({
      criterionReliability: 0.52,
      successThreshold: 4,
      minimumSample: 30,
      smallCellK: 5,
    });
    expect(sameDraft({ ...saved }, saved)).toBe(true);
    expect(sameDraft({ ...saved, minimumSample: '31' }, saved)).toBe(false);
    expect(sameDraft({ ...saved, minimumSample: '' }, saved)).toBe(false);
    // ".52" and "0.52" are the same number: retyping a value is not an edit.
    expect(sameDraft({ ...saved, criterionReliability: '.52' }, saved)).toBe(true);
    expect(sameDraft({ ...saved, successThreshold: ' 4 ' }, saved)).toBe(true);
  });
});
