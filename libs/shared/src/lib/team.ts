import type { Role } from './roles';

/** Password rules; the API also checks a bundled list of common passwords. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 1024;

export type UserStatus = 'active' | 'disabled' | 'invited';

/** GET /api/v1/users: one entry per user of the organization. */
export interface TeamUser {
  id: string;
  email: string;
  role: Role;
  /** invited: has not set a password yet (the invitation is pending or expired). */
  status: UserStatus;
  createdAt: string;
  lastLoginAt: string | null;
  disabledAt: string | null;
  /** The pending invitation's expiry, for invited users. */
  invitationExpiresAt: string | null;
}

/** POST /api/v1/users/invitations {email, role} answers 201 with this; url is a single-use link. */
export interface InvitationCreated {
  invitationId: string;
  userId: string;
  email: string;
  role: Role;
  url: string;
  expiresAt: string;
  /** True when a mailer is configured and the link was sent; otherwise the admin passes the url on. */
  emailed: boolean;
}

/** PATCH /api/v1/users/{id}. */
export interface UserPatch {
  role?: Role;
  disabled?: boolean;
}

/** POST /api/v1/users/{id}/password-reset answers 201 with a single-use link (same shape as an invitation). */
export type PasswordResetCreated = InvitationCreated;

/** POST /api/v1/auth/accept-invitation {token, password}: sets the password and signs in (answers SessionInfo). */
export interface AcceptInvitationRequest {
  token: string;
  password: string;
}

/** GET /api/v1/auth/invitations/{token}: what the link is for, before a password is chosen. */
export interface InvitationInfo {
  email: string;
  organizationName: string;
  purpose: 'invitation' | 'password_reset';
  expiresAt: string;
}

/** POST /api/v1/auth/password {currentPassword, newPassword}: 204; other sessions of the user are ended. */
export interface ChangePasswordRequest {
  currentPassword: string;
  newPassword: string;
}

/** GET /api/v1/auth/sessions: the signed-in user's own sessions. DELETE /api/v1/auth/sessions/{id} ends one. */
export interface SessionSummary {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

/** GET /api/v1/api-keys. */
export interface ApiKeySummary {
  id: string;
  name: string;
  /** The first characters of the key, enough to recognise it. */
  prefix: string;
  role: Role;
  createdAt: string;
  createdBy: { userId: string; email: string } | null;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  status: 'active' | 'expired' | 'revoked';
}

/** POST /api/v1/api-keys {name, role, expiresAt?} answers 201 with this; the key is shown once. */
export interface ApiKeyCreated extends ApiKeySummary {
  key: string;
}

export interface CreateApiKeyRequest {
  name: string;
  role: Role;
  expiresAt?: string | null;
}

/** GET /api/v1/audit-log?action=&actorUserId=&from=&to=&limit=&before= (newest first). */
export interface AuditEntry {
  id: string;
  at: string;
  action: string;
  actor: { userId: string | null; email: string | null; apiKeyId: string | null; apiKeyName: string | null };
  target: { type: string; id: string } | null;
  detail: Record<string, unknown>;
  ip: string | null;
  userAgent: string | null;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** Pass as `before` to read the next (older) page; null on the last page. */
  nextBefore: string | null;
}
