import {
  ForbiddenException,
  Inject,
  Injectable,
  Logger,
  UnauthorizedException,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { SessionSummary } from '@hiresignal/shared';
import type { CookieOptions, Request, Response } from 'express';
import { DataSource, type EntityManager } from 'typeorm';
import { RetryLaterException } from '../../common/http-security';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { AuditService } from '../audit/audit.service';
import type { Principal } from './access.decorators';
import { LoginThrottleService, throttleKeys } from './login-throttle.service';
import {
  closePasswordHashing,
  configurePasswordHashing,
  dummyPasswordHash,
  hashToken,
  newToken,
  passwordHashLimiter,
  SESSION_COOKIE,
  verifyPassword,
} from './secrets';
import { Session } from './session.entity';
import { User } from './user.entity';

/** last_seen_at is written at most this often per session (the idle expiry is measured in minutes). */
const SEEN_RESOLUTION_MS = 60_000;
/** How often expired sessions and aged-out throttle counters are deleted. */
const SWEEP_INTERVAL_MS = 10 * 60_000;
const USER_AGENT_MAX = 512;

export type LoginFailureReason = 'wrong_password' | 'locked' | 'disabled';

export interface SignedIn {
  principal: Principal;
  sessionId: string;
  expiresAt: Date;
}

/**
 * Sign-in with email and password, and the cookie sessions it creates. A session ends at its absolute expiry
 * (SESSION_TTL_HOURS after sign-in), after SESSION_IDLE_MINUTES without use, at sign-out, when the user signs in
 * again presenting it (the id is rotated at every sign-in), or at once when its user is disabled.
 */
@Injectable()
export class SessionsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SessionsService.name);
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly throttle: LoginThrottleService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    configurePasswordHashing({
      log2N: config.PASSWORD_HASH_LOG2_N,
      concurrency: config.PASSWORD_HASH_CONCURRENCY,
      maxQueue: config.PASSWORD_HASH_QUEUE,
    });
  }

  onApplicationBootstrap(): void {
    if (this.config.PROCESS_ROLE === 'worker') return;
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    await closePasswordHashing();
  }

  private async sweep(): Promise<void> {
    try {
      const sessions = await this.purgeExpired();
      const counters = await this.throttle.purgeStale();
      if (sessions + counters > 0) {
        this.logger.debug(`swept ${sessions} expired sessions, ${counters} login counters`);
      }
    } catch (error) {
      this.logger.warn(`session sweep failed: ${(error as Error).message}`);
    }
  }

  /**
   * Checks email and password under the login throttle, then signs in (session, cookie). Throws 429 (locked, with
   * Retry-After), 503 (password hashing saturated, with Retry-After), 401 (unknown email or wrong password, alike
   * and in similar time) or 403 (the right password of a disabled user). Every outcome for an existing user is
   * audited; failures also count against the account and the client address.
   */
  async login(email: string, password: string, req: Request, res: Response): Promise<SignedIn> {
    // Saturated: refuse before any database work, so a flood of sign-ins costs the API as little as possible.
    const hashing = passwordHashLimiter();
    if (hashing.full) {
      await refusalDelay(hashing.retryAfterSeconds());
      throw new RetryLaterException(
        503,
        'Too many sign-ins are being checked right now; try again shortly',
        hashing.retryAfterSeconds(),
      );
    }
    const ip = clientIp(req);
    const userAgent = clientUserAgent(req);
    const keys = throttleKeys(email, ip);
    const user = await this.db
      .getRepository(User)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('lower(u.email) = lower(:email)', { email: email.trim() })
      .getOne();

    const lock = await this.throttle.activeLock(keys);
    if (lock) {
      if (user) await this.recordFailure(user, email, 'locked', ip, userAgent);
      await refusalDelay(lock.retryAfterSeconds);
      throw new RetryLaterException(
        429,
        `Too many failed sign-ins; try again in ${lock.retryAfterSeconds} s`,
        lock.retryAfterSeconds,
      );
    }

    const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
    if (!user || !ok || user.disabledAt) {
      await this.throttle.recordFailure(keys);
      if (user) {
        await this.recordFailure(user, email, ok ? 'disabled' : 'wrong_password', ip, userAgent);
      }
      if (user && ok) throw new ForbiddenException('This account is disabled');
      throw new UnauthorizedException('Wrong email or password');
    }
    await this.throttle.recordSuccess(keys);
    return this.signIn(user, req, res);
  }

  private async recordFailure(
    user: User,
    email: string,
    reason: LoginFailureReason,
    ip: string | null,
    userAgent: string | null,
  ): Promise<void> {
    await this.audit.record(
      { organizationId: user.organizationId, ip, userAgent },
      'user.login_failed',
      { type: 'user', id: user.id },
      { email: email.trim().slice(0, 320), reason },
    );
  }

  /**
   * Starts a session for a user whose credentials were checked (password sign-in, an accepted invitation): ends
   * the session the request presents, if any (the id is rotated at every sign-in), deletes the user's expired
   * sessions, records the client address and user agent, audits the sign-in and sets the cookie.
   */
  async signIn(user: User, req: Request, res: Response): Promise<SignedIn> {
    const ip = clientIp(req);
    const userAgent = clientUserAgent(req);
    const previous = sessionToken(req);
    const token = newToken('');
    const expiresAt = new Date(Date.now() + this.config.SESSION_TTL_HOURS * 3_600_000);
    const sessionId = await this.db.transaction(async (tx) => {
      if (previous) await tx.delete(Session, { tokenHash: hashToken(previous) });
      await tx.query(
        `DELETE FROM sessions
          WHERE user_id = $1 AND (expires_at <= now() OR last_seen_at < now() - make_interval(mins => $2))`,
        [user.id, this.config.SESSION_IDLE_MINUTES],
      );
      const inserted = await tx.insert(Session, {
        organizationId: user.organizationId,
        userId: user.id,
        tokenHash: hashToken(token),
        expiresAt,
        lastSeenAt: new Date(),
        ip,
        userAgent,
      });
      await tx.update(User, user.id, { lastLoginAt: new Date() });
      const id = (inserted.identifiers[0] as { id: string }).id;
      await this.audit.record(
        { organizationId: user.organizationId, userId: user.id, ip, userAgent },
        'user.login',
        { type: 'user', id: user.id },
        { sessionId: id },
        tx,
      );
      return id;
    });
    res.cookie(SESSION_COOKIE, token, this.cookieOptions(req, expiresAt));
    return { principal: toPrincipal(user), sessionId, expiresAt };
  }

  /** Secure when forced (COOKIE_SECURE) or when the request came over HTTPS (directly or via a trusted proxy). */
  cookieOptions(req: Request, expires?: Date): CookieOptions {
    return {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.config.COOKIE_SECURE || req.secure,
      path: '/',
      ...(expires ? { expires } : {}),
    };
  }

  clearCookie(req: Request, res: Response): void {
    res.clearCookie(SESSION_COOKIE, this.cookieOptions(req));
  }

  /**
   * The principal of a live session: not past its absolute expiry, used within the idle limit, its user not
   * disabled. Refreshes last_seen_at at most once a minute.
   */
  async authenticateSession(token: string): Promise<Principal | null> {
    // Every cookie-authenticated request comes through here: one indexed lookup, not one per table.
    const rows: {
      session_id: string;
      stale: boolean;
      id: string;
      organization_id: string;
      role: User['role'];
      email: string;
    }[] = await this.db.query(
      `SELECT s.id AS session_id, s.last_seen_at < now() - make_interval(secs => $3) AS stale,
              u.id, u.organization_id, u.role, u.email
         FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = $1 AND s.expires_at > now()
          AND s.last_seen_at > now() - make_interval(mins => $2)
          AND u.disabled_at IS NULL`,
      [hashToken(token), this.config.SESSION_IDLE_MINUTES, SEEN_RESOLUTION_MS / 1000],
    );
    const row = rows[0];
    if (!row) return null;
    if (row.stale) {
      await this.db.query(`UPDATE sessions SET last_seen_at = now() WHERE id = $1`, [row.session_id]);
    }
    return {
      organizationId: row.organization_id,
      role: row.role,
      userId: row.id,
      apiKeyId: null,
      email: row.email,
    };
  }

  async logout(token: string): Promise<void> {
    await this.db.getRepository(Session).delete({ tokenHash: hashToken(token) });
  }

  /** The user's live sessions, most recently used first; `current` marks the one with this token. */
  async listSessions(userId: string, currentToken: string | null): Promise<SessionSummary[]> {
    const rows: {
      id: string;
      token_hash: string;
      created_at: Date;
      last_seen_at: Date;
      expires_at: Date;
      ip: string | null;
      user_agent: string | null;
    }[] = await this.db.query(
      `SELECT id, token_hash, created_at, last_seen_at, expires_at, ip, user_agent
         FROM sessions
        WHERE user_id = $1 AND expires_at > now() AND last_seen_at > now() - make_interval(mins => $2)
        ORDER BY last_seen_at DESC, created_at DESC`,
      [userId, this.config.SESSION_IDLE_MINUTES],
    );
    const current = currentToken ? hashToken(currentToken) : null;
    return rows.map((r) => ({
      id: r.id,
      createdAt: new Date(r.created_at).toISOString(),
      lastSeenAt: new Date(r.last_seen_at).toISOString(),
      expiresAt: new Date(r.expires_at).toISOString(),
      ip: r.ip,
      userAgent: r.user_agent,
      current: r.token_hash === current,
    }));
  }

  /** Ends one of the user's sessions; answers false when the user has no session with that id. */
  async endSession(userId: string, sessionId: string): Promise<boolean> {
    const result = await this.db.getRepository(Session).delete({ id: sessionId, userId });
    return (result.affected ?? 0) > 0;
  }

  /**
   * Ends every session of the user except `keepSessionId` (null: all of them), e.g. after a password change or
   * when the user is disabled. Pass the transaction's manager to end them with the change. Answers how many.
   */
  async endAllSessionsExcept(
    userId: string,
    keepSessionId: string | null,
    manager: EntityManager = this.db.manager,
  ): Promise<number> {
    const rows: { n: number }[] = await manager.query(
      `WITH gone AS (
         DELETE FROM sessions WHERE user_id = $1 AND ($2::uuid IS NULL OR id <> $2::uuid) RETURNING 1
       )
       SELECT count(*)::int AS n FROM gone`,
      [userId, keepSessionId],
    );
    return rows[0]?.n ?? 0;
  }

  /** The id of the session a token belongs to (live or not), e.g. to keep the caller's own in endAllSessionsExcept. */
  async sessionIdOf(token: string): Promise<string | null> {
    const row = await this.db.getRepository(Session).findOne({
      select: { id: true },
      where: { tokenHash: hashToken(token) },
    });
    return row?.id ?? null;
  }

  /** Deletes sessions past their absolute or idle expiry, of every user; answers how many. */
  async purgeExpired(): Promise<number> {
    const rows: { n: number }[] = await this.db.query(
      `WITH gone AS (
         DELETE FROM sessions
          WHERE expires_at <= now() OR last_seen_at < now() - make_interval(mins => $1)
         RETURNING 1
       )
       SELECT count(*)::int AS n FROM gone`,
      [this.config.SESSION_IDLE_MINUTES],
    );
    return rows[0]?.n ?? 0;
  }
}

/**
 * A refused sign-in (locked, or hashing saturated) is answered after a pause of up to REFUSAL_DELAY_MS rather than at
 * once: a client that retries without waiting then cycles at most once a second per connection instead of flooding
 * the event loop with thousands of cheap refusals (which is what starved other requests under a burst). Costs the
 * server one timer per held request.
 */
const REFUSAL_DELAY_MS = 1000;
function refusalDelay(retryAfterSeconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.min(REFUSAL_DELAY_MS, retryAfterSeconds * 1000)));
}

/** The session cookie's token, if the request carries one. */
export function sessionToken(req: Request): string | null {
  const token = (req as { cookies?: Record<string, string> }).cookies?.[SESSION_COOKIE];
  return typeof token === 'string' && token !== '' ? token : null;
}

/** The client address (X-Forwarded-For only from a trusted proxy), an IPv4-mapped IPv6 address as IPv4. */
export function clientIp(req: Request): string | null {
  const ip = req.ip ?? req.socket?.remoteAddress;
  if (!ip) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return mapped ? mapped[1] : ip;
}

function clientUserAgent(req: Request): string | null {
  const ua = req.headers['user-agent'];
  return ua ? ua.slice(0, USER_AGENT_MAX) : null;
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
