import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface AuditActor {
  organizationId: string;
  userId?: string | null;
  apiKeyId?: string | null;
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
      `INSERT INTO audit_log (organization_id, actor_user_id, actor_api_key_id, action, target_type, target_id, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)`,
      [
        actor.organizationId,
        actor.userId ?? null,
        actor.apiKeyId ?? null,
        action,
        target?.type ?? null,
        target?.id ?? null,
        JSON.stringify(detail),
      ],
    );
  }
}
