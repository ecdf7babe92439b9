import type { Role } from './roles';

/**
 * Who may use what: the one table the API's @Roles(...) decorators, the dashboard's navigation and the README's
 * route table are built from (a test walks every route for every role and checks it against this).
 */
export const ACCESS = {
  /** The dashboard's overview and glossary (their cards call only the reports the role may read). */
  overview: ['admin', 'talent_leader', 'recruiter', 'analyst'],
  /** Criterion validity, interviewer calibration and reliability reports. */
  validity: ['admin', 'talent_leader', 'analyst'],
  /** The recruiter funnel. */
  funnel: ['admin', 'talent_leader', 'recruiter', 'analyst'],
  /** Aggregate fairness views (small cells suppressed). */
  fairness: ['admin', 'talent_leader', 'analyst'],
  /** Import runs: status, progress, errors. */
  importsRead: ['admin', 'recruiter', 'analyst'],
  /** Sending records, uploading files, editing rubrics and ATS mappings. */
  importsWrite: ['admin'],
  /** Reading the organization's analytics settings. */
  settingsRead: ['admin', 'talent_leader', 'recruiter', 'analyst'],
  settingsWrite: ['admin'],
  /** Saved cohorts (named filters): every analytics reader picks, saves, renames and deletes them. */
  cohorts: ['admin', 'talent_leader', 'recruiter', 'analyst'],
  /** Exports of rows and tables. */
  exports: ['admin', 'analyst'],
  /** Demographics per person (and any view or export that shows them); every read is audited. */
  demographics: ['admin', 'analyst'],
  /** Users, invitations, API keys. */
  team: ['admin'],
  /** The audit log. */
  audit: ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Capability = keyof typeof ACCESS;

export function can(role: Role, capability: Capability): boolean {
  return (ACCESS[capability] as readonly Role[]).includes(role);
}

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Admin',
  talent_leader: 'Talent leader',
  recruiter: 'Recruiter',
  analyst: 'Analyst',
};

export const ROLE_SUMMARIES: Record<Role, string> = {
  admin: 'Everything: team, API keys, audit log, imports, settings and every report.',
  talent_leader: 'Criterion validity, interviewers, funnel and fairness.',
  recruiter: 'The funnel and the status of imports.',
  analyst: 'Every report read-only, demographics, and exports.',
};
