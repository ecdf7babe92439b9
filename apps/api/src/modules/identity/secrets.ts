import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { defaultHashConcurrency, HashLimiter } from './hash-limiter';

/*
 * Passwords: scrypt, a memory-hard KDF. Default N=2^16, r=8, p=1: 64 MiB and about 0.2-0.4 s of one core here per
 * hash. Why not OWASP's N=2^17 (128 MiB, 0.6-1.5 s here)? Every sign-in, including every attacker's guess, costs one
 * hash, and hashes are capped at one fewer than the cores at a time (HashLimiter, so a burst of logins cannot starve
 * the rest of the API): the hash time is the server's whole sign-in budget. At 2^16 a 2-core machine checks 3-5
 * sign-ins a second instead of 1-2, while an offline guess still needs 64 MiB of memory, which is what makes GPU and
 * ASIC cracking expensive (memory, not compute, bounds their parallelism); the login throttle, not the hash cost,
 * is what stops online guessing. N, r and p are stored with each hash, so older hashes (2^17) stay verifiable at
 * their own cost and the default can be raised without invalidating anything.
 */
const SCRYPT = { N: 2 ** 16, r: 8, p: 1, keyLength: 32 };
let limiter = new HashLimiter(defaultHashConcurrency(), 8);
let dummyHash: Promise<string> | undefined;

/**
 * Sets the cost of new hashes (log2 N) and the hash concurrency and queue (from the configuration, at boot).
 * Tests use a cheap cost; the configuration refuses one below 2^15 in production.
 */
export function configurePasswordHashing(options: {
  log2N: number;
  concurrency?: number;
  maxQueue: number;
}): void {
  SCRYPT.N = 2 ** options.log2N;
  limiter = new HashLimiter(options.concurrency ?? defaultHashConcurrency(), options.maxQueue);
  dummyHash = undefined;
}

export function passwordHashLimiter(): HashLimiter {
  return limiter;
}

/*
 * The hash runs in worker threads of its own at the lowest CPU priority (nice 19 on Linux), one per hashing slot,
 * not on the libuv threadpool: when the machine is busy, the event loop, the database and every other request get
 * the CPU first and sign-ins wait (the bounded queue in front turns a long wait into 503 + Retry-After).
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { scryptSync } = require('node:crypto');
try {
  const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
  require('node:os').setPriority(tid, 19);
} catch {}
parentPort.on('message', ({ id, password, salt, keyLength, options }) => {
  try {
    const key = scryptSync(password, Buffer.from(salt), keyLength, options);
    parentPort.postMessage({ id, key });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message) });
  }
});`;

interface HashJob {
  resolve: (key: Buffer) => void;
  reject: (error: Error) => void;
}

class HashWorker {
  private readonly worker: Worker;
  private readonly jobs = new Map<number, HashJob>();
  private nextId = 0;
  busy = false;
  dead = false;

  constructor() {
    this.worker = new Worker(WORKER_SOURCE, { eval: true });
    this.worker.on('message', (m: { id: number; key?: Uint8Array; error?: string }) => {
      const job = this.jobs.get(m.id);
      this.jobs.delete(m.id);
      if (this.jobs.size === 0) this.worker.unref();
      if (m.key) job?.resolve(Buffer.from(m.key));
      else job?.reject(new Error(m.error ?? 'scrypt failed'));
    });
    this.worker.on('error', (error) => this.failAll(error));
    this.worker.on('exit', () => this.failAll(new Error('hash worker exited')));
    // An idle worker does not keep the process alive (listeners ref it, so unref after them); a busy one does.
    this.worker.unref();
  }

  private failAll(error: Error): void {
    this.dead = true;
    for (const job of this.jobs.values()) job.reject(error);
    this.jobs.clear();
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }

  run(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
    const id = this.nextId++;
    return new Promise<Buffer>((resolve, reject) => {
      if (this.jobs.size === 0) this.worker.ref();
      this.jobs.set(id, { resolve, reject });
      this.worker.postMessage({ id, password, salt: new Uint8Array(salt), keyLength, options });
    });
  }
}

const workers: HashWorker[] = [];

/** scrypt on an idle low-priority worker (the limiter admits at most one task per worker); libuv's if none. */
async function scryptAsync(
  password: string,
  salt: Buffer,
  keyLength: number,
  options: ScryptOptions,
): Promise<Buffer> {
  let worker: HashWorker | undefined = workers.find((w) => !w.busy && !w.dead);
  if (!worker && workers.filter((w) => !w.dead).length < limiter.concurrency) {
    try {
      worker = new HashWorker();
      workers.push(worker);
    } catch {
      worker = undefined;
    }
  }
  if (!worker) return scryptOnThreadpool(password, salt, keyLength, options);
  worker.busy = true;
  try {
    return await worker.run(password, salt, keyLength, options);
  } finally {
    worker.busy = false;
    if (worker.dead) workers.splice(workers.indexOf(worker), 1);
  }
}

/** Stops the hash workers (at shutdown); the next hash starts new ones. */
export async function closePasswordHashing(): Promise<void> {
  const stopping = workers.splice(0, workers.length);
  await Promise.all(stopping.map((w) => w.terminate()));
}

function scryptOnThreadpool(
  password: string,
  salt: Buffer,
  keyLength: number,
  options: ScryptOptions,
): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

function maxmem(N: number, r: number): number {
  return 128 * N * r * 2;
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p, keyLength } = SCRYPT;
  const key = await limiter.run(() =>
    scryptAsync(password.normalize('NFKC'), salt, keyLength, { N, r, p, maxmem: maxmem(N, r) }),
  );
  return ['scrypt', N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Checks a password against a stored hash at the parameters stored with it; throws HashBusyError when saturated. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [algorithm, n, r, p, salt, key] = stored.split('$');
  if (algorithm !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const N = Number(n);
  const R = Number(r);
  const P = Number(p);
  if (![N, R, P].every(Number.isSafeInteger) || expected.length === 0) return false;
  const actual = await limiter.run(() =>
    scryptAsync(password.normalize('NFKC'), Buffer.from(salt, 'base64'), expected.length, {
      N,
      r: R,
      p: P,
      maxmem: maxmem(N, R),
    }),
  );
  return timingSafeEqual(actual, expected);
}

/** A hash that verifyPassword can be run against when the user does not exist, so timing does not reveal it. */
export function dummyPasswordHash(): Promise<string> {
  if (!dummyHash) {
    const pending = hashPassword(randomBytes(16).toString('hex'));
    dummyHash = pending;
    // A refused attempt (queue full) must not stay cached: the next caller computes it again.
    pending.catch(() => {
      if (dummyHash === pending) dummyHash = undefined;
    });
  }
  return dummyHash;
}

/**
 * API keys and session tokens are 256-bit random strings; a fast hash is enough to store them (nothing to
 * brute-force), and lets a request be authenticated with one indexed lookup.
 */
export function newToken(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Whether two secrets are equal, in time that depends on neither (both are hashed to one length first). */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (v: string) => createHash('sha256').update(v).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export const API_KEY_PREFIX = 'hs_';
export const SESSION_COOKIE = 'hs_session';

export function newPassword(): string {
  return randomBytes(12).toString('base64url');
}
