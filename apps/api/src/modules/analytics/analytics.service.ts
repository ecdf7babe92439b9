import { Injectable, NotFoundException } from '@nestjs/common';
import type {
  AnalyticsFilters,
  InterviewersReport,
  Outcome,
  ReliabilityReport,
  ValidityReport,
} from '@hiresignal/shared';
import { DataSource } from 'typeorm';
import type { Rubric } from '../records/hiring-records.entities';
import { RubricNotFoundError, RubricsService } from '../records/rubrics.service';
import { SettingsService, type SettingsSnapshot } from '../settings/settings.service';
import { cacheKey, LruCache } from './analytics-cache';
import { MetricsService } from '../observability/metrics.service';
import {
  interviewerActivitySql,
  interviewerHireScoresSql,
  interviewerLeniencySql,
  Params,
  reliabilitySql,
  validitySql,
  type RubricRef,
} from './analytics-sql';
import {
  buildInterviewersReport,
  buildReliabilityReport,
  type InterviewerActivityRow,
  type InterviewerHireScoreRow,
  type ReliabilityRow,
} from './calibration-reports';
import { judgementDay } from './outcomes';
import {
  buildValidityReport,
  emptyValidityReport,
  type HireRow,
  type PoolStats,
  type RubricInfo,
} from './validity-report';

const CACHE_ENTRIES = 256;
const ANALYTICS_WORK_MEM = '64MB';
const ANALYTICS_PARALLEL_TUPLE_COST = 0.01;

type Endpoint = 'validity' | 'interviewers' | 'reliability';

interface Context {
  snapshot: SettingsSnapshot;
  rubric: RubricInfo | null;
  asOf: Date;
}

/**
 * Criterion validity and interviewer calibration. Each report is SQL that aggregates in the database (one statement
 * for validity, one per criterion for reliability, three for interviewers, side by side) over trigger-kept
 * summaries, then libs/stats in process. Reports are cached per organization, data version, settings, rubric,
 * endpoint, filters and judgement day. The statements of one report run in separate transactions, so an ingestion
 * committing between them can make one see data another does not; the cache key's data version is the one read
 * before them, so the next ingestion's version bump replaces such a report.
 */
@Injectable()
export class AnalyticsService {
  private readonly cache: LruCache<unknown>;

  constructor(
    private readonly db: DataSource,
    private readonly rubrics: RubricsService,
    private readonly settings: SettingsService,
    metrics: MetricsService,
  ) {
    this.cache = new LruCache<unknown>(CACHE_ENTRIES, metrics.cacheObserver('validity'));
  }

  async validity(
    organizationId: string,
    outcome: Outcome,
    filters: AnalyticsFilters,
  ): Promise<ValidityReport> {
    const ctx = await this.context(organizationId, filters);
    return this.cached(organizationId, 'validity', ctx, { outcome, filters }, async () => {
      const base = {
        outcome,
        filters,
        settings: ctx.snapshot.settings,
        dataVersion: ctx.snapshot.dataVersion,
        asOf: ctx.asOf,
        computedAt: new Date(),
      };
      if (!ctx.rubric) return emptyValidityReport(base);
      const { pool, hires } = await this.validityData(organizationId, filters, ctx.rubric);
      return buildValidityReport({ ...base, rubric: ctx.rubric, pool, hires });
    });
  }

