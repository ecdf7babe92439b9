import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Role } from '@hiresignal/shared';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Organization } from '../organizations/organization.entity';
import type { Principal } from './access.decorators';
import { ApiKey } from './api-key.entity';
import { keyPrefix } from './api-keys.service';
import { API_KEY_PREFIX, hashPassword, hashToken, newPassword, newToken } from './secrets';
import { User } from './user.entity';

export interface NewOrganization {
  organizationId: string;
  slug: string;
  adminEmail: string;
  adminPassword: string;
  apiKey: string;
}

@Injectable()
export class IdentityService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Creates an organization with one admin user and one admin API key, in one transaction. */
  async createOrganization(input: {
    name: string;
    slug?: string;
    adminEmail?: string;
    adminPassword?: string;
    apiKey?: string;
  }): Promise<NewOrganization> {
    const slug = input.slug ?? (await this.freeSlug(slugify(input.name)));
    const adminEmail = (input.adminEmail ?? `admin@${slug}.hiresignal.local`).toLowerCase();
    const adminPassword = input.adminPassword ?? newPassword();
    const apiKey = input.apiKey ?? newToken(API_KEY_PREFIX);
    const passwordHash = await hashPassword(adminPassword);
    return this.db.transaction(async (tx) => {
      const org = await tx.save(tx.create(Organization, { name: input.name, slug }));
      const user = await tx.save(
        tx.create(User, { organizationId: org.id, email: adminEmail, passwordHash, role: 'admin' }),
      );
      const key = await this.insertApiKey(
        tx,
        org.id,
        'admin (created with the organization)',
        'admin',
        apiKey,
      );
      await this.audit.record(
        { organizationId: org.id },
        'organization.created',
        { type: 'organization', id: org.id },
        { adminUserId: user.id, apiKeyId: key.id },
        tx,
      );
      return { organizationId: org.id, slug, adminEmail, adminPassword, apiKey };
    });
  }

  private async freeSlug(base: string): Promise<string> {
    const taken = await this.db.getRepository(Organization).existsBy({ slug: base });
    return taken ? `${base}-${randomBytes(3).toString('hex')}` : base;
  }

  async createApiKey(organizationId: string, name: string, role: Role): Promise<{ id: string; key: string }> {
    const key = newToken(API_KEY_PREFIX);
    const row = await this.insertApiKey(this.db.manager, organizationId, name, role, key);
    return { id: row.id, key };
  }

  private async insertApiKey(
    tx: EntityManager,
    organizationId: string,
    name: string,
    role: Role,
    key: string,
  ) {
    return tx.save(
      tx.create(ApiKey, {
        organizationId,
        name,
        role,
        prefix: keyPrefix(key),
        keyHash: hashToken(key),
      }),
    );
  }

  /**
   * The principal of a live key: not revoked, not expired, and not created by a user who is now disabled. Runs in
   * the system scope (the guard's lookup, before the organization is known).
   */
  async authenticateApiKey(key: string): Promise<Principal | null> {
    const rows: { id: string; organization_id: string; role: Role; last_used_at: Date | null }[] =
      await this.db.query(
        `SELECT k.id, k.organization_id, k.role, k.last_used_at
           FROM api_keys k LEFT JOIN users u ON u.id = k.created_by_user_id
          WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())
            AND u.disabled_at IS NULL`,
        [hashToken(key)],
      );
    const row = rows[0];
    if (!row) return null;
    if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > 60_000) {
      await this.db.getRepository(ApiKey).update(row.id, { lastUsedAt: new Date() });
    }
    return {
      organizationId: row.organization_id,
      role: row.role,
      userId: null,
      apiKeyId: row.id,
      email: null,
    };
  }

  /** An organization by id or slug (for operators); throws a message naming what was not found. */
  async resolveOrganization(idOrSlug: string): Promise<string> {
    const repo = this.db.getRepository(Organization);
    const isId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrSlug);
    const org = isId ? await repo.findOneBy({ id: idOrSlug }) : await repo.findOneBy({ slug: idOrSlug });
    if (!org) throw new Error(`No organization with id or slug "${idOrSlug}"`);
    return org.id;
  }

  async findUserByEmail(email: string): Promise<User> {
    const user = await this.db
      .getRepository(User)
      .createQueryBuilder('u')
      .where('lower(u.email) = lower(:email)', { email: email.trim() })
      .getOne();
    if (!user) throw new Error(`No user with email "${email}"`);
    return user;
  }

  async organizationName(organizationId: string): Promise<string> {
    const org = await this.db.getRepository(Organization).findOneByOrFail({ id: organizationId });
    return org.name;
  }
}

export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);
  return slug || 'org';
}
