import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Role } from '@hiresignal/shared';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Organization } from '../organizations/organization.entity';
import type { Principal } from './access.decorators';
import { ApiKey } from './api-key.entity';
import {
  API_KEY_PREFIX,
  dummyPasswordHash,
  hashPassword,
  hashToken,
  newPassword,
  newToken,
  verifyPassword,
} from './secrets';
import { Session } from './session.entity';
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
        prefix: key.slice(0, API_KEY_PREFIX.length + 6),
        keyHash: hashToken(key),
      }),
    );
  }

  async authenticateApiKey(key: string): Promise<Principal | null> {
    const row = await this.db
      .getRepository(ApiKey)
      .findOne({ where: { keyHash: hashToken(key), revokedAt: IsNull() } });
    if (!row) return null;
    if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
      await this.db.getRepository(ApiKey).update(row.id, { lastUsedAt: new Date() });
    }
    return {
      organizationId: row.organizationId,
      role: row.role,
      userId: null,
      apiKeyId: row.id,
      email: null,
    };
  }

  /** Checks the password; answers null for an unknown email or a wrong password alike, in similar time. */
  async login(
    email: string,
    password: string,
    ttlHours: number,
  ): Promise<{ token: string; principal: Principal; expiresAt: Date } | null> {
    const user = await this.db
      .getRepository(User)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('lower(u.email) = lower(:email)', { email })
      .getOne();
    const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
    if (!user || !ok) return null;
    const token = newToken('');
    const expiresAt = new Date(Date.now() + ttlHours * 3_600_000);
    await this.db.transaction(async (tx) => {
      await tx.insert(Session, {
        organizationId: user.organizationId,
        userId: user.id,
        tokenHash: hashToken(token),
        expiresAt,
      });
      await tx.update(User, user.id, { lastLoginAt: new Date() });
      await this.audit.record(
        { organizationId: user.organizationId, userId: user.id },
        'user.login',
        { type: 'user', id: user.id },
        {},
        tx,
      );
    });
    return { token, expiresAt, principal: toPrincipal(user) };
  }

  async authenticateSession(token: string): Promise<Principal | null> {
    // Every cookie-authenticated request comes through here: one indexed lookup, not one per table.
    const user = await this.db
      .getRepository(User)
      .createQueryBuilder('u')
      .innerJoin(Session, 's', 's.user_id = u.id')
      .where('s.token_hash = :hash AND s.expires_at > now()', { hash: hashToken(token) })
      .getOne();
    return user ? toPrincipal(user) : null;
  }

  async logout(token: string): Promise<void> {
    await this.db.getRepository(Session).delete({ tokenHash: hashToken(token) });
  }

  async organizationName(organizationId: string): Promise<string> {
    const org = await this.db.getRepository(Organization).findOneByOrFail({ id: organizationId });
    return org.name;
  }
}

function toPrincipal(user: User): Principal {
  return {
    organizationId: user.organizationId,
    role: user.role,
    userId: user.id,
    apiKeyId: null,
    email: user.email,
  };
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