  async interviewers(
    organizationId: string,
    outcome: Outcome,
    filters: AnalyticsFilters,
  ): Promise<InterviewersReport> {
    const ctx = await this.context(organizationId, filters);
    return this.cached(organizationId, 'interviewers', ctx, { outcome, filters }, async () => {
      let activity: InterviewerActivityRow[] = [];
      let hireScores: InterviewerHireScoreRow[] = [];
      if (ctx.rubric) {
        const ref = rubricRef(ctx.rubric);
        const statement = (build: (f: AnalyticsFilters, r: RubricRef, p: Params) => string) => {
          const p = new Params(organizationId);
          const sql = build(filters, ref, p);
          return this.run(sql, p.values);
        };
        // Three independent statements, side by side on their own connections (one after another where the pool
        // has a single connection, as embedded): the report takes as long as the slowest, not their sum.
        const [counts, leniency, hires] = await Promise.all([
          statement(interviewerActivitySql),
          statement(interviewerLeniencySql),
          statement(interviewerHireScoresSql),
        ]);
        const leniencyByInterviewer = new Map(leniency.map((r) => [String(r['iv']), r]));
        activity = counts.map((r) => {
          const l = leniencyByInterviewer.get(String(r['iv']));
          return {
            interviewerId: String(r['iv']),
            name: (r['name'] as string | null) ?? null,
            interviews: Number(r['interviews']),
            candidates: Number(r['candidates']),
            decisions: Number(r['decisions']),
            agreements: Number(r['agreements']),
            leniencyN: l ? Number(l['leniency_n']) : 0,
            leniencyMean: l ? numberOrNull(l['leniency_mean']) : null,
            leniencySd: l ? numberOrNull(l['leniency_sd']) : null,
          };
        });
        hireScores = hires.map((r) => ({
          interviewerId: String(r['iv']),
          applicationId: String(r['app']),
          score: Number(r['m']),
          hiredAt: dateOrNull(r['hired_at']),
          latestRating: numberOrNull(r['rating']),
          separatedAt: dateOrNull(r['separated_at']),
          separationType: (r['separation_type'] as string | null) ?? null,
        }));
      }
      return buildInterviewersReport({
        outcome,
        filters,
        settings: ctx.snapshot.settings,
        dataVersion: ctx.snapshot.dataVersion,
        asOf: ctx.asOf,
        activity,
        hireScores,
      });
    });
  }

  async reliability(organizationId: string, filters: AnalyticsFilters): Promise<ReliabilityReport> {
    const ctx = await this.context(organizationId, filters);
    return this.cached(organizationId, 'reliability', ctx, { filters }, async () => {
      let rows: ReliabilityRow[] = [];
      if (ctx.rubric) {
        const ref = rubricRef(ctx.rubric);
        // One statement per criterion, side by side on their own connections (in turn where the pool has one).
        const perCriterion = await Promise.all(
          ref.criteria.map((criterion) => {
            const p = new Params(organizationId);
            const sql = reliabilitySql(filters, { ...ref, criteria: [criterion] }, p);
            return this.run(sql, p.values);
          }),
        );
        rows = perCriterion.flat().map((r) => ({
          kind: r['kind'] as 'values' | 'panel',
          criterion: String(r['criterion']),
          ratings: (r['ratings'] as unknown[]).map(Number),
          n: Number(r['n']),
          panel: (r['panel'] as string[] | null) ?? null,
        }));
      }
      return buildReliabilityReport({
        filters,
        dataVersion: ctx.snapshot.dataVersion,
        criteria: ctx.rubric?.criteria ?? [],
        rows,
      });
    });
  }

  /**
   * Runs one analytics statement. They scan and join whole sets, for which hash joins are right; right after a
   * large ingestion the planner's statistics can be stale or absent (PGlite never analyzes), and its nested-loop
   * plans over unanalyzed CTEs then go quadratic. So nested loops are disabled for the statement, with the other
   * settings below. Uses the transaction's own connection (the embedded pool has a single one).
   */
  private run(sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
    return this.db.transaction(async (tx) => {
      // One round trip for the transaction's settings (set_config(..., true) is SET LOCAL):
      //  - nested loops off (see above);
      //  - JIT off: the cost estimates of these statements are large, which makes PostgreSQL JIT-compile them,
      //    seconds of compilation for a statement that runs in about one;
      //  - work_mem raised so the per-application hash aggregates stay in memory;
      //  - parallel_tuple_cost at a tenth of its default: what these plans pass through a Gather is one row per
      //    application or partial aggregates, not raw score rows, and at the default the planner keeps the scans
      //    and joins on one core; small tables stay serial (min_parallel_table_scan_size).
      await tx.query(
        `SELECT set_config('enable_nestloop', 'off', true), set_config('jit', 'off', true),
           set_config('work_mem', $1, true), set_config('parallel_tuple_cost', $2, true)`,
        [ANALYTICS_WORK_MEM, String(ANALYTICS_PARALLEL_TUPLE_COST)],
      );
      return (await tx.query(sql, params)) as Record<string, unknown>[];
    });
  }

