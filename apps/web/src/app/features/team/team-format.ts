import type { ApiKeySummary, Role, TeamUser, UserStatus } from '@hiresignal/shared';
import { ROLES, ROLE_LABELS, ROLE_SUMMARIES } from '../../core/access';
import { formatWhen } from '../imports/imports-format';

export const USER_STATUS_LABELS: Record<UserStatus, string> = {
  active: 'Active',
  disabled: 'Disabled',
  invited: 'Invited',
};

export const KEY_STATUS_LABELS: Record<ApiKeySummary['status'], string> = {
  active: 'Active',
  expired: 'Expired',
  revoked: 'Revoked',
};

/** Every role with its name and what it can see, in the contract's order. */
export const ROLE_OPTIONS: readonly { value: Role; label: string; summary: string }[] = ROLES.map((role) => ({
  value: role,
  label: ROLE_LABELS[role],
  summary: ROLE_SUMMARIES[role],
}));

/** The line under a user's status: when an invitation runs out, since when an account is disabled. */
export function statusDetail(user: TeamUser, now: Date = new Date()): string {
  if (user.status === 'invited') {
    if (!user.invitationExpiresAt) {
      return 'No valid invitation: send a new one.';
    }
    return new Date(user.invitationExpiresAt).getTime() <= now.getTime()
      ? 'Invitation expired: send a new one.'
      : `Invitation valid until ${formatWhen(user.invitationExpiresAt)}`;
  }
  if (user.status === 'disabled') {
    return user.disabledAt ? `Since ${formatWhen(user.disabledAt)}` : '';
  }
  return '';
}

export function lastSignIn(user: TeamUser): string {
  return user.lastLoginAt ? formatWhen(user.lastLoginAt) : 'Never';
}

export function createdByText(key: ApiKeySummary): string {
  return key.createdBy?.email ?? '—';
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function checkEmail(email: string): string | null {
  const value = email.trim();
  if (!value) {
    return 'Enter the email address of the person to invite.';
  }
  return EMAIL.test(value) ? null : 'Enter an email address like name@company.com.';
}

export function checkKeyName(name: string): string | null {
  const value = name.trim();
  if (!value) {
    return 'Name the key after what will use it, e.g. "Greenhouse sync".';
  }
  return value.length > 100 ? 'Use at most 100 characters.' : null;
}

/** A date input's "YYYY-MM-DD" as the instant the key stops working: 00:00 that day, local time. */
export function expiryFromDate(value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  if (!m) {
    return null;
  }
  const date = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** "YYYY-MM-DD" of the day after `now` in local time: the earliest expiry the form offers. */
export function tomorrow(now: Date = new Date()): string {
  const next = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${next.getFullYear()}-${pad(next.getMonth() + 1)}-${pad(next.getDate())}`;
}

export function checkExpiry(value: string, now: Date = new Date()): string | null {
  if (!value.trim()) {
    return null;
  }
  const iso = expiryFromDate(value);
  if (!iso) {
    return 'Enter a date, or leave it empty for a key that does not expire.';
  }
  return new Date(iso).getTime() <= now.getTime() ? 'Choose a date after today.' : null;
}
