import { ConfigError, loadConfig } from './config';

describe('file import configuration', () => {
  it('defaults to a 1 GiB upload limit, 5000-row batches and no test delay', () => {
    expect(loadConfig({})).toMatchObject({
      MAX_UPLOAD_BYTES: 1024 ** 3,
      IMPORT_BATCH_ROWS: 20_000,
      INGEST_BATCH_DELAY_MS: 0,
      IMPORT_SWEEP_INTERVAL_SECONDS: 60,
      IMPORT_STALE_AFTER_SECONDS: 600,
    });
  });

  it('validates the variables and refuses the test hook in production', () => {
    expect(loadConfig({ INGEST_BATCH_DELAY_MS: '250', IMPORT_BATCH_ROWS: '100' })).toMatchObject({
      INGEST_BATCH_DELAY_MS: 250,
      IMPORT_BATCH_ROWS: 100,
    });
    let error: unknown;
    try {
      loadConfig({
        INGEST_BATCH_DELAY_MS: '250',
        NODE_ENV: 'production',
        IMPORT_BATCH_ROWS: '5',
        MAX_UPLOAD_BYTES: 'big',
        IMPORT_SWEEP_INTERVAL_SECONDS: '0',
        IMPORT_STALE_AFTER_SECONDS: '10m',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual(
      expect.arrayContaining([
        'IMPORT_BATCH_ROWS: must be a whole number from 10 to 100000 (got "5")',
        'MAX_UPLOAD_BYTES: must be a whole number from 1024 to 1099511627776 (got "big")',
        'IMPORT_SWEEP_INTERVAL_SECONDS: must be a whole number from 1 to 86400 (got "0")',
        'IMPORT_STALE_AFTER_SECONDS: must be a whole number from 1 to 604800 (got "10m")',
      ]),
    );
    expect(() => loadConfig({ INGEST_BATCH_DELAY_MS: '250', NODE_ENV: 'production' })).toThrow(
      /INGEST_BATCH_DELAY_MS: is a test hook that slows every import; it is refused with NODE_ENV=production/,
    );
  });
});
