import {
  ConflictException,
  ForbiddenException,
  GoneException,
  Inject,
  Injectable,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import type {
  InvitationCreated,
  InvitationInfo,
  Role,
  TeamUser,
  UserPatch,
  UserStatus,
} from '@hiresignal/shared';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { runAsSystem } from '../../database/tenancy';
import { AuditService, type AuditActor } from '../audit/audit.service';
import { Organization } from '../organizations/organization.entity';
import { checkPassword } from './password-policy';
import { hashPassword, hashToken, newToken, verifyPassword } from './secrets';
import { SessionsService } from './sessions.service';
import { UserToken, type UserTokenPurpose } from './user-token.entity';
import { User } from './user.entity';

interface UserRow {
  id: string;
  email: string;
  role: Role;
  has_password: boolean;
  created_at: Date;
  last_login_at: Date | null;
  disabled_at: Date | null;
  invitation_expires_at: Date | null;
}

/** The people of an organization: invitations, roles, disabling, password links and password changes. */
@Injectable()
export class UsersService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly sessions: SessionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(organizationId: string): Promise<TeamUser[]> {
    const rows: UserRow[] = await this.db.query(
      `${USER_SELECT} WHERE u.organization_id = $1 ORDER BY lower(u.email)`,
      [organizationId],
    );
    return rows.map(toTeamUser);
  }

  private async one(organizationId: string, id: string, manager: EntityManager): Promise<TeamUser> {
    const rows: UserRow[] = await manager.query(`${USER_SELECT} WHERE u.organization_id = $1 AND u.id = $2`, [
      organizationId,
      id,
    ]);
    if (!rows[0]) throw new NotFoundException(`No user ${id} in this organization`);
    return toTeamUser(rows[0]);
  }

  /**
   * Invites a person: a user without a password and a single-use link to set one. Inviting an address that is
   * still only invited here issues a fresh link (the old one stops working); an address that already has an
   * account is refused.
   */
  async invite(actor: AuditActor, email: string, role: Role, origin: string): Promise<InvitationCreated> {
    const address = email.trim().toLowerCase();
    // Email addresses are unique across organizations: look in all of them.
    const existing = await runAsSystem(() =>
      this.db
        .getRepository(User)
        .createQueryBuilder('u')
        .addSelect('u.passwordHash')
        .where('lower(u.email) = :email', { email: address })
        .getOne(),
    );
    if (existing && (existing.organizationId !== actor.organizationId || existing.passwordHash !== null)) {
      throw new ConflictException(`${address} already has a HireSignal account`);
    }
    return this.db.transaction(async (tx) => {
      let userId: string;
      if (existing) {
        userId = existing.id;
        if (existing.role !== role) await tx.update(User, existing.id, { role });
      } else {
        const inserted = await tx.insert(User, {
          organizationId: actor.organizationId,
          email: address,
          passwordHash: null,
          role,
        });
        userId = (inserted.identifiers[0] as { id: string }).id;
      }
      const link = await this.issueToken(tx, actor, userId, 'invitation', origin);
      await this.audit.record(
        actor,
        'user.invited',
        { type: 'user', id: userId },
        { email: address, role, expiresAt: link.expiresAt, reissued: Boolean(existing) },
        tx,
      );
      return { ...link, userId, email: address, role };
    });
  }

  /** A single-use link for a user to choose a new password (their current one keeps working until then). */
  async passwordReset(actor: AuditActor, userId: string, origin: string): Promise<InvitationCreated> {
    return this.db.transaction(async (tx) => {
      const user = await this.one(actor.organizationId, userId, tx);
      if (user.status === 'disabled')
        throw new ConflictException('Enable the user before resetting the password');
      const purpose: UserTokenPurpose = user.status === 'invited' ? 'invitation' : 'password_reset';
      const link = await this.issueToken(tx, actor, userId, purpose, origin);
      await this.audit.record(
        actor,
        purpose === 'invitation' ? 'user.invited' : 'user.password_reset_issued',
        { type: 'user', id: userId },
        { email: user.email, expiresAt: link.expiresAt },
        tx,
      );
      return { ...link, userId, email: user.email, role: user.role };
    });
  }

  private async issueToken(
    tx: EntityManager,
    actor: AuditActor,
    userId: string,
    purpose: UserTokenPurpose,
    origin: string,
  ): Promise<Pick<InvitationCreated, 'invitationId' | 'url' | 'expiresAt' | 'emailed'>> {
    // One live link per user: a new one ends the others.
    await tx.query(`UPDATE user_tokens SET used_at = now() WHERE user_id = $1 AND used_at IS NULL`, [userId]);
    const token = newToken('');
    const hours =
      purpose === 'invitation' ? this.config.INVITATION_TTL_HOURS : this.config.PASSWORD_RESET_TTL_HOURS;
    const expiresAt = new Date(Date.now() + hours * 3_600_000);
    const inserted = await tx.insert(UserToken, {
      organizationId: actor.organizationId,
      userId,
      purpose,
      tokenHash: hashToken(token),
      createdByUserId: actor.userId ?? null,
      expiresAt,
    });
    const base = (this.config.PUBLIC_URL ?? origin).replace(/\/+$/, '');
    return {
      invitationId: (inserted.identifiers[0] as { id: string }).id,
      // The token travels in the fragment: browsers never send it to a server or put it in a Referer.
      url: `${base}/accept-invitation#token=${token}`,
      expiresAt: expiresAt.toISOString(),
      emailed: false,
    };
  }

  /** What a link is for, before its holder chooses a password. Runs in the system scope (a public route). */
  async linkInfo(token: string): Promise<InvitationInfo> {
    const link = await this.liveLink(this.db.manager, token);
    const user = await this.db.getRepository(User).findOneByOrFail({ id: link.userId });
    const org = await this.db.getRepository(Organization).findOneByOrFail({ id: link.organizationId });
    return {
      email: user.email,
      organizationName: org.name,
      purpose: link.purpose,
      expiresAt: link.expiresAt.toISOString(),
    };
  }

  private async liveLink(manager: EntityManager, token: string, lock = false): Promise<UserToken> {
    const link = await manager.getRepository(UserToken).findOne({
      where: { tokenHash: hashToken(token) },
      ...(lock ? { lock: { mode: 'pessimistic_write' } } : {}),
    });
    if (!link) throw new NotFoundException('This link is not valid: ask your admin for a new one');
    if (link.usedAt) throw new GoneException('This link has already been used: ask your admin for a new one');
    if (link.expiresAt.getTime() <= Date.now())
      throw new GoneException('This link has expired: ask your admin for a new one');
    return link;
  }

  /**
   * Sets the password of the link's user and uses the link up; every other session of the user ends. Answers the
   * user, whom the caller then signs in.
   */
  async acceptLink(token: string, password: string): Promise<User> {
    // Checked and hashed before the transaction, which must not hold a connection for the length of a hash.
    const first = await this.liveLink(this.db.manager, token);
    const owner = await this.db.getRepository(User).findOneByOrFail({ id: first.userId });
    if (owner.disabledAt) throw new ForbiddenException('This account is disabled: ask your admin');
    const problems = checkPassword(password, owner.email);
    if (problems.length > 0) throw passwordProblems(problems);
    const passwordHash = await hashPassword(password);
    return this.db.transaction(async (tx) => {
      // Locked and checked again: of two concurrent uses of one link, the second finds it used.
      const link = await this.liveLink(tx, token, true);
      const user = await tx.getRepository(User).findOneByOrFail({ id: link.userId });
      if (user.disabledAt) throw new ForbiddenException('This account is disabled: ask your admin');
      await tx.update(User, user.id, { passwordHash, passwordChangedAt: new Date() });
      await tx.query(`UPDATE user_tokens SET used_at = now() WHERE user_id = $1 AND used_at IS NULL`, [
        user.id,
      ]);
      await this.sessions.endAllSessionsExcept(user.id, null, tx);
      await this.audit.record(
        { organizationId: user.organizationId, userId: user.id },
        link.purpose === 'invitation' ? 'user.invitation_accepted' : 'user.password_reset',
        { type: 'user', id: user.id },
        { email: user.email },
        tx,
      );
      return user;
    });
  }

  /** A signed-in user's own password change; their other sessions end. */
  async changePassword(
    actor: AuditActor & { userId: string },
    currentPassword: string,
    newPassword: string,
    keepSessionId: string | null,
  ): Promise<void> {
    const user = await this.db
      .getRepository(User)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.id = :id', { id: actor.userId })
      .getOneOrFail();
    if (!user.passwordHash || !(await verifyPassword(currentPassword, user.passwordHash))) {
      throw passwordProblems([{ field: 'currentPassword', message: 'is not your current password' }]);
    }
    const problems = checkPassword(newPassword, user.email, 'newPassword');
    if (newPassword === currentPassword)
      problems.push({ field: 'newPassword', message: 'must differ from the current password' });
    if (problems.length > 0) throw passwordProblems(problems);
    const passwordHash = await hashPassword(newPassword);
    await this.db.transaction(async (tx) => {
      await tx.update(User, user.id, { passwordHash, passwordChangedAt: new Date() });
      const ended = await this.sessions.endAllSessionsExcept(user.id, keepSessionId, tx);
      await this.audit.record(
        actor,
        'user.password_changed',
        { type: 'user', id: user.id },
        { otherSessionsEnded: ended },
        tx,
      );
    });
  }

  /**
   * Changes a role or disables/enables a user. Disabling ends the user's sessions at once (and the API keys they
   * created stop authenticating while they are disabled). The organization always keeps an active admin.
   */
  async update(actor: AuditActor, id: string, patch: UserPatch): Promise<TeamUser> {
    return this.db.transaction(async (tx) => {
      // Lock the organization's admins so two concurrent changes cannot both remove "the other" admin.
      await tx.query(`SELECT id FROM users WHERE organization_id = $1 AND role = 'admin' FOR UPDATE`, [
        actor.organizationId,
      ]);
      const before = await this.one(actor.organizationId, id, tx);
      const role = patch.role ?? before.role;
      const disabled = patch.disabled ?? before.status === 'disabled';
      if (before.role === 'admin' && before.status === 'active' && (role !== 'admin' || disabled)) {
        const [{ n }] = (await tx.query(
          `SELECT count(*)::int AS n FROM users
            WHERE organization_id = $1 AND role = 'admin' AND disabled_at IS NULL AND password_hash IS NOT NULL
              AND id <> $2`,
          [actor.organizationId, id],
        )) as { n: number }[];
        if (n === 0) {
          throw new ConflictException(
            'This is the last active admin: make another user an admin before changing or disabling this one',
          );
        }
      }
      if (patch.role !== undefined && patch.role !== before.role) {
        await tx.update(User, id, { role: patch.role });
        await this.audit.record(
          actor,
          'user.role_changed',
          { type: 'user', id },
          { email: before.email, from: before.role, to: patch.role },
          tx,
        );
      }
      const wasDisabled = before.status === 'disabled';
      if (patch.disabled !== undefined && patch.disabled !== wasDisabled) {
        await tx.update(User, id, { disabledAt: patch.disabled ? new Date() : null });
        let sessionsEnded = 0;
        if (patch.disabled) sessionsEnded = await this.sessions.endAllSessionsExcept(id, null, tx);
        await this.audit.record(
          actor,
          patch.disabled ? 'user.disabled' : 'user.enabled',
          { type: 'user', id },
          { email: before.email, ...(patch.disabled ? { sessionsEnded } : {}) },
          tx,
        );
      }
      return this.one(actor.organizationId, id, tx);
    });
  }
}

const USER_SELECT = `
  SELECT u.id, u.email, u.role, u.password_hash IS NOT NULL AS has_password, u.created_at, u.last_login_at,
         u.disabled_at,
         (SELECT max(t.expires_at) FROM user_tokens t
           WHERE t.user_id = u.id AND t.purpose = 'invitation' AND t.used_at IS NULL) AS invitation_expires_at
    FROM users u`;

function toTeamUser(row: UserRow): TeamUser {
  const status: UserStatus = row.disabled_at ? 'disabled' : row.has_password ? 'active' : 'invited';
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    status,
    createdAt: row.created_at.toISOString(),
    lastLoginAt: row.last_login_at?.toISOString() ?? null,
    disabledAt: row.disabled_at?.toISOString() ?? null,
    invitationExpiresAt: status === 'invited' ? (row.invitation_expires_at?.toISOString() ?? null) : null,
  };
}

function passwordProblems(problems: { field: string; message: string }[]): UnprocessableEntityException {
  return new UnprocessableEntityException({
    statusCode: 422,
    error: 'Unprocessable Entity',
    message: `The password ${problems.map((p) => p.message).join('; ')}`,
    problems,
  });
}