  private async context(organizationId: string, filters: AnalyticsFilters): Promise<Context> {
    const [snapshot, rubric] = await Promise.all([
      this.settings.snapshot(organizationId),
      this.resolveRubric(organizationId, filters),
    ]);
    return { snapshot, rubric: rubric ? rubricInfo(rubric) : null, asOf: judgementDay(new Date()) };
  }

  private cached<T>(
    organizationId: string,
    endpoint: Endpoint,
    ctx: Context,
    request: Record<string, unknown>,
    compute: () => Promise<T>,
  ): Promise<T> {
    const key = cacheKey({
      organizationId,
      endpoint,
      dataVersion: ctx.snapshot.dataVersion,
      settings: ctx.snapshot.settings,
      rubric: ctx.rubric,
      asOf: ctx.asOf.toISOString(),
      ...request,
    });
    return this.cache.getOrCompute(key, compute) as Promise<T>;
  }

  /** The named rubric (newest version unless one is named), else the organization's default. */
  private async resolveRubric(organizationId: string, filters: AnalyticsFilters): Promise<Rubric | null> {
    try {
      return await this.rubrics.resolveFor(organizationId, filters);
    } catch (error) {
      if (error instanceof RubricNotFoundError) throw new NotFoundException(error.message);
      throw error;
    }
  }

  private async validityData(
    organizationId: string,
    filters: AnalyticsFilters,
    rubric: RubricInfo,
  ): Promise<{ pool: PoolStats; hires: HireRow[] }> {
    const p = new Params(organizationId);
    const sql = validitySql(filters, rubricRef(rubric), p);
    const rows = (await this.run(sql, p.values)) as Record<string, unknown>[];
    const k = rubric.criteria.length;
    const hires: HireRow[] = [];
    let poolRow: Record<string, unknown> = {};
    for (const row of rows) {
      if (row['pool'] !== null && row['pool'] !== undefined) {
        poolRow = (typeof row['pool'] === 'string' ? JSON.parse(row['pool']) : row['pool']) as Record<
          string,
          unknown
        >;
        continue;
      }
      const scores = new Array<number | null>(k);
      for (let i = 0; i < k; i++) scores[i] = numberOrNull(row[`c${i}`]);
      hires.push({
        applicationId: String(row['app']),
        hiredAt: dateOrNull(row['hired_at']),
        scores,
        latestRating: numberOrNull(row['rating']),
        separatedAt: dateOrNull(row['separated_at']),
        separationType: (row['separation_type'] as string | null) ?? null,
      });
    }
    const haloR: (number | null)[][] = Array.from({ length: k }, () =>
      new Array<number | null>(k).fill(null),
    );
    const haloN: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    for (let i = 0; i < k; i++) {
      for (let j = i + 1; j < k; j++) {
        const r = numberOrNull(poolRow[`r${i}_${j}`]);
        const n = Number(poolRow[`n${i}_${j}`] ?? 0);
        const clamped = r === null ? null : Math.max(-1, Math.min(1, r));
        haloR[i][j] = haloR[j][i] = clamped;
        haloN[i][j] = haloN[j][i] = n;
      }
    }
    return {
      hires,
      pool: {
        nApplicants: Number(poolRow['n_applicants'] ?? 0),
        n: Array.from({ length: k + 1 }, (_, i) => Number(poolRow[`n${i}`] ?? 0)),
        sd: Array.from({ length: k + 1 }, (_, i) => numberOrNull(poolRow[`sd${i}`])),
        haloR,
        haloN,
      },
    };
  }
}

function rubricInfo(r: Rubric): RubricInfo {
  return {
    name: r.name,
    version: r.version,
    scaleMin: r.scaleMin,
    scaleMax: r.scaleMax,
    criteria: r.criteria.map((c) => ({ key: c.key, label: c.label })),
  };
}

function rubricRef(r: RubricInfo): RubricRef {
  return { name: r.name, version: r.version, criteria: r.criteria.map((c) => c.key) };
}

function numberOrNull(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

function dateOrNull(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  const d = v instanceof Date ? v : new Date(String(v));
  return Number.isNaN(d.getTime()) ? null : d;
}
