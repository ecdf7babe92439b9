import { jest } from '@jest/globals';
import { hashPassword, hashToken, newToken, verifyPassword } from './secrets';

// scrypt at N=2^17 is deliberately slow (about 0.3 s a hash on one idle core).
jest.setTimeout(60_000);

describe('password hashing (scrypt)', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    await expect(verifyPassword('correct horse battery', stored)).resolves.toBe(true);
    await expect(verifyPassword('correct horse batterY', stored)).resolves.toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same')).not.toEqual(await hashPassword('same'));
  });

  it('refuses a stored value in an unknown format', async () => {
    await expect(verifyPassword('x', 'md5$abc')).resolves.toBe(false);
  });
});

describe('tokens', () => {
  it('are long random strings whose stored form is a SHA-256 hex digest', () => {
    const key = newToken('hs_');
    expect(key).toMatch(/^hs_[A-Za-z0-9_-]{43}$/);
    expect(newToken('hs_')).not.toEqual(key);
    // SHA-256("abc"), FIPS 180-2 Appendix B.1.
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
