import { Injectable, NotFoundException } from '@nestjs/common';
import type { ApiKeyCreated, ApiKeySummary, Role } from '@hiresignal/shared';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService, type AuditActor } from '../audit/audit.service';
import { ApiKey } from './api-key.entity';
import { API_KEY_PREFIX, hashToken, newToken } from './secrets';

interface KeyRow {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  created_at: Date;
  created_by_user_id: string | null;
  created_by_email: string | null;
  last_used_at: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
}

/** API keys for scripts and integrations: created with a role and an optional expiry, shown once, revocable. */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(organizationId: string): Promise<ApiKeySummary[]> {
    const rows: KeyRow[] = await this.db.query(
      `${KEY_SELECT} WHERE k.organization_id = $1 ORDER BY k.created_at DESC`,
      [organizationId],
    );
    return rows.map(toSummary);
  }

  async create(
    actor: AuditActor,
    input: { name: string; role: Role; expiresAt: Date | null },
    manager: EntityManager = this.db.manager,
  ): Promise<ApiKeyCreated> {
    const key = newToken(API_KEY_PREFIX);
    const run = async (tx: EntityManager) => {
      const inserted = await tx.insert(ApiKey, {
        organizationId: actor.organizationId,
        name: input.name,
        role: input.role,
        prefix: keyPrefix(key),
        keyHash: hashToken(key),
        expiresAt: input.expiresAt,
        createdByUserId: actor.userId ?? null,
      });
      const id = (inserted.identifiers[0] as { id: string }).id;
      await this.audit.record(
        actor,
        'api_key.created',
        { type: 'api_key', id },
        { name: input.name, role: input.role, expiresAt: input.expiresAt?.toISOString() ?? null },
        tx,
      );
      const [row] = (await tx.query(`${KEY_SELECT} WHERE k.id = $1`, [id])) as KeyRow[];
      if (!row) throw new Error(`API key ${id} vanished inside its own transaction`);
      return { ...toSummary(row), key };
    };
    return manager.queryRunner?.isTransactionActive ? run(manager) : this.db.transaction(run);
  }

  /** Revokes a key at once; revoking a revoked key again changes nothing. */
  async revoke(actor: AuditActor, id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const key = await tx.getRepository(ApiKey).findOneBy({ id, organizationId: actor.organizationId });
      if (!key) throw new NotFoundException(`No API key ${id} in this organization`);
      if (key.revokedAt) return;
      await tx.update(ApiKey, id, { revokedAt: new Date() });
      await this.audit.record(
        actor,
        'api_key.revoked',
        { type: 'api_key', id },
        { name: key.name, role: key.role },
        tx,
      );
    });
  }
}

/** The start of a key shown in listings, enough to recognise it (the rest is never stored). */
export function keyPrefix(key: string): string {
  return key.slice(0, API_KEY_PREFIX.length + 6);
}

const KEY_SELECT = `
  SELECT k.id, k.name, k.prefix, k.role, k.created_at, k.created_by_user_id, u.email AS created_by_email,
         k.last_used_at, k.expires_at, k.revoked_at
    FROM api_keys k LEFT JOIN users u ON u.id = k.created_by_user_id`;

function toSummary(row: KeyRow): ApiKeySummary {
  const status = row.revoked_at
    ? 'revoked'
    : row.expires_at && row.expires_at <= new Date()
      ? 'expired'
      : 'active';
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    role: row.role,
    createdAt: row.created_at.toISOString(),
    createdBy:
      row.created_by_user_id && row.created_by_email
        ? { userId: row.created_by_user_id, email: row.created_by_email }
        : null,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    expiresAt: row.expires_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    status,
  };
}
