import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';

/**
 * Thrown when the password-hash queue is full: the caller answers 503 with Retry-After rather than let a burst of
 * sign-ins pile up (each waiting sign-in holds a socket, and each running hash holds a libuv thread and its memory).
 */
export class HashBusyError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('Too many sign-ins are being checked right now; try again shortly');
    this.name = 'HashBusyError';
  }
}

/**
 * A semaphore in front of the password hash. node:crypto's scrypt runs on the libuv threadpool (4 threads unless
 * UV_THREADPOOL_SIZE says otherwise), the same pool that serves file-system calls, DNS lookups and zlib; a burst of
 * sign-ins would take all of its threads and every core, and health checks and API-key requests would queue behind
 * them. With at most `concurrency` hashes at once (default: one fewer than the cores, so on a 2-core machine one
 * hash at a time and one core for everything else) the rest of the API keeps answering, and sign-ins beyond the
 * bounded queue are refused at once with a Retry-After estimated from the recent hash time.
 */
export class HashLimiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  /** Moving average of one hash, for Retry-After. */
  private averageMs = 300;

  constructor(
    readonly concurrency: number,
    readonly maxQueue: number,
  ) {}

  get queued(): number {
    return this.waiting.length;
  }

  get running(): number {
    return this.active;
  }

  /** True when a new task would be refused: every slot busy and the queue full. */
  get full(): boolean {
    return this.active >= this.concurrency && this.waiting.length >= this.maxQueue;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active < this.concurrency) {
      this.active++;
    } else {
      if (this.waiting.length >= this.maxQueue) throw new HashBusyError(this.retryAfterSeconds());
      // The slot is handed over by the finishing task (active stays counted), so no newcomer can jump the queue.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    const started = performance.now();
    try {
      return await task();
    } finally {
      this.averageMs = this.averageMs * 0.8 + (performance.now() - started) * 0.2;
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }

  /** Seconds until the queue as it stands now would have drained; at least 1. */
  retryAfterSeconds(): number {
    const ahead = this.waiting.length + this.active;
    return Math.max(1, Math.ceil((ahead / this.concurrency) * (this.averageMs / 1000)));
  }
}

/** One fewer than the cores (leave one for the event loop and the database), at least 1, at most 3 (of 4 threads). */
export function defaultHashConcurrency(): number {
  return Math.max(1, Math.min(availableParallelism() - 1, 3));
}
