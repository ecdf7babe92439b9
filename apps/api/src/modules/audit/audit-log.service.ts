import { Injectable } from '@nestjs/common';
import type { AuditEntry, AuditPage } from '@hiresignal/shared';
import { DataSource } from 'typeorm';

export interface AuditFilters {
  /** Exact action, or a prefix ending in '.' (e.g. 'user.'). */
  action?: string;
  actorUserId?: string;
  from?: Date;
  to?: Date;
  /** Entries older than this id (paging). */
  before?: string;
  limit: number;
}

interface AuditRow {
  id: string;
  created_at: Date;
  action: string;
  actor_user_id: string | null;
  actor_email: string | null;
  actor_api_key_id: string | null;
  actor_api_key_name: string | null;
  target_type: string | null;
  target_id: string | null;
  detail: Record<string, unknown>;
  ip: string | null;
  user_agent: string | null;
}

/** Reads of the audit log (writes go through AuditService.record; the log is append-only). */
@Injectable()
export class AuditLogService {
  constructor(private readonly db: DataSource) {}

  async page(organizationId: string, filters: AuditFilters): Promise<AuditPage> {
    const rows = await this.read(organizationId, { ...filters, limit: filters.limit + 1 });
    const more = rows.length > filters.limit;
    const entries = rows.slice(0, filters.limit).map(toEntry);
    return { entries, nextBefore: more ? (entries.at(-1)?.id ?? null) : null };
  }

  /** Newest first, in pages of `limit` (for the CSV export, which streams them). */
  async *all(
    organizationId: string,
    filters: Omit<AuditFilters, 'limit' | 'before'>,
  ): AsyncGenerator<AuditEntry> {
    let before: string | undefined;
    for (;;) {
      const rows = await this.read(organizationId, { ...filters, before, limit: 2000 });
      for (const row of rows) yield toEntry(row);
      const last = rows.at(-1);
      if (rows.length < 2000 || !last) return;
      before = last.id;
    }
  }

  private read(organizationId: string, f: AuditFilters): Promise<AuditRow[]> {
    const where = ['a.organization_id = $1'];
    const params: unknown[] = [organizationId];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (f.action) {
      if (f.action.endsWith('.')) add(`starts_with(a.action, ?)`, f.action);
      else add('a.action = ?', f.action);
    }
    if (f.actorUserId) add('a.actor_user_id = ?', f.actorUserId);
    if (f.from) add('a.created_at >= ?', f.from);
    if (f.to) add('a.created_at < ?', f.to);
    if (f.before) add('a.id < ?', f.before);
    params.push(f.limit);
    return this.db.query(
      `SELECT a.id::text AS id, a.created_at, a.action, a.actor_user_id, u.email AS actor_email, a.actor_api_key_id,
              k.name AS actor_api_key_name, a.target_type, a.target_id, a.detail, a.ip, a.user_agent
         FROM audit_log a
         LEFT JOIN users u ON u.id = a.actor_user_id
         LEFT JOIN api_keys k ON k.id = a.actor_api_key_id
        WHERE ${where.join(' AND ')}
        ORDER BY a.id DESC
        LIMIT $${params.length}`,
      params,
    );
  }
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: row.created_at.toISOString(),
    action: row.action,
    actor: {
      userId: row.actor_user_id,
      email: row.actor_email,
      apiKeyId: row.actor_api_key_id,
      apiKeyName: row.actor_api_key_name,
    },
    target: row.target_type && row.target_id ? { type: row.target_type, id: row.target_id } : null,
    detail: row.detail,
    ip: row.ip,
    userAgent: row.user_agent,
  };
}
