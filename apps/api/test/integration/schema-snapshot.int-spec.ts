import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { schemaSnapshot } from '../support/schema-snapshot';
import { startTestApp, type TestApp } from '../support/test-app';

/*
 * The checked-in, readable schema (apps/api/src/database/schema.snapshot.sql) equals what the migrations build, on
 * PostgreSQL and on the embedded database alike. After adding a migration, regenerate it with
 * UPDATE_SCHEMA_SNAPSHOT=1 and review the difference with the migration.
 */
const SNAPSHOT = resolve(process.cwd(), 'apps/api/src/database/schema.snapshot.sql');

describe('schema snapshot', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(async () => {
    await t?.close();
  });

  it('matches the schema the migrations build', async () => {
    const actual = await schemaSnapshot(t.app.db.dataSource);
    if (process.env['UPDATE_SCHEMA_SNAPSHOT'] === '1') writeFileSync(SNAPSHOT, actual);
    expect(actual).toBe(readFileSync(SNAPSHOT, 'utf8'));
  });
});
