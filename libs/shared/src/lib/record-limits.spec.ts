import { validateRecords } from './validation';

const application = (over: Record<string, unknown>) => ({
  applicationId: 'a-1',
  candidateId: 'c-1',
  jobId: 'j-1',
  appliedAt: '2024-01-01',
  ...over,
});

describe('canonical records refuse what the database cannot hold or no one meant', () => {
  it.each([
    ['0000-01-01', false],
    ['1899-12-31T23:59:59Z', false],
    ['1900-01-01', true],
    ['2200-12-31T23:59:59Z', true],
    ['2201-01-01', false],
    ['9999-12-31', false],
  ])('appliedAt %s accepted: %s (1900-01-01 to 2200-12-31)', (appliedAt, ok) => {
    const { errors } = validateRecords('applications', [application({ appliedAt })]);
    expect(errors.length === 0).toBe(ok);
    if (!ok) {
      expect(errors[0]).toMatchObject({
        field: 'appliedAt',
        message: expect.stringMatching(/1900|ISO 8601/),
      });
    }
  });

  it.each(['a\u0000b', 'a\u0001b', 'a\nb', 'a\tb', 'a\u007fb'])(
    'refuses the control character in id %j',
    (id) => {
      const { errors } = validateRecords('applications', [application({ applicationId: id })]);
      expect(errors).toEqual([
        expect.objectContaining({
          field: 'applicationId',
          message: expect.stringMatching(/control characters/),
        }),
      ]);
    },
  );

  it('refuses NUL in free text but keeps tabs and line breaks there', () => {
    expect(validateRecords('applications', [application({ jobTitle: 'AI\u0000' })]).errors).toHaveLength(1);
    expect(validateRecords('applications', [application({ rejectionReason: 'a\n\tb' })]).errors).toHaveLength(
      0,
    );
  });
});
