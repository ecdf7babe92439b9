import { jest } from '@jest/globals';
import { HashBusyError, HashLimiter } from './hash-limiter';
import {
  closePasswordHashing,
  configurePasswordHashing,
  hashPassword,
  hashToken,
  newToken,
  sameSecret,
  verifyPassword,
} from './secrets';

// scrypt at N=2^16 is deliberately slow (0.2-0.4 s a hash on one idle core; the 2^17 check below twice that).
jest.setTimeout(60_000);

afterAll(() => closePasswordHashing());

describe('password hashing (scrypt)', () => {
  it('verifies the right password and refuses a wrong one, at N=2^16 r=8 p=1 by default', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored).toMatch(/^scrypt\$65536\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    await expect(verifyPassword('correct horse battery', stored)).resolves.toBe(true);
    await expect(verifyPassword('correct horse batterY', stored)).resolves.toBe(false);
  });

  it('still verifies a hash made with the earlier parameters (N=2^17), which are stored in it', async () => {
    // hashPassword('correct horse battery') at N=2^17, r=8, p=1, as the previous default stored it.
    const old = 'scrypt$131072$8$1$9Um4O4kgsAnjdCmW0Wd0Kw==$MWSWq4+XFq4a1j9XNjP4YQo20RkhE6LZs7QCIyTV3NQ=';
    await expect(verifyPassword('correct horse battery', old)).resolves.toBe(true);
    await expect(verifyPassword('wrong', old)).resolves.toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same')).not.toEqual(await hashPassword('same'));
  });

  it('refuses a stored value in an unknown format', async () => {
    await expect(verifyPassword('x', 'md5$abc')).resolves.toBe(false);
    await expect(verifyPassword('x', 'scrypt$x$8$1$c2FsdA==$a2V5')).resolves.toBe(false);
  });

  it('takes its cost from the configuration', async () => {
    configurePasswordHashing({ log2N: 12, concurrency: 1, maxQueue: 4 });
    try {
      const stored = await hashPassword('cheap for tests');
      expect(stored.startsWith('scrypt$4096$8$1$')).toBe(true);
      await expect(verifyPassword('cheap for tests', stored)).resolves.toBe(true);
    } finally {
      configurePasswordHashing({ log2N: 16, maxQueue: 8 });
    }
  });
});

describe('HashLimiter', () => {
  const deferred = () => {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    return { promise, resolve };
  };

  it('runs at most `concurrency` tasks at once, in arrival order, and refuses beyond the queue', async () => {
    const limiter = new HashLimiter(1, 2);
    const gates = [deferred(), deferred(), deferred()];
    const started: number[] = [];
    const runs = gates.map((gate, i) =>
      limiter.run(async () => {
        started.push(i);
        await gate.promise;
        return i;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0]);
    expect(limiter.running).toBe(1);
    expect(limiter.queued).toBe(2);
    expect(limiter.full).toBe(true);
    const refused = limiter.run(async () => 99);
    await expect(refused).rejects.toBeInstanceOf(HashBusyError);
    await expect(refused).rejects.toMatchObject({ retryAfterSeconds: expect.any(Number) });
    gates[0].resolve();
    await expect(runs[0]).resolves.toBe(0);
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1]);
    gates[1].resolve();
    gates[2].resolve();
    await expect(Promise.all(runs)).resolves.toEqual([0, 1, 2]);
    expect(limiter.running).toBe(0);
    expect(limiter.full).toBe(false);
  });

  it('frees its slot when a task fails', async () => {
    const limiter = new HashLimiter(1, 0);
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run(async () => 'next')).resolves.toBe('next');
  });

  it('estimates Retry-After from the queue and the recent hash time, at least 1 s', () => {
    expect(new HashLimiter(1, 4).retryAfterSeconds()).toBeGreaterThanOrEqual(1);
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

describe('sameSecret', () => {
  it('is true only for the same string, whatever the lengths', () => {
    const token = 'metrics-token-0123456789-abcdefghijklmnop';
    expect(sameSecret(token, token)).toBe(true);
    expect(sameSecret(`${token}x`, token)).toBe(false);
    expect(sameSecret(token.slice(0, -1), token)).toBe(false);
    expect(sameSecret('', token)).toBe(false);
    expect(sameSecret(token.toUpperCase(), token)).toBe(false);
  });
});
