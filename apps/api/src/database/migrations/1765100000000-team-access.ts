import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Team access: users who are invited before they have a password and can be disabled; single-use links for
 * invitations and password resets; sessions with an idle expiry and where they came from; API keys with an expiry
 * and their creator; where an audited action came from; the login throttle's failure counters. The audit log
 * becomes append-only: a trigger refuses UPDATE and DELETE of its rows (organization deletion still cascades).
 */
export class TeamAccess1765100000000 implements MigrationInterface {
  name = 'TeamAccess1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE users ALTER COLUMN password_hash DROP NOT NULL;
      ALTER TABLE users ADD COLUMN disabled_at timestamptz;
      ALTER TABLE users ADD COLUMN password_changed_at timestamptz;

      CREATE TABLE user_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        purpose text NOT NULL CHECK (purpose IN ('invitation', 'password_reset')),
        token_hash text NOT NULL UNIQUE,
        created_by_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      );
      CREATE INDEX user_tokens_user_idx ON user_tokens (organization_id, user_id);

      ALTER TABLE sessions ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now();
      ALTER TABLE sessions ADD COLUMN ip text;
      ALTER TABLE sessions ADD COLUMN user_agent text;
      CREATE INDEX sessions_expires_idx ON sessions (expires_at);

      ALTER TABLE api_keys ADD COLUMN expires_at timestamptz;
      ALTER TABLE api_keys ADD COLUMN created_by_user_id uuid REFERENCES users(id) ON DELETE SET NULL;

      ALTER TABLE audit_log ADD COLUMN ip text;
      ALTER TABLE audit_log ADD COLUMN user_agent text;
      CREATE INDEX audit_log_org_action_idx ON audit_log (organization_id, action, id DESC);

      -- Failed sign-ins per account (lower-cased email) and per client address; not an organization's row: an
      -- unknown email belongs to no organization, and the counters must hold across organizations.
      CREATE TABLE login_throttle (
        key text PRIMARY KEY,
        failures integer NOT NULL DEFAULT 0,
        last_failure_at timestamptz NOT NULL DEFAULT now(),
        locked_until timestamptz
      );

      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- A cascade from a deleted organization is the one way rows leave.
        IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM organizations WHERE id = OLD.organization_id) THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$;
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER audit_log_append_only ON audit_log;
      DROP FUNCTION audit_log_append_only();
      DROP TABLE login_throttle;
      DROP INDEX audit_log_org_action_idx;
      ALTER TABLE audit_log DROP COLUMN ip, DROP COLUMN user_agent;
      ALTER TABLE api_keys DROP COLUMN expires_at, DROP COLUMN created_by_user_id;
      DROP INDEX sessions_expires_idx;
      ALTER TABLE sessions DROP COLUMN last_seen_at, DROP COLUMN ip, DROP COLUMN user_agent;
      DROP TABLE user_tokens;
      ALTER TABLE users DROP COLUMN disabled_at, DROP COLUMN password_changed_at;
      DELETE FROM users WHERE password_hash IS NULL;
      ALTER TABLE users ALTER COLUMN password_hash SET NOT NULL;
    `);
  }
}
