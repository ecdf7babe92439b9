import { isIPv6 } from 'node:net';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config';

export interface ThrottlePolicy {
  /** Failures of one account (email) before it is locked. */
  accountMaxFailures: number;
  /** Failures from one client address before it is locked. */
  ipMaxFailures: number;
  /** The first lock; each further failure doubles it, up to lockMaxSeconds. */
  lockSeconds: number;
  lockMaxSeconds: number;
  /** A failure older than this no longer counts: the next one starts the counter again. */
  windowSeconds: number;
}

export interface ThrottleKeys {
  account: string;
  ip: string | null;
}

export interface Lock {
  key: string;
  lockedUntil: Date;
  retryAfterSeconds: number;
}

/** 'account:<lower-cased email>' and 'ip:<address>' (an IPv6 address by its /64, what one client usually holds). */
export function throttleKeys(email: string, ip: string | null | undefined): ThrottleKeys {
  return { account: `account:${email.trim().toLowerCase()}`, ip: ip ? `ip:${clientNetwork(ip)}` : null };
}

export function clientNetwork(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1];
  if (!isIPv6(ip)) return ip;
  const groups = expandIPv6(ip);
  return groups ? `${groups.slice(0, 4).join(':')}::/64` : ip;
}

function expandIPv6(ip: string): string[] | null {
  const [head, tail, ...rest] = ip.split('%')[0].toLowerCase().split('::');
  if (rest.length > 0) return null;
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  if (right.some((g) => g.includes('.')) || left.some((g) => g.includes('.'))) return null;
  const missing = 8 - left.length - right.length;
  if (missing < 0 || (tail === undefined && missing !== 0)) return null;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((g) => g.replace(/^0+(?=.)/, ''));
}

/**
 * Failed sign-ins counted per account and per client address in the table login_throttle, so every API process
 * sees the same counters. From the N-th failure within the window a key is locked, first for lockSeconds, then twice
 * as long with each further failure (exponential back-off) up to lockMaxSeconds; a locked key's attempts are
 * answered 429 without a password check (and do not count). The counters start again after a quiet window. A successful sign-in clears its account's counter, not
 * the address's (else one valid account would launder guesses at others).
 */
@Injectable()
export class LoginThrottleService {
  readonly policy: ThrottlePolicy;

  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.policy = {
      accountMaxFailures: config.LOGIN_MAX_FAILURES_ACCOUNT,
      ipMaxFailures: config.LOGIN_MAX_FAILURES_IP,
      lockSeconds: config.LOGIN_LOCK_SECONDS,
      lockMaxSeconds: Math.max(config.LOGIN_LOCK_SECONDS, config.LOGIN_LOCK_MAX_SECONDS),
      windowSeconds: config.LOGIN_FAILURE_WINDOW_MINUTES * 60,
    };
  }

  /** The lock that ends last among these keys, or null when none is locked. */
  async activeLock(keys: ThrottleKeys): Promise<Lock | null> {
    const rows: { key: string; locked_until: Date; wait: number }[] = await this.db.query(
      `SELECT key, locked_until, extract(epoch FROM locked_until - now())::float8 AS wait
         FROM login_throttle WHERE key = ANY($1::text[]) AND locked_until > now()
        ORDER BY locked_until DESC LIMIT 1`,
      [list(keys)],
    );
    const row = rows[0];
    return row ? toLock(row) : null;
  }

  /** Counts one failure against each key (atomically, in one statement); answers the lock it set, if any. */
  async recordFailure(keys: ThrottleKeys): Promise<Lock | null> {
    const p = this.policy;
    // $2/$3: the account's and the address's threshold; the failure count after this one is `failures` below.
    const threshold = (key: string) => `CASE WHEN ${key} LIKE 'ip:%' THEN $3::int ELSE $2::int END`;
    // The count starts again only after a window with neither a failure nor a lock, so a key whose lock just ran out
    // goes on doubling (a patient attacker gets one guess per lockMaxSeconds), and an idle one is forgiven.
    const quiet = `now() - make_interval(secs => $4::float8)`;
    const failures = `CASE WHEN t.last_failure_at < ${quiet} AND coalesce(t.locked_until, '-infinity') < ${quiet}
      THEN 1 ELSE t.failures + 1 END`;
    const lockFor = (n: string, key: string) =>
      `now() + make_interval(secs => least($6::float8, $5::float8 * power(2, ${n} - ${threshold(key)})))`;
    const rows: { key: string; locked_until: Date | null; wait: number | null }[] = await this.db.query(
      `INSERT INTO login_throttle AS t (key, failures, last_failure_at, locked_until)
       SELECT k, 1, now(), CASE WHEN 1 >= ${threshold('k')} THEN ${lockFor('1', 'k')} END
         FROM unnest($1::text[]) AS k
       ON CONFLICT (key) DO UPDATE
         SET failures = ${failures},
             last_failure_at = now(),
             locked_until = CASE WHEN ${failures} >= ${threshold('t.key')} THEN ${lockFor(failures, 't.key')}
                                 ELSE t.locked_until END
       RETURNING t.key, t.locked_until, extract(epoch FROM t.locked_until - now())::float8 AS wait`,
      [list(keys), p.accountMaxFailures, p.ipMaxFailures, p.windowSeconds, p.lockSeconds, p.lockMaxSeconds],
    );
    const locks = rows.filter(
      (r): r is { key: string; locked_until: Date; wait: number } =>
        r.locked_until !== null && Number(r.wait) > 0,
    );
    if (locks.length === 0) return null;
    return toLock(locks.reduce((a, b) => (b.wait > a.wait ? b : a)));
  }

  /** A successful sign-in clears the account's failures. */
  async recordSuccess(keys: ThrottleKeys): Promise<void> {
    await this.db.query(`DELETE FROM login_throttle WHERE key = $1`, [keys.account]);
  }

  /** Deletes counters that would start again at their next failure (a quiet window); answers how many. */
  async purgeStale(): Promise<number> {
    const rows: { n: number }[] = await this.db.query(
      `WITH gone AS (
         DELETE FROM login_throttle
          WHERE last_failure_at < now() - make_interval(secs => $1::float8)
            AND coalesce(locked_until, '-infinity') < now() - make_interval(secs => $1::float8)
         RETURNING 1
       )
       SELECT count(*)::int AS n FROM gone`,
      [this.policy.windowSeconds],
    );
    return rows[0]?.n ?? 0;
  }
}

function list(keys: ThrottleKeys): string[] {
  return keys.ip ? [keys.account, keys.ip] : [keys.account];
}

function toLock(row: { key: string; locked_until: Date; wait: number }): Lock {
  return {
    key: row.key,
    lockedUntil: new Date(row.locked_until),
    retryAfterSeconds: Math.max(1, Math.ceil(Number(row.wait))),
  };
}
