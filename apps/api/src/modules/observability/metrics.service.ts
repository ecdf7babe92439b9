import { Inject, Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { QueueDriver, QUEUE_DEPTH_STATES } from '../queue/queue.types';

/** Seconds: from a cached report (milliseconds) to a long export page (tens of seconds). */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Seconds: a JSON batch (tenths) to a million-row file (minutes). */
const JOB_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];

/** How a job attempt ended: done, failed (it will be retried or has failed for good), or stopped by a shutdown. */
export type JobOutcome = 'completed' | 'failed' | 'interrupted';

/**
 * The process's Prometheus metrics, served by GET /api/metrics (and by a worker's METRICS_PORT). A registry per
 * application rather than prom-client's global one, so the tests' several applications in one process do not
 * collide. Series (README "Metrics"):
 *
 * - hiresignal_http_request_duration_seconds{method, route, status}: route is the pattern, never the raw URL
 * - hiresignal_queue_jobs{state}: waiting, active and delayed jobs in the queue, asked from the driver at scrape time
 * - hiresignal_job_duration_seconds{job, outcome}, hiresignal_jobs_running{job}: jobs run by this process
 * - hiresignal_import_rows_total{job, kind}, hiresignal_import_rows_per_second{job}
 * - hiresignal_analytics_cache_requests_total{cache, result}, hiresignal_analytics_cache_hit_ratio{cache}
 * - prom-client's default process and Node.js series, event-loop lag among them (nodejs_eventloop_lag_*)
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'hiresignal_http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status: latency in seconds (the _count is the number of requests)',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: HTTP_BUCKETS,
    registers: [this.registry],
  });

  readonly jobDuration = new Histogram({
    name: 'hiresignal_job_duration_seconds',
    help: 'Job attempts run by this process, by job name and outcome (completed, failed, interrupted by a shutdown)',
    labelNames: ['job', 'outcome'] as const,
    buckets: JOB_BUCKETS,
    registers: [this.registry],
  });

  readonly jobsRunning = new Gauge({
    name: 'hiresignal_jobs_running',
    help: 'Jobs running in this process now, by job name',
    labelNames: ['job'] as const,
    registers: [this.registry],
  });

  readonly importRows = new Counter({
    name: 'hiresignal_import_rows_total',
    help: 'Records written by imports in this process (inserted, updated or unchanged), by job and record kind; rate() gives rows per second',
    labelNames: ['job', 'kind'] as const,
    registers: [this.registry],
  });

  readonly importRowsPerSecond = new Gauge({
    name: 'hiresignal_import_rows_per_second',
    help: 'Rows per second of the last import attempt that completed in this process: its records over its wall time',
    labelNames: ['job'] as const,
    registers: [this.registry],
  });

  readonly cacheRequests = new Counter({
    name: 'hiresignal_analytics_cache_requests_total',
    help: 'Analytics report cache look-ups by cache and result (hit or miss)',
    labelNames: ['cache', 'result'] as const,
    registers: [this.registry],
  });

  private readonly cacheCounts = new Map<string, { hits: number; misses: number }>();

  constructor(driver: QueueDriver, @Inject(APP_CONFIG) config: AppConfig) {
    const counts = this.cacheCounts;
    new Gauge({
      name: 'hiresignal_analytics_cache_hit_ratio',
      help: 'Share of analytics report look-ups answered from the cache since the process started, by cache',
      labelNames: ['cache'] as const,
      registers: [this.registry],
      collect() {
        for (const [cache, c] of counts) {
          if (c.hits + c.misses > 0) this.set({ cache }, c.hits / (c.hits + c.misses));
        }
      },
    });
    new Gauge({
      name: 'hiresignal_queue_jobs',
      help: 'Jobs in the queue by state (waiting, active, delayed for a retry), as the queue driver counts them',
      labelNames: ['state'] as const,
      registers: [this.registry],
      async collect() {
        // A queue that does not answer leaves the series out of this scrape rather than failing it.
        this.reset();
        const depth = await driver.depth().catch(() => null);
        if (depth) for (const state of QUEUE_DEPTH_STATES) this.set({ state }, depth[state]);
      },
    });
    // Process and runtime series (event-loop lag among them) only where someone can read them: a worker without
    // METRICS_PORT serves nothing, and its memory is kept for its jobs.
    if (config.PROCESS_ROLE !== 'worker' || config.METRICS_PORT !== undefined) {
      collectDefaultMetrics({ register: this.registry });
    }
  }

  /** What an analytics cache reports each look-up to. */
  cacheObserver(cache: string): (hit: boolean) => void {
    const counts = this.cacheCounts.get(cache) ?? { hits: 0, misses: 0 };
    this.cacheCounts.set(cache, counts);
    const hit = this.cacheRequests.labels(cache, 'hit');
    const miss = this.cacheRequests.labels(cache, 'miss');
    return (isHit) => {
      if (isHit) {
        counts.hits++;
        hit.inc();
      } else {
        counts.misses++;
        miss.inc();
      }
    };
  }

  /** Rows an import wrote; `seconds` (the attempt's wall time) is given when the attempt completed. */
  importWritten(job: string, kind: string, rows: number): void {
    if (rows > 0) this.importRows.inc({ job, kind }, rows);
  }

  importCompleted(job: string, rows: number, seconds: number): void {
    if (seconds > 0) this.importRowsPerSecond.set({ job }, rows / seconds);
  }

  /** The exposition text and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
