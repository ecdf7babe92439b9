import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_DB_ROLE } from '../tenancy';

/**
 * Row-level security on every organization table (every table with an organization_id column, found from the
 * catalog so none is missed; a test checks that no such table is left without a policy): the API's connections in
 * an organization's scope use the non-superuser role APP_DB_ROLE, which sees and writes only rows whose
 * organization_id equals the connection's `app.org` (see database/tenancy.ts). The uploaded-file tables keyed by
 * import id get a policy through their import run. import_rows, the unlogged staging cache of a file import, has
 * none: it is read only by the import job by import id, in bulk, on the hot path of ingestion.
 * The role may not UPDATE or DELETE audit_log rows (append-only for the application; a trigger refuses it too).
 */
export class RowLevelSecurity1765200000000 implements MigrationInterface {
  name = 'RowLevelSecurity1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$
      BEGIN
        CREATE ROLE ${APP_DB_ROLE} NOLOGIN;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; -- roles are cluster-wide; another database made it
      END $$;
    `);
    // A non-superuser migrating role needs membership to SET ROLE; a superuser has it anyway.
    await q.query(`
      DO $$
      BEGIN
        IF NOT pg_has_role(current_user, '${APP_DB_ROLE}', 'MEMBER') THEN
          EXECUTE format('GRANT ${APP_DB_ROLE} TO %I', current_user);
        END IF;
      EXCEPTION WHEN unique_violation OR duplicate_object THEN NULL;
      END $$;
    `);
    await q.query(`
      GRANT USAGE ON SCHEMA public TO ${APP_DB_ROLE};
      GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${APP_DB_ROLE};
      GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${APP_DB_ROLE};
      ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${APP_DB_ROLE};
      ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${APP_DB_ROLE};
      REVOKE UPDATE, DELETE ON audit_log FROM ${APP_DB_ROLE};
      REVOKE ALL ON migrations FROM ${APP_DB_ROLE};

      ALTER TABLE organizations ENABLE ROW LEVEL SECURITY;
      CREATE POLICY organization_isolation ON organizations
        USING (id = nullif(current_setting('app.org', true), '')::uuid)
        WITH CHECK (id = nullif(current_setting('app.org', true), '')::uuid);

      DO $$
      DECLARE t text;
      BEGIN
        FOR t IN
          SELECT c.table_name FROM information_schema.columns c
          JOIN information_schema.tables tb USING (table_schema, table_name)
          WHERE c.table_schema = 'public' AND c.column_name = 'organization_id' AND tb.table_type = 'BASE TABLE'
        LOOP
          EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
          EXECUTE format(
            'CREATE POLICY organization_isolation ON %I '
            'USING (organization_id = nullif(current_setting(''app.org'', true), '''')::uuid) '
            'WITH CHECK (organization_id = nullif(current_setting(''app.org'', true), '''')::uuid)',
            t);
        END LOOP;
      END $$;

      ALTER TABLE import_chunks ENABLE ROW LEVEL SECURITY;
      CREATE POLICY organization_isolation ON import_chunks
        USING (EXISTS (SELECT 1 FROM import_runs r WHERE r.id = import_id))
        WITH CHECK (EXISTS (SELECT 1 FROM import_runs r WHERE r.id = import_id));
      ALTER TABLE import_errors ENABLE ROW LEVEL SECURITY;
      CREATE POLICY organization_isolation ON import_errors
        USING (EXISTS (SELECT 1 FROM import_runs r WHERE r.id = import_id))
        WITH CHECK (EXISTS (SELECT 1 FROM import_runs r WHERE r.id = import_id));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$
      DECLARE t text;
      BEGIN
        FOR t IN SELECT tablename FROM pg_policies WHERE schemaname = 'public' AND policyname = 'organization_isolation'
        LOOP
          EXECUTE format('DROP POLICY organization_isolation ON %I', t);
          EXECUTE format('ALTER TABLE %I DISABLE ROW LEVEL SECURITY', t);
        END LOOP;
      END $$;
      ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM ${APP_DB_ROLE};
      ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM ${APP_DB_ROLE};
      REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${APP_DB_ROLE};
      REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${APP_DB_ROLE};
      REVOKE USAGE ON SCHEMA public FROM ${APP_DB_ROLE};
    `);
  }
}
