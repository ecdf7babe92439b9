import { PASSWORD_MIN_LENGTH } from './access';
import { PASSWORD_POLICY, checkNewPassword, problemSentence } from './password-policy';

describe('checkNewPassword', () => {
  const good = 'correct horse battery';

  it('accepts a long password typed twice', () => {
    expect(checkNewPassword(good, good, 'ana@example.com')).toEqual({});
  });

  it('says how long a password must be', () => {
    expect(checkNewPassword('short', 'short', null).password).toBe(
      `Use at least ${PASSWORD_MIN_LENGTH} characters (this one has 5).`,
    );
    expect(checkNewPassword('', '', null).password).toBe('Choose a password.');
    expect(PASSWORD_POLICY).toContain(`At least ${PASSWORD_MIN_LENGTH} characters`);
  });

  it('refuses the email address and a mismatched confirmation', () => {
    expect(checkNewPassword('Ana@Example.com', 'Ana@Example.com', 'ana@example.com').password).toMatch(
      /Leave out your email/,
    );
    expect(
      checkNewPassword('my name is anabela!', 'my name is anabela!', 'anabela@example.com').password,
    ).toMatch(/Leave out/);
    // A name part under 4 characters is allowed, as on the server.
    expect(checkNewPassword('bob likes long walks', 'bob likes long walks', 'bob@example.com')).toEqual({});
    expect(checkNewPassword(good, `${good}!`, null)).toEqual({
      confirm: expect.stringMatching(/not the same/),
    });
  });

  it('turns the server problems into sentences', () => {
    expect(problemSentence('The password', 'must be at least 12 characters')).toBe(
      'The password must be at least 12 characters.',
    );
    expect(problemSentence('The password', 'is common.')).toBe('The password is common.');
  });
});
