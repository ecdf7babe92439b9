import { checkPassword } from './password-policy';

describe('password policy', () => {
  const email = 'dana.lee@acme.example';

  it('accepts a long passphrase that is not common', () => {
    expect(checkPassword('violet tram ledger 42', email)).toEqual([]);
  });

  it('refuses fewer than 12 characters, naming the field', () => {
    expect(checkPassword('Xk3#pq9!Lm', email)).toEqual([
      { field: 'password', message: 'must be at least 12 characters' },
    ]);
  });

  it('counts characters, not UTF-16 units', () => {
    // 11 emoji are 22 UTF-16 units but 11 characters.
    expect(checkPassword('🙂'.repeat(5) + '🚀🌍🎈🎯🧪🔭', email).map((p) => p.message)).toContain(
      'must be at least 12 characters',
    );
  });

  it('refuses the email and passwords built on its name part', () => {
    expect(checkPassword('dana.lee@acme.example', email).map((p) => p.message)).toContain(
      'must not contain your email address or its name part',
    );
    expect(checkPassword('Dana.Lee-rocks-2026', email).map((p) => p.message)).toContain(
      'must not contain your email address or its name part',
    );
  });

  it('refuses common passwords, with digits or symbols added at the ends, and repeats', () => {
    // "qwertyuiop12" and "password1234" are in the bundled list; "password" is its second entry.
    for (const common of [
      'qwertyuiop12',
      'PASSWORD1234',
      'Password2026!!',
      '!!baseball1234',
      'qwertyqwerty',
    ]) {
      expect(checkPassword(common, email).map((p) => p.message)).toContain(
        'is one of the most commonly used passwords: choose another',
      );
    }
  });
});
