import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Principal } from './access.decorators';
import { dummyPasswordHash, hashToken, newToken, verifyPassword } from './secrets';
import { Session } from './session.entity';
import { User } from './user.entity';

/** Sign-in with email and password, and the cookie sessions it creates. */
@Injectable()
export class SessionsService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

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
}

export function toPrincipal(user: User): Principal {
  return {
    organizationId: user.organizationId,
    role: user.role,
    userId: user.id,
    apiKeyId: null,
    email: user.email,
  };
}
