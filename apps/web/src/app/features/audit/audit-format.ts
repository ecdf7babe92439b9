import type { AuditEntry } from '@hiresignal/shared';

export const AUDIT_PAGE_SIZE = 50;

/** The audit log's filters as held in the URL: an action code and a date range (YYYY-MM-DD, both days included). */
export interface AuditFilters {
  action: string;
  from: string;
  to: string;
}

export const NO_AUDIT_FILTERS: AuditFilters = { action: '', from: '', to: '' };

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const ACTION = /^[a-z0-9_.:-]{1,100}$/i;

/** Reads the filters from query parameters, dropping values that are not a date or an action code. */
export function parseAuditFilters(params: { get(name: string): string | null }): AuditFilters {
  const day = (name: string) => {
    const value = params.get(name) ?? '';
    return DAY.test(value) ? value : '';
  };
  const action = (params.get('action') ?? '').trim();
  return { action: ACTION.test(action) ? action : '', from: day('from'), to: day('to') };
}

/** Query parameters for the URL: only the filters that are set. */
export function auditQueryParams(filters: AuditFilters): Record<string, string | null> {
  return { action: filters.action || null, from: filters.from || null, to: filters.to || null };
}

/** The API's parameters: the days as they are (the API includes the whole `to` day), then the page. */
export function auditApiParams(
  filters: AuditFilters,
  page: { before?: string | null; limit?: number } = {},
): Record<string, string> {
  const params: Record<string, string> = {};
  if (filters.action) {
    params['action'] = filters.action;
  }
  if (filters.from) {
    params['from'] = filters.from;
  }
  if (filters.to) {
    params['to'] = filters.to;
  }
  if (page.limit) {
    params['limit'] = String(page.limit);
  }
  if (page.before) {
    params['before'] = page.before;
  }
  return params;
}

/** Plain words for the actions the API records; any other code is shown as it is. */
export const ACTION_LABELS: Record<string, string> = {
  'organization.created': 'Organization created',
  'user.login': 'Signed in',
  'user.login_failed': 'Sign-in refused',
  'user.logout': 'Signed out',
  'user.invited': 'Invited a user',
  'invitation.created': 'Invited a user',
  'invitation.accepted': 'Accepted an invitation',
  'user.invitation_accepted': 'Accepted an invitation',
  'user.role_changed': 'Changed a role',
  'user.updated': 'Changed a user',
  'user.disabled': 'Disabled a user',
  'user.enabled': 'Enabled a user',
  'user.password_reset_issued': 'Created a password-reset link',
  'user.password_reset': 'Reset their password with a link',
  'password_reset.created': 'Created a password-reset link',
  'password_reset.completed': 'Reset a password',
  'user.password_changed': 'Changed their password',
  'user.password_renewed': 'Got a new generated password at start (demo admin, never signed in)',
  'session.ended': 'Ended a session',
  'session.revoked': 'Ended a session',
  'api_key.created': 'Created an API key',
  'api_key.revoked': 'Revoked an API key',
  'settings.updated': 'Changed the settings',
  'rubric.saved': 'Saved a rubric',
  'ats_mapping.saved': 'Saved an ATS mapping',
  'import.started': 'Started an import',
  'import.submitted': 'Started an import',
  'records.ingested': 'Sent records',
  'demographics.read': 'Read demographics',
  'export.created': 'Created an export',
  'audit_log.exported': 'Exported the audit log',
};

export function actionLabel(action: string): string {
  if (Object.hasOwn(ACTION_LABELS, action)) {
    return ACTION_LABELS[action];
  }
  const words = action.replace(/[._:-]+/g, ' ').trim();
  return words ? words[0].toUpperCase() + words.slice(1) : action;
}

/** Who did it: a person's email, an API key's name, or the system itself. */
export function actorText(entry: AuditEntry): string {
  const a = entry.actor;
  if (a.email) {
    return a.email;
  }
  if (a.apiKeyName || a.apiKeyId) {
    return a.apiKeyName ? `API key "${a.apiKeyName}"` : 'An API key';
  }
  return a.userId ? 'A deleted user' : 'HireSignal';
}

const TARGET_LABELS: Record<string, string> = {
  user: 'User',
  api_key: 'API key',
  session: 'Session',
  invitation: 'Invitation',
  organization: 'Organization',
  settings: 'Settings',
  import: 'Import',
  rubric: 'Rubric',
};

export function targetText(entry: AuditEntry): string {
  if (!entry.target) {
    return '—';
  }
  const type = TARGET_LABELS[entry.target.type] ?? entry.target.type;
  const email = entry.detail['email'];
  const name = entry.detail['name'];
  const id = entry.target.id.length > 12 ? `${entry.target.id.slice(0, 8)}…` : entry.target.id;
  return typeof email === 'string'
    ? `${type} ${email}`
    : typeof name === 'string'
      ? `${type} "${name}"`
      : `${type} ${id}`;
}

function valueText(value: unknown): string {
  if (value === null || value === undefined) {
    return '—';
  }
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return JSON.stringify(value);
}

/** Where an entry came from: its own columns, else the ip and userAgent some actions keep in their detail. */
export function entryOrigin(entry: AuditEntry): { ip: string | null; userAgent: string | null } {
  const text = (value: unknown) => (typeof value === 'string' && value ? value : null);
  return {
    ip: entry.ip ?? text(entry.detail['ip']),
    userAgent: entry.userAgent ?? text(entry.detail['userAgent']),
  };
}

/** Shown in their own column (From where), so not repeated among the details. */
const ORIGIN_KEYS = new Set(['ip', 'userAgent']);

/** "role: analyst → recruiter; email: ana@example.com" from the entry's detail object. */
export function detailText(detail: Record<string, unknown>, max = 240): string {
  const parts = Object.entries(detail)
    .filter(([key]) => !ORIGIN_KEYS.has(key))
    .map(([key, value]) => {
      const v = value as { from?: unknown; to?: unknown } | null;
      if (v && typeof v === 'object' && !Array.isArray(v) && 'from' in v && 'to' in v) {
        return `${key}: ${valueText(v.from)} → ${valueText(v.to)}`;
      }
      return `${key}: ${valueText(value)}`;
    });
  const text = parts.join('; ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
