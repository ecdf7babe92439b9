import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const int = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be a whole number from ${min} to ${max}`);

const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
  );

/** Every environment variable the API reads, validated once at boot. */
export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: int(0, 65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    PROCESS_ROLE: z.enum(['api', 'worker', 'all']).default('all'),
    DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
    DATABASE_POOL_SIZE: int(1, 100).default(10),
    PGLITE_DATA_DIR: z.string().min(1).default('data/pglite'),
    REDIS_URL: url(['redis:', 'rediss:']).optional(),
    QUEUE_PREFIX: z
      .string()
      .regex(/^[a-zA-Z0-9_-]+$/, 'may contain only letters, digits, _ and -')
      .default('hiresignal'),
    WORKER_CONCURRENCY: int(1, 64).default(2),
    SEED_DEMO: bool.default(true),
    DEMO_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
    DEMO_API_KEY: z
      .string()
      .regex(/^hs_[A-Za-z0-9_-]{32,}$/, 'must look like hs_ followed by at least 32 letters, digits, _ or -')
      .optional(),
    DEMO_APPLICATIONS: int(50, 1_000_000).default(2000),
    SESSION_TTL_HOURS: int(1, 24 * 30).default(12),
    /** How long an invitation link stays valid. */
    INVITATION_TTL_HOURS: int(1, 24 * 30).default(72),
    /** How long a password-reset link stays valid. */
    PASSWORD_RESET_TTL_HOURS: int(1, 24 * 7).default(24),
    /**
     * The dashboard's address as users reach it (e.g. https://hiresignal.acme.example), used in invitation and reset
     * links; unset: the address of the request that created the link.
     */
    PUBLIC_URL: url(['http:', 'https:']).optional(),
    /** Force the Secure flag on the session cookie; without it the cookie is Secure whenever the request is HTTPS. */
    COOKIE_SECURE: bool.default(false),
    /** A session unused for this long ends (SESSION_TTL_HOURS is the absolute limit). */
    SESSION_IDLE_MINUTES: int(1, 24 * 60 * 30).default(60),
    /**
     * Which proxies' X-Forwarded-For/-Proto headers are believed (Express "trust proxy"): `loopback` (default),
     * `uniquelocal`, addresses or CIDRs separated by commas, a hop count, `true` or `false`.
     */
    TRUST_PROXY: z
      .string()
      .regex(
        /^[0-9a-zA-Z.:/, ]+$/,
        'must be loopback, uniquelocal, addresses/CIDRs, a hop count, true or false',
      )
      .default('loopback'),
    /** Failed sign-ins for one email before it is locked; each further failure doubles the lock. */
    LOGIN_MAX_FAILURES_ACCOUNT: int(1, 1000).default(5),
    /** Failed sign-ins from one client address (IPv6: its /64) before it is locked. */
    LOGIN_MAX_FAILURES_IP: int(1, 100_000).default(20),
    /** The first lock, in seconds; it doubles with each further failure up to LOGIN_LOCK_MAX_SECONDS. */
    LOGIN_LOCK_SECONDS: int(1, 24 * 3600).default(60),
    LOGIN_LOCK_MAX_SECONDS: int(1, 7 * 24 * 3600).default(900),
    /** Failures older than this no longer count (the counters start again). */
    LOGIN_FAILURE_WINDOW_MINUTES: int(1, 7 * 24 * 60).default(15),
    /**
     * scrypt cost as log2(N) for new password hashes (r=8, p=1); 16 = 64 MiB and about 0.2-0.4 s of one core.
     * Below 15 is refused with NODE_ENV=production (tests use a cheaper value to run fast).
     */
    PASSWORD_HASH_LOG2_N: int(10, 20).default(16),
    /** Password hashes computed at once; unset: one fewer than the cores, at most 3, at least 1. */
    PASSWORD_HASH_CONCURRENCY: int(1, 64).optional(),
    /** Sign-ins waiting for a hashing slot before further ones are answered 503 with Retry-After. */
    PASSWORD_HASH_QUEUE: int(0, 10_000).default(8),
    WEB_DIST_DIR: z.string().min(1).default('dist/apps/web/browser'),
    MAX_RECORDS_PER_REQUEST: int(1, 1_000_000).default(50_000),
    BODY_LIMIT_MB: int(1, 1024).default(64),
    /**
     * Largest file POST /api/v1/imports accepts, in bytes (default 1 GiB); the upload is streamed, never buffered,
     * and CSV and ATS JSON alike are parsed as they stream.
     */
    MAX_UPLOAD_BYTES: int(1024, 1024 ** 4).default(1024 ** 3),
    /**
     * Records per committed write batch of a file import (one statement inside PostgreSQL): progress and the resume
     * cursor advance per batch. Validation hands records to the staging in batches of at most 2,000.
     */
    IMPORT_BATCH_ROWS: int(10, 100_000).default(20_000),
    /**
     * Write batches of one file import committed in parallel on a PostgreSQL server (the embedded database has one
     * connection, so one there).
     */
    IMPORT_WRITE_LANES: int(1, 8).default(2),
    /**
     * Worker processes sweep file imports this often: an upload that stopped receiving fails, and a run committed
     * as queued whose job is not in the queue (the API died before enqueueing it) is enqueued again.
     */
    IMPORT_SWEEP_INTERVAL_SECONDS: int(1, 24 * 3600).default(60),
    /** An upload or a queued run without progress for this long is stale for the sweeper. */
    IMPORT_STALE_AFTER_SECONDS: int(1, 7 * 24 * 3600).default(600),
    /** Test hook: sleep this long after each committed batch of a file import (to land a SIGKILL mid-import). */
    INGEST_BATCH_DELAY_MS: int(0, 60_000).default(0),
    /** How long an export's file is kept after it is written; a sweep deletes expired files. */
    EXPORT_TTL_HOURS: int(1, 24 * 365).default(24 * 7),
    /** Worker processes delete expired exports this often. */
    EXPORT_SWEEP_INTERVAL_SECONDS: int(1, 24 * 3600).default(600),
    /** Test hook: sleep this long after each page of an export (to land a SIGKILL mid-export). */
    EXPORT_PAGE_DELAY_MS: int(0, 60_000).default(0),
    /** Structured JSON log lines (pino) at this level and above, on stdout: `log` is pino's `info`. */
    LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
    /**
     * A bearer token that may read GET /api/metrics besides an admin (for a Prometheus scraper, which has no
     * organization); unset: admins only. At least 32 characters.
     */
    METRICS_TOKEN: z
      .string()
      .regex(/^[\x21-\x7e]{32,512}$/, 'must be 32 to 512 printable characters without spaces')
      .optional(),
    /**
     * A worker-only process (PROCESS_ROLE=worker) serves GET /api/metrics (METRICS_TOKEN only) and the liveness and
     * readiness checks on this port; unset: it listens on nothing. API processes serve them on PORT.
     */
    METRICS_PORT: int(1, 65535).optional(),
    /**
     * On SIGTERM or SIGINT running jobs get this long to finish; then BullMQ jobs are handed back to the queue (another
     * worker takes them at once) and in-process ones are left to the next start's recovery.
     */
    SHUTDOWN_GRACE_SECONDS: int(0, 3600).default(25),
    /** Longest CSV line (record) of a file import, in bytes (default 1 MiB); a longer one fails the file at its line. */
    IMPORT_MAX_LINE_BYTES: int(1024, 64 * 1024 ** 2).default(1024 ** 2),
    /** Deepest nesting of a JSON body or an ATS export object; deeper is refused (400, or a file error). */
    JSON_MAX_DEPTH: int(4, 1000).default(32),
    /** Longest string in a JSON body or an ATS export, in characters; longer is refused (400, or a file error). */
    JSON_MAX_STRING_CHARS: int(1024, 64 * 1024 ** 2).default(1024 ** 2),
    /** Times a file import may be started (retries, recoveries after a crash) before it ends failed as poison. */
    IMPORT_MAX_STARTS: int(1, 100).default(8),
  })
  .superRefine((cfg, ctx) => {
    if (cfg.EXPORT_PAGE_DELAY_MS > 0 && cfg.NODE_ENV === 'production') {
      ctx.addIssue({
        code: 'custom',
        path: ['EXPORT_PAGE_DELAY_MS'],
        message: 'is a test hook that slows every export; it is refused with NODE_ENV=production',
      });
    }
    if (cfg.INGEST_BATCH_DELAY_MS > 0 && cfg.NODE_ENV === 'production') {
      ctx.addIssue({
        code: 'custom',
        path: ['INGEST_BATCH_DELAY_MS'],
        message: 'is a test hook that slows every import; it is refused with NODE_ENV=production',
      });
    }
    if (cfg.PASSWORD_HASH_LOG2_N < 15 && cfg.NODE_ENV === 'production') {
      ctx.addIssue({
        code: 'custom',
        path: ['PASSWORD_HASH_LOG2_N'],
        message: 'below 15 is too cheap a password hash; it is refused with NODE_ENV=production',
      });
    }
    if (cfg.METRICS_PORT !== undefined && cfg.PROCESS_ROLE !== 'worker') {
      ctx.addIssue({
        code: 'custom',
        path: ['METRICS_PORT'],
        message: 'is for PROCESS_ROLE=worker only: an API process serves /api/metrics on PORT',
      });
    }
    if (cfg.METRICS_PORT !== undefined && !cfg.METRICS_TOKEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['METRICS_PORT'],
        message: 'needs METRICS_TOKEN: a worker has no sign-in, so its metrics are read with the token only',
      });
    }
    if (cfg.PROCESS_ROLE !== 'all' && !cfg.REDIS_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['PROCESS_ROLE'],
        message: `${cfg.PROCESS_ROLE} needs REDIS_URL: without Redis the in-process queue only works with PROCESS_ROLE=all`,
      });
    }
    if (cfg.PROCESS_ROLE !== 'all' && !cfg.DATABASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['PROCESS_ROLE'],
        message: `${cfg.PROCESS_ROLE} needs DATABASE_URL: the embedded database serves one process only`,
      });
    }
  });

export type AppConfig = z.output<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the environment once; throws a ConfigError naming every bad variable. Empty strings count as unset. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const input = Object.fromEntries(
    Object.keys(configSchema.shape).flatMap((key) => {
      const value = env[key];
      return value === undefined || value.trim() === '' ? [] : [[key, value.trim()]];
    }),
  );
  const parsed = configSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => {
      const key = issue.path.join('.');
      const given = key in input ? ` (got ${JSON.stringify(redact(key, input[key]))})` : '';
      return `${key}: ${issue.message}${given}`;
    }),
  );
}

function redact(key: string, value: string): string {
  if (/PASSWORD|API_KEY|TOKEN/.test(key)) return '***';
  if (/_URL$/.test(key)) return value.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
  return value;
}

/** Injection token for the validated configuration. */
export const APP_CONFIG = Symbol('APP_CONFIG');
