import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('defaults to the embedded database, the in-process queue and both roles', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      PROCESS_ROLE: 'all',
      SEED_DEMO: true,
      PGLITE_DATA_DIR: 'data/pglite',
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: ' ' }).PORT).toBe(3000);
  });

  it('names every bad variable with its problem, once', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://db/x',
        SEED_DEMO: 'maybe',
        DEMO_PASSWORD: 'short',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        'PORT: must be a whole number from 0 to 65535 (got "eighty")',
        'DATABASE_URL: must be a URL starting with postgres:// or postgresql:// (got "mysql://db/x")',
        'SEED_DEMO: must be true or false (got "maybe")',
        'DEMO_PASSWORD: must be at least 12 characters (got "***")',
      ]),
    );
    expect(problems).toHaveLength(4);
  });

  it('hides passwords inside URLs in its messages', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://u:s3cret@db:5432/x', PROCESS_ROLE: 'nope' })).toThrow(
      /PROCESS_ROLE/,
    );
    expect(() => loadConfig({ REDIS_URL: 'http://u:s3cret@r' })).toThrow(/http:\/\/u:\*\*\*@r/);
  });

  it('refuses a worker-only or API-only process without Redis and PostgreSQL', () => {
    expect(() => loadConfig({ PROCESS_ROLE: 'worker' })).toThrow(/PROCESS_ROLE: worker needs REDIS_URL/);
    expect(() => loadConfig({ PROCESS_ROLE: 'api', REDIS_URL: 'redis://localhost:6379' })).toThrow(
      /PROCESS_ROLE: api needs DATABASE_URL/,
    );
    expect(
      loadConfig({ PROCESS_ROLE: 'worker', REDIS_URL: 'redis://r:6379', DATABASE_URL: 'postgres://p/db' })
        .PROCESS_ROLE,
    ).toBe('worker');
  });

  it('defaults sign-in protection to a memory-hard hash and refuses a cheap one in production', () => {
    expect(loadConfig({})).toMatchObject({
      PASSWORD_HASH_LOG2_N: 16,
      PASSWORD_HASH_QUEUE: 8,
      SESSION_IDLE_MINUTES: 60,
      TRUST_PROXY: 'loopback',
      LOGIN_MAX_FAILURES_ACCOUNT: 5,
      LOGIN_MAX_FAILURES_IP: 20,
    });
    expect(loadConfig({ PASSWORD_HASH_LOG2_N: '12' }).PASSWORD_HASH_LOG2_N).toBe(12);
    expect(() => loadConfig({ PASSWORD_HASH_LOG2_N: '12', NODE_ENV: 'production' })).toThrow(
      /PASSWORD_HASH_LOG2_N: below 15 is too cheap/,
    );
    expect(() => loadConfig({ TRUST_PROXY: 'loopback; rm -rf' })).toThrow(/TRUST_PROXY/);
  });

  it('takes a METRICS_TOKEN of 32 or more printable characters, and never echoes it', () => {
    const token = 'm'.repeat(32);
    expect(loadConfig({ METRICS_TOKEN: token }).METRICS_TOKEN).toBe(token);
    expect(() => loadConfig({ METRICS_TOKEN: 'short-secret' })).toThrow(
      /METRICS_TOKEN: must be 32 to 512 printable characters without spaces \(got "\*\*\*"\)/,
    );
  });

  it("serves a worker's metrics on METRICS_PORT only for a worker, and only with a token", () => {
    const worker = { PROCESS_ROLE: 'worker', REDIS_URL: 'redis://r:6379', DATABASE_URL: 'postgres://p/db' };
    expect(loadConfig({ ...worker, METRICS_PORT: '9464', METRICS_TOKEN: 't'.repeat(32) }).METRICS_PORT).toBe(
      9464,
    );
    expect(() => loadConfig({ ...worker, METRICS_PORT: '9464' })).toThrow(
      /METRICS_PORT: needs METRICS_TOKEN/,
    );
    expect(() => loadConfig({ METRICS_PORT: '9464', METRICS_TOKEN: 't'.repeat(32) })).toThrow(
      /METRICS_PORT: is for PROCESS_ROLE=worker only/,
    );
  });

  it('gives running jobs 25 s at shutdown unless told otherwise', () => {
    expect(loadConfig({}).SHUTDOWN_GRACE_SECONDS).toBe(25);
    expect(loadConfig({ SHUTDOWN_GRACE_SECONDS: '0' }).SHUTDOWN_GRACE_SECONDS).toBe(0);
    expect(() => loadConfig({ SHUTDOWN_GRACE_SECONDS: '-1' })).toThrow(/SHUTDOWN_GRACE_SECONDS/);
  });
});
