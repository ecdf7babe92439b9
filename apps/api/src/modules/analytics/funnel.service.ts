import { Injectable } from '@nestjs/common';
import { APPLIED_STEP, type FunnelFilters, type FunnelReport } from '@hiresignal/shared';
import { DataSource } from 'typeorm';
import { runAsSystem } from '../../database/tenancy';
import { FUNNEL_REFRESH_SQL, SEEN_STAGES_SQL, seenStagesFromRows } from '../settings/pipeline-stages';
import { SettingsService } from '../settings/settings.service';
import { cacheKey, LruCache } from './analytics-cache';
import { MetricsService } from '../observability/metrics.service';
import { Params } from './analytics-sql';
import { buildFunnelReport, type FunnelReportInput } from './funnel-report';
import { funnelSql } from './funnel-sql';
import { judgementDay } from './outcomes';

const CACHE_ENTRIES = 256;
const ANALYTICS_WORK_MEM = '64MB';
/** As the validity report: what passes through a Gather is partial aggregates, so parallel plans are worth it. */
const ANALYTICS_PARALLEL_TUPLE_COST = '0.01';
/** Refresh and read again at most this often when a concurrent refresh for another stage list got in between. */
const READ_ATTEMPTS = 3;

/**
 * The recruiter funnel (PRODUCT.md "Funnel definitions"): one SQL statement over the write-time summaries of the
 * cohort's applications and stage events (funnel-sql.ts), shaped in process (funnel-report.ts). Cached per
 * organization, data version, stage list, success threshold, filters and judgement day, like the validity report;
 * an ingestion bumps the data version.
 */
@Injectable()
export class FunnelService {
  private readonly cache: LruCache<FunnelReport>;

  constructor(
    private readonly db: DataSource,
    private readonly settings: SettingsService,
    metrics: MetricsService,
  ) {
    this.cache = new LruCache<FunnelReport>(CACHE_ENTRIES, metrics.cacheObserver('funnel'));
  }

  async funnel(organizationId: string, filters: FunnelFilters): Promise<FunnelReport> {
    // The caller's own organization row by its id, read in the scope the guard's key lookup left the pooled
    // connection in (database/tenancy.ts): a cached report then costs the request no switch of the connection's
    // scope and back (two round trips of its four), as the guard's lookup by key. The report itself is read in the
    // organization's scope.
    const snapshot = await runAsSystem(() => this.settings.snapshot(organizationId));
    const asOf = judgementDay(new Date());
    const successThreshold = snapshot.settings.successThreshold;
    const key = cacheKey({
      organizationId,
      endpoint: 'funnel',
      dataVersion: snapshot.dataVersion,
      pipelineStages: snapshot.pipelineStages,
      successThreshold,
      asOf: asOf.toISOString(),
      filters,
    });
    return this.cache.getOrCompute(key, async () => {
      // Without a list of its own, the organization's funnel follows the stages seen in its data (the data
      // version in the key covers them).
      const stages =
        snapshot.pipelineStages ??
        seenStagesFromRows(await this.run(SEEN_STAGES_SQL, [organizationId]))
          .map((s) => s.stage)
          .filter((s) => s !== APPLIED_STEP);
      const p = new Params(organizationId);
      const sql = funnelSql(filters, { stages, successThreshold, asOf }, p);
      const rows = await this.read(organizationId, stages, sql, p.values);
      return buildFunnelReport({
        filters,
        dataVersion: snapshot.dataVersion,
        asOf,
        successThreshold,
        stagesSource: snapshot.pipelineStages ? 'settings' : 'data',
        stages,
        rows,
      });
    });
  }

  /**
   * The funnel statement after funnel_refresh, in one transaction. The statement reports the stage list the days in
   * stage were read for: another one (a concurrent refresh for another list committed between the two statements)
   * means refreshing and reading again.
   */
  private async read(
    organizationId: string,
    stages: string[],
    sql: string,
    params: unknown[],
  ): Promise<FunnelReportInput['rows']> {
    for (let attempt = 1; ; attempt++) {
      const rows = (
        await this.run(sql, params, { sql: FUNNEL_REFRESH_SQL, params: [organizationId, stages] })
      ).map((r) => ({
        kind: String(r['kind']),
        data: (typeof r['data'] === 'string' ? JSON.parse(r['data']) : r['data']) as Record<string, unknown>,
      }));
      const read = rows.find((r) => r.kind === 'total')?.data['days_stages'];
      if (JSON.stringify(read) === JSON.stringify(stages)) return rows;
      if (attempt >= READ_ATTEMPTS) {
        throw new Error(`the days in stage were kept for another stage list ${READ_ATTEMPTS} times in a row`);
      }
    }
  }

  /**
   * As AnalyticsService.run: hash plans (no nested loops), no JIT, more work_mem; on the transaction's connection,
   * after `before` when given.
   */
  private run(
    sql: string,
    params: unknown[],
    before?: { sql: string; params: unknown[] },
  ): Promise<Record<string, unknown>[]> {
    return this.db.transaction(async (tx) => {
      await tx.query(
        `SELECT set_config('enable_nestloop', 'off', true), set_config('jit', 'off', true),
           set_config('work_mem', $1, true), set_config('parallel_tuple_cost', $2, true)`,
        [ANALYTICS_WORK_MEM, ANALYTICS_PARALLEL_TUPLE_COST],
      );
      if (before) await tx.query(before.sql, before.params);
      return (await tx.query(sql, params)) as Record<string, unknown>[];
    });
  }
}
