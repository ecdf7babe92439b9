import type { AuditEntry } from '@hiresignal/shared';
import {
  actionLabel,
  actorText,
  auditApiParams,
  auditQueryParams,
  detailText,
  entryOrigin,
  parseAuditFilters,
  targetText,
} from './audit-format';

const params = (values: Record<string, string>) => ({ get: (name: string) => values[name] ?? null });

function entry(overrides: Partial<AuditEntry>): AuditEntry {
  return {
    id: '1',
    at: '2026-12-07T10:00:00Z',
    action: 'user.login',
    actor: { userId: 'u1', email: 'admin@example.com', apiKeyId: null, apiKeyName: null },
    target: null,
    detail: {},
    ip: '127.0.0.1',
    userAgent: null,
    ...overrides,
  };
}

describe('audit log formatting', () => {
  it('reads filters from the URL and drops what is not a date or an action code', () => {
    expect(parseAuditFilters(params({ action: 'user.login', from: '2026-12-01', to: '2026-12-07' }))).toEqual(
      {
        action: 'user.login',
        from: '2026-12-01',
        to: '2026-12-07',
      },
    );
    expect(parseAuditFilters(params({ action: 'drop table;', from: 'yesterday' }))).toEqual({
      action: '',
      from: '',
      to: '',
    });
    expect(auditQueryParams({ action: '', from: '2026-12-01', to: '' })).toEqual({
      action: null,
      from: '2026-12-01',
      to: null,
    });
  });

  it('sends the days as they are and pages with before', () => {
    const api = auditApiParams(
      { action: 'user.login', from: '2026-12-01', to: '2026-12-07' },
      { before: 'cursor-1', limit: 50 },
    );
    expect(api).toEqual({
      action: 'user.login',
      from: '2026-12-01',
      to: '2026-12-07',
      limit: '50',
      before: 'cursor-1',
    });
    expect(auditApiParams({ action: '', from: '', to: '' })).toEqual({});
  });

  it('says who did what to what in plain words', () => {
    expect(actionLabel('user.login')).toBe('Signed in');
    expect(actionLabel('widget.frobbed')).toBe('Widget frobbed');
    expect(actorText(entry({}))).toBe('admin@example.com');
    expect(
      actorText(
        entry({ actor: { userId: null, email: null, apiKeyId: 'k1', apiKeyName: 'Greenhouse sync' } }),
      ),
    ).toBe('API key "Greenhouse sync"');
    expect(actorText(entry({ actor: { userId: null, email: null, apiKeyId: null, apiKeyName: null } }))).toBe(
      'HireSignal',
    );
    expect(targetText(entry({}))).toBe('—');
    expect(
      targetText(entry({ target: { type: 'user', id: 'abc' }, detail: { email: 'ana@example.com' } })),
    ).toBe('User ana@example.com');
    expect(targetText(entry({ target: { type: 'api_key', id: '0123456789abcdef' } }))).toBe(
      'API key 01234567…',
    );
  });

  it('summarises the detail object', () => {
    expect(detailText({ role: { from: 'analyst', to: 'recruiter' }, emailed: false })).toBe(
      'role: analyst → recruiter; emailed: false',
    );
    expect(detailText({ list: [1, 2] })).toBe('list: [1,2]');
    expect(detailText({ note: 'x'.repeat(300) }).length).toBe(240);
    expect(detailText({})).toBe('');
    expect(detailText({ ip: '10.0.0.1', userAgent: 'curl/8', sessionId: 's1' })).toBe('sessionId: s1');
    expect(entryOrigin(entry({ ip: null, detail: { ip: '10.0.0.1', userAgent: 'curl/8' } }))).toEqual({
      ip: '10.0.0.1',
      userAgent: 'curl/8',
    });
  });
});
