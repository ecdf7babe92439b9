import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The whole domain. Every row carries its organization; the customer's external ids are the natural keys, so
 * records can arrive in any order (a score before its application) and every write is an idempotent upsert.
 * Child records refer to applications and candidates by external id for the same reason; the analytics join on
 * (organization_id, external id), which the unique indexes below serve.
 */
export class InitialSchema1764100000000 implements MigrationInterface {
  name = 'InitialSchema1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE organizations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        slug text NOT NULL UNIQUE,
        criterion_reliability double precision NOT NULL DEFAULT 0.52
          CHECK (criterion_reliability > 0 AND criterion_reliability <= 1),
        success_threshold double precision NOT NULL DEFAULT 4,
        minimum_sample integer NOT NULL DEFAULT 30 CHECK (minimum_sample >= 4),
        data_version bigint NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        email text NOT NULL,
        password_hash text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'talent_leader', 'recruiter', 'analyst')),
        created_at timestamptz NOT NULL DEFAULT now(),
        last_login_at timestamptz
      );
      CREATE UNIQUE INDEX users_email_key ON users (lower(email));
      CREATE INDEX users_organization_idx ON users (organization_id);

      CREATE TABLE sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX sessions_user_idx ON sessions (user_id);

      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        name text NOT NULL,
        prefix text NOT NULL,
        key_hash text NOT NULL UNIQUE,
        role text NOT NULL CHECK (role IN ('admin', 'talent_leader', 'recruiter', 'analyst')),
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      );
      CREATE INDEX api_keys_organization_idx ON api_keys (organization_id);

      CREATE TABLE jobs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        external_id text NOT NULL,
        title text,
        department text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (organization_id, external_id)
      );

      CREATE TABLE candidates (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        external_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (organization_id, external_id)
      );

      CREATE TABLE applications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        external_id text NOT NULL,
        candidate_external_id text NOT NULL,
        job_external_id text NOT NULL,
        source text,
        applied_at timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'hired', 'rejected', 'withdrawn', 'offer_declined')),
        decided_at timestamptz,
        hired_at timestamptz,
        rejection_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (organization_id, external_id)
      );
      CREATE INDEX applications_job_idx ON applications (organization_id, job_external_id);
      CREATE INDEX applications_hired_idx ON applications (organization_id, hired_at) WHERE status = 'hired';
      CREATE INDEX applications_candidate_idx ON applications (organization_id, candidate_external_id);
      CREATE INDEX applications_applied_idx ON applications (organization_id, applied_at);

      CREATE TABLE stage_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        application_external_id text NOT NULL,
        stage text NOT NULL,
        entered_at timestamptz NOT NULL,
        UNIQUE (organization_id, application_external_id, stage)
      );
      CREATE INDEX stage_events_stage_idx ON stage_events (organization_id, stage, entered_at);

      CREATE TABLE rubrics (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        name text NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        scale_min double precision NOT NULL,
        scale_max double precision NOT NULL,
        criteria jsonb NOT NULL,
        is_default boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (organization_id, name, version),
        CHECK (scale_max > scale_min)
      );
      CREATE UNIQUE INDEX rubrics_one_default ON rubrics (organization_id) WHERE is_default;

      CREATE TABLE interviewers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        external_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (organization_id, external_id)
      );

      CREATE TABLE interviews (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        external_id text NOT NULL,
        application_external_id text NOT NULL,
        stage text,
        interviewed_at timestamptz,
        UNIQUE (organization_id, external_id)
      );
      CREATE INDEX interviews_application_idx ON interviews (organization_id, application_external_id);

      CREATE TABLE interview_scores (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        interview_external_id text NOT NULL,
        interviewer_external_id text NOT NULL,
        criterion text NOT NULL,
        application_external_id text NOT NULL,
        score double precision NOT NULL,
        stage text,
        interviewed_at timestamptz,
        rubric_name text NOT NULL,
        rubric_version integer NOT NULL,
        recommendation text CHECK (recommendation IN ('strong_no', 'no', 'yes', 'strong_yes')),
        UNIQUE (organization_id, interview_external_id, interviewer_external_id, criterion)
      );
      CREATE INDEX interview_scores_criterion_idx
        ON interview_scores (organization_id, rubric_name, rubric_version, criterion, application_external_id)
        INCLUDE (score);
      CREATE INDEX interview_scores_interviewer_idx ON interview_scores (organization_id, interviewer_external_id);

      CREATE TABLE performance_reviews (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        application_external_id text NOT NULL,
        review_date timestamptz NOT NULL,
        rating double precision NOT NULL,
        review_period text,
        scale_max integer NOT NULL DEFAULT 5,
        UNIQUE (organization_id, application_external_id, review_date)
      );

      CREATE TABLE separations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        application_external_id text NOT NULL,
        separated_at timestamptz NOT NULL,
        separation_type text NOT NULL
          CHECK (separation_type IN ('voluntary_regretted', 'voluntary_non_regretted', 'involuntary')),
        UNIQUE (organization_id, application_external_id)
      );

      CREATE TABLE demographics (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        candidate_external_id text NOT NULL,
        sex text,
        race_ethnicity text,
        UNIQUE (organization_id, candidate_external_id)
      );

      CREATE TABLE import_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        kind text NOT NULL,
        source text NOT NULL DEFAULT 'api',
        status text NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'failed')),
        content_hash text NOT NULL,
        payload jsonb,
        total integer NOT NULL DEFAULT 0,
        processed integer NOT NULL DEFAULT 0,
        inserted integer NOT NULL DEFAULT 0,
        updated integer NOT NULL DEFAULT 0,
        unchanged integer NOT NULL DEFAULT 0,
        rejected integer NOT NULL DEFAULT 0,
        errors jsonb NOT NULL DEFAULT '[]',
        failure_reason text,
        attempts integer NOT NULL DEFAULT 0,
        created_by_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        created_by_api_key_id uuid REFERENCES api_keys(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz
      );
      CREATE INDEX import_runs_org_created_idx ON import_runs (organization_id, created_at DESC);
      CREATE INDEX import_runs_hash_idx ON import_runs (organization_id, content_hash);

      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        actor_user_id uuid,
        actor_api_key_id uuid,
        action text NOT NULL,
        target_type text,
        target_id text,
        detail jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX audit_log_org_created_idx ON audit_log (organization_id, created_at DESC);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE audit_log, import_runs, demographics, separations, performance_reviews, interview_scores,
        interviews, interviewers, rubrics, stage_events, applications, candidates, jobs, api_keys, sessions, users,
        organizations;
    `);
  }
}
