import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource, type EntityManager } from 'typeorm';

export interface AuditActor {
  organizationId: string;
  userId?: string | null;
  apiKeyId?: string | null;
  /** Where the request came from (Express's req.ip, which honours the trusted proxy setting). */
  ip?: string | null;
  userAgent?: string | null;
}

/** The actor of an authenticated request: who (user or API key) and from where. */
export function auditActor(
  principal: { organizationId: string; userId: string | null; apiKeyId: string | null },
  req: Pick<Request, 'ip' | 'headers'>,
): AuditActor {
  return {
    organizationId: principal.organizationId,
    userId: principal.userId,
    apiKeyId: principal.apiKeyId,
    ip: req.ip ?? null,
    userAgent: userAgentOf(req),
  };
}

export function userAgentOf(req: Pick<Request, 'headers'>): string | null {
  const ua = req.headers['user-agent'];
  return typeof ua === 'string' ? ua.slice(0, 512) : null;
}

@Injectable()
export class AuditService {
  constructor(private readonly db: DataSource) {}

  /** Appends one entry; pass the transaction's manager so the entry commits or rolls back with the change. */
  async record(
    actor: AuditActor,
    action: string,
    target: { type: string; id: string } | null,
    detail: Record<string, unknown> = {},
    manager: EntityManager = this.db.manager,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO audit_log
         (organization_id, actor_user_id, actor_api_key_id, action, target_type, target_id, detail, ip, user_agent)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9)`,
      [
        actor.organizationId,
        actor.userId ?? null,
        actor.apiKeyId ?? null,
        action,
        target?.type ?? null,
        target?.id ?? null,
        JSON.stringify(detail),
        actor.ip ?? null,
        actor.userAgent ?? null,
      ],
    );
  }
}
