import type { TeamUser } from '@hiresignal/shared';
import {
  ROLE_OPTIONS,
  checkEmail,
  checkExpiry,
  checkKeyName,
  expiryFromDate,
  lastSignIn,
  statusDetail,
  tomorrow,
} from './team-format';

function user(overrides: Partial<TeamUser>): TeamUser {
  return {
    id: 'u1',
    email: 'ana@example.com',
    role: 'recruiter',
    status: 'active',
    createdAt: '2026-12-01T09:00:00Z',
    lastLoginAt: null,
    disabledAt: null,
    invitationExpiresAt: null,
    ...overrides,
  };
}

describe('team formatting', () => {
  const now = new Date('2026-12-07T12:00:00Z');

  it('lists every role with what it can see', () => {
    expect(ROLE_OPTIONS.map((o) => o.value)).toEqual(['admin', 'talent_leader', 'recruiter', 'analyst']);
    expect(ROLE_OPTIONS.find((o) => o.value === 'recruiter')?.summary).toMatch(/funnel/i);
  });

  it('explains invitations and disabled accounts', () => {
    expect(statusDetail(user({}), now)).toBe('');
    expect(
      statusDetail(user({ status: 'invited', invitationExpiresAt: '2026-12-14T12:00:00Z' }), now),
    ).toMatch(/^Invitation valid until \d+ Dec 2026/);
    expect(statusDetail(user({ status: 'invited', invitationExpiresAt: '2026-12-01T12:00:00Z' }), now)).toBe(
      'Invitation expired: send a new one.',
    );
    expect(statusDetail(user({ status: 'disabled', disabledAt: '2026-12-05T08:00:00Z' }), now)).toMatch(
      /^Since \d+ Dec 2026/,
    );
    expect(lastSignIn(user({}))).toBe('Never');
  });

  it('checks the invitation and key forms', () => {
    expect(checkEmail('')).toMatch(/Enter the email/);
    expect(checkEmail('not-an-email')).toMatch(/like name@company.com/);
    expect(checkEmail(' ana@example.com ')).toBeNull();
    expect(checkKeyName('  ')).toMatch(/Name the key/);
    expect(checkKeyName('CI')).toBeNull();
    expect(checkKeyName('x'.repeat(101))).toMatch(/at most 100/);
  });

  it('turns an expiry date into an instant after today', () => {
    const local = new Date(2026, 11, 8);
    expect(expiryFromDate('2026-12-08')).toBe(local.toISOString());
    expect(expiryFromDate('08/12/2026')).toBeNull();
    expect(tomorrow(new Date(2026, 11, 31, 15))).toBe('2027-01-01');
    expect(checkExpiry('', now)).toBeNull();
    expect(checkExpiry('2026-12-01', now)).toBe('Choose a date after today.');
    expect(checkExpiry('2027-01-01', now)).toBeNull();
    expect(checkExpiry('soon', now)).toMatch(/Enter a date/);
  });
});
