import { DataSource } from 'typeorm';
import { csvCell } from '../../src/common/csv';
import { csvIntegerSql, csvPlainSql, csvTimestampSql } from '../../src/common/csv-sql';
import { startTestApp, type TestApp } from '../support/test-app';

/*
 * The cells PostgreSQL writes for a CSV export (common/csv-sql.ts: timestamps, integers, plain words) must be the
 * text csvCell (common/csv.ts, pinned by csv.spec.ts) writes for the value node-postgres reads from the same column:
 * on PGlite by default, on PostgreSQL with DATABASE_URL. Each value travels as a parameter, is cast in SQL, and is
 * both written by the expression and read back as a value for csvCell; the expected text is also written out.
 */

describe('CSV cells written by the database are the cells csvCell writes', () => {
  let t: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.context.get(DataSource);
  }, 60_000);

  afterAll(async () => {
    await t?.close();
  });

  /** [SQL's cell, the value as node-postgres reads it] for each input. */
  async function both(cast: string, cell: (x: string) => string, inputs: (string | null)[]) {
    const rows = (await db.query(
      `SELECT ${cell('x')} AS cell, x AS value FROM unnest($1::text[]) WITH ORDINALITY AS u(t, i),
         LATERAL (SELECT t::${cast} AS x) v ORDER BY i`,
      [inputs],
    )) as { cell: string; value: string | number | Date | null }[];
    return rows.map((r) => [r.cell, r.value] as const);
  }

  it('plain words and integers as they are; NULL empty', async () => {
    for (const [cell, value] of await both('text', csvPlainSql, [null, 'hired', 'voluntary_regretted'])) {
      expect(cell).toBe(csvCell(value as string | null));
    }
    const ints = await both('int', csvIntegerSql, [null, '0', '2', '-7', '2147483647']);
    expect(ints.map(([cell]) => cell)).toEqual(['', '0', '2', '-7', '2147483647']);
    for (const [cell, value] of ints) expect(cell).toBe(csvCell(value as number | null));
  });

  it('timestamps: ISO 8601 in UTC to the millisecond (cut, as node-postgres reads them), expanded years outside 1 to 9999', async () => {
    const inputs = [
      null,
      '2023-01-10T09:00:00Z',
      '2024-03-10T02:30:00.5-05:00',
      '2024-01-01T00:00:00.123456Z',
      '2024-01-01T00:00:00.9999Z',
      '1969-12-31T23:59:59.9995Z',
      '1900-02-28T12:00:00+01:30',
      '0001-01-01T00:00:00Z',
      '9999-12-31T23:59:59.999Z',
    ];
    const rows = await both('timestamptz', csvTimestampSql, inputs);
    for (const [cell, value] of rows) expect(cell).toBe(csvCell(value as Date | null));
    expect(rows.map(([cell]) => cell)).toEqual([
      '',
      '2023-01-10T09:00:00.000Z',
      '2024-03-10T07:30:00.500Z',
      '2024-01-01T00:00:00.123Z',
      '2024-01-01T00:00:00.999Z',
      '1969-12-31T23:59:59.999Z',
      '1900-02-28T10:30:00.000Z',
      '0001-01-01T00:00:00.000Z',
      '9999-12-31T23:59:59.999Z',
    ]);
    // Outside years 1 to 9999, Date.prototype.toISOString writes six digits with a sign (year 0 is 1 BC).
    const far = await both('timestamptz', csvTimestampSql, [
      '10000-01-01T00:00:00Z',
      '0001-12-31T23:00:00Z BC',
      '0002-06-01T00:00:00Z BC',
    ]);
    expect(far.map(([cell]) => cell)).toEqual([
      '+010000-01-01T00:00:00.000Z',
      '0000-12-31T23:00:00.000Z',
      '-000001-06-01T00:00:00.000Z',
    ]);
    const utc = (year: number, month: number, day: number, hour = 0) => {
      const d = new Date(Date.UTC(2000, month, day, hour));
      d.setUTCFullYear(year);
      return d;
    };
    expect(far.map(([cell]) => cell)).toEqual(
      [utc(10000, 0, 1), utc(0, 11, 31, 23), utc(-1, 5, 1)].map((d) => csvCell(d)),
    );
  });
});
