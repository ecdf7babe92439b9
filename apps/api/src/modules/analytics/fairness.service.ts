import { Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import {
  APPLIED_STEP,
  HIRE_DECISION,
  type AdverseImpactReport,
  type AdverseImpactStagesReport,
  type BiasAuditReport,
  type DifferentialValidityReport,
  type FairnessFilters,
  type FairnessGrouping,
  type Outcome,
} from '@hiresignal/shared';
import { DataSource } from 'typeorm';
import { RubricNotFoundError, RubricsService } from '../records/rubrics.service';
import { SEEN_STAGES_SQL, seenStagesFromRows } from '../settings/pipeline-stages';
import { SettingsService, type SettingsSnapshot } from '../settings/settings.service';
import { cacheKey, LruCache } from './analytics-cache';
import { MetricsService } from '../observability/metrics.service';
import { Params, type RubricRef } from './analytics-sql';
import {
  biasAuditTable,
  decisionCells,
  differentialValidity,
  rateTables,
  type DecisionCell,
  type RateTable,
  type ShapeRow,
  type ValidityObservation,
} from './fairness-report';
import { hiredSampleSql, scoringRateSql, selectionShapeSql } from './fairness-sql';
import { classifyOutcome, judgementDay } from './outcomes';

const CACHE_ENTRIES = 256;
const ANALYTICS_WORK_MEM = '64MB';
const ANALYTICS_PARALLEL_TUPLE_COST = '0.01';

/** The k used when the organization's settings predate the column (never, after the migration). */
const DEFAULT_K = 5;

export const BIAS_AUDIT_DEFINITIONS = [
  "Scoring rate (NYC Local Law 144, 6 RCNY 5-301): the share of a group's scored applications whose score is strictly above the median score of all scored applications inside the filters (the unknown group included in the median).",
  'Selection rate at the hire decision: hired / concluded applications (status not active).',
  "Impact ratio: a group's rate divided by the highest rate among the groups holding at least 2% of the applicants; groups under 2% are listed with their count and rate and marked excluded (6 RCNY 5-301(d)).",
  'Unknown: no demographics record, or a missing or declined value; counted and shown, never in a ratio, a test or the 2% base.',
  "Small cells: a group with fewer than k people (the organization's setting) is suppressed, with no count, rate or ratio; so is any cell whose count could be recovered by subtraction from the shown totals.",
  'Intersectional categories: sex x race/ethnicity; a person unknown on either is unknown.',
];

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

const textOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/**
 * The fairness views (PRODUCT.md "Fairness definitions"): adverse impact per decision and over every stage, the NYC
 * Local Law 144 bias-audit tables, and differential validity and prediction. Aggregating SQL (fairness-sql.ts), then
 * pure shaping (fairness-report.ts) with the organization's small-cell threshold k. Cached per organization, data
 * version, settings, stage list, rubric, request and judgement day, as the other analytics.
 */
@Injectable()
export class FairnessService {
  private readonly cache: LruCache<unknown>;

  constructor(
    private readonly db: DataSource,
    private readonly settings: SettingsService,
    private readonly rubrics: RubricsService,
    metrics: MetricsService,
  ) {
    this.cache = new LruCache<unknown>(CACHE_ENTRIES, metrics.cacheObserver('fairness'));
  }

  async adverseImpact(
    organizationId: string,
    decision: string,
    groupBy: FairnessGrouping,
    filters: FairnessFilters,
  ): Promise<AdverseImpactReport> {
    const snapshot = await this.settings.snapshot(organizationId);
    const stages = await this.stages(organizationId, snapshot);
    const decisions = [APPLIED_STEP, ...stages, HIRE_DECISION];
    if (!decisions.includes(decision)) {
      throw new UnprocessableEntityException({
        statusCode: 422,
        error: 'Unprocessable Entity',
        message: 'Invalid query parameters',
        errors: [
          {
            field: 'decision',
            message: `must be '${HIRE_DECISION}', '${APPLIED_STEP}' or a pipeline stage (${stages.join(', ')})`,
          },
        ],
      });
    }
    const tables = await this.selectionTables(organizationId, snapshot, stages, filters);
    const k = this.k(snapshot);
    const table = tables.get(decision)?.[groupBy];
    return {
      filters,
      dataVersion: snapshot.dataVersion,
      computedAt: new Date(),
      groupBy,
      ...decisionReport(decision, table),
      k,
    };
  }

  async adverseImpactStages(
    organizationId: string,
    groupBy: FairnessGrouping,
    filters: FairnessFilters,
  ): Promise<AdverseImpactStagesReport> {
    const snapshot = await this.settings.snapshot(organizationId);
    const stages = await this.stages(organizationId, snapshot);
    const tables = await this.selectionTables(organizationId, snapshot, stages, filters);
    return {
      filters,
      dataVersion: snapshot.dataVersion,
      computedAt: new Date(),
      groupBy,
      k: this.k(snapshot),
      decisions: [APPLIED_STEP, ...stages, HIRE_DECISION].map((decision) =>
        decisionReport(decision, tables.get(decision)?.[groupBy]),
      ),
    };
  }

  async biasAudit(
    organizationId: string,
    criterion: string,
    filters: FairnessFilters,
  ): Promise<BiasAuditReport> {
    const snapshot = await this.settings.snapshot(organizationId);
    const rubric = await this.rubric(organizationId, filters);
    this.assertCriterion(rubric, criterion);
    const stages = await this.stages(organizationId, snapshot);
    const k = this.k(snapshot);
    const key = cacheKey({
      organizationId,
      endpoint: 'bias-audit',
      dataVersion: snapshot.dataVersion,
      settings: snapshot.settings,
      rubric,
      criterion,
      filters,
    });
    const scoring = (await this.cache.getOrCompute(key, async () => {
      if (!rubric) return { median: null, scored: 0, tables: rateTables([], k) };
      const p = new Params(organizationId);
      const rows = await this.run(scoringRateSql(filters, rubric, criterion, p), p.values);
      const cells: DecisionCell[] = rows.map((r) => ({
        sex: textOrNull(r['sex']),
        race: textOrNull(r['race']),
        applicants: Number(r['n']),
        selected: Number(r['above']),
      }));
      return {
        median: rows.length > 0 ? numberOrNull(rows[0]['median']) : null,
        scored: cells.reduce((s, c) => s + c.applicants, 0),
        tables: rateTables(cells, k),
      };
    })) as { median: number | null; scored: number; tables: Record<FairnessGrouping, RateTable> };
    const selection = (await this.selectionTables(organizationId, snapshot, stages, filters)).get(
      HIRE_DECISION,
    );
    const empty = rateTables([], k);
    const hire = selection ?? empty;
    return {
      filters,
      dataVersion: snapshot.dataVersion,
      computedAt: new Date(),
      criterion,
      rubric: rubric ? { name: rubric.name, version: rubric.version } : null,
      median: scoring.median,
      scoredApplications: scoring.scored,
      k,
      bySex: biasAuditTable(scoring.tables.sex),
      byRaceEthnicity: biasAuditTable(scoring.tables.race_ethnicity),
      intersectional: biasAuditTable(scoring.tables.intersectional),
      selection: {
        bySex: biasAuditTable(hire.sex),
        byRaceEthnicity: biasAuditTable(hire.race_ethnicity),
        intersectional: biasAuditTable(hire.intersectional),
      },
      definitions: [
        ...BIAS_AUDIT_DEFINITIONS,
        `Score: ${
          criterion === 'composite'
            ? "the composite, the unweighted mean of the application's criterion scores"
            : `the candidate score on "${criterion}", the mean of every interviewer's score on it`
        }${rubric ? ` (rubric ${rubric.name} version ${rubric.version})` : ''}.`,
        `Small-cell threshold k = ${k}. Cohort: applications by application date${
          filters.appliedFrom || filters.appliedTo
            ? ` (${filters.appliedFrom ?? 'start'} to ${filters.appliedTo ?? 'today'})`
            : ' (all dates)'
        }; data version ${snapshot.dataVersion}.`,
      ],
    };
  }

  async differentialValidity(
    organizationId: string,
    outcome: Outcome,
    groupBy: FairnessGrouping,
    criterion: string,
    filters: FairnessFilters,
  ): Promise<DifferentialValidityReport> {
    const snapshot = await this.settings.snapshot(organizationId);
    const rubric = await this.rubric(organizationId, filters);
    this.assertCriterion(rubric, criterion);
    const asOf = judgementDay(new Date());
    const k = this.k(snapshot);
    const { minimumSample, successThreshold } = snapshot.settings;
    const key = cacheKey({
      organizationId,
      endpoint: 'differential-validity',
      dataVersion: snapshot.dataVersion,
      settings: snapshot.settings,
      rubric,
      criterion,
      outcome,
      filters,
      asOf: asOf.toISOString(),
    });
    const observations = (await this.cache.getOrCompute(key, async () => {
      if (!rubric) return [];
      const p = new Params(organizationId);
      const rows = await this.run(hiredSampleSql(filters, rubric, criterion, p), p.values);
      const out: ValidityObservation[] = [];
      for (const r of rows) {
        const score = numberOrNull(r['score']);
        if (score === null) continue;
        const result = classifyOutcome(
          outcome,
          {
            hiredAt: dateOrNull(r['hired_at']),
            latestRating: numberOrNull(r['rating']),
            separatedAt: dateOrNull(r['separated_at']),
            separationType: textOrNull(r['separation_type']),
          },
          { asOf, successThreshold },
        );
        if (result.status !== 'known') continue;
        out.push({ sex: textOrNull(r['sex']), race: textOrNull(r['race']), score, outcome: result.value });
      }
      return out;
    })) as ValidityObservation[];
    const result = differentialValidity({ observations, grouping: groupBy, minimumSample, k });
    return {
      filters,
      dataVersion: snapshot.dataVersion,
      computedAt: new Date(),
      outcome,
      groupBy,
      criterion,
      minimumSample,
      k,
      ...result,
      unknownSuppressed: result.unknown === null,
      notes: rubric ? result.notes : ['The organization has no rubric: nothing is scored.', ...result.notes],
    };
  }

  /** Per decision (applied, each stage, hire), the three groupings' tables; cached. */
  private async selectionTables(
    organizationId: string,
    snapshot: SettingsSnapshot,
    stages: string[],
    filters: FairnessFilters,
  ): Promise<Map<string, Record<FairnessGrouping, RateTable>>> {
    const k = this.k(snapshot);
    const key = cacheKey({
      organizationId,
      endpoint: 'selection',
      dataVersion: snapshot.dataVersion,
      settings: snapshot.settings,
      stages,
      filters: {
        ...filters,
        rubric: undefined,
        rubricVersion: undefined,
        hiredFrom: undefined,
        hiredTo: undefined,
      },
    });
    return (await this.cache.getOrCompute(key, async () => {
      const p = new Params(organizationId);
      const rows: ShapeRow[] = (await this.run(selectionShapeSql(filters, stages, p), p.values)).map((r) => ({
        furthest: Number(r['furthest']),
        status: String(r['status']),
        sex: textOrNull(r['sex']),
        race: textOrNull(r['race']),
        n: Number(r['n']),
      }));
      const cells = decisionCells(rows, [APPLIED_STEP, ...stages, HIRE_DECISION], HIRE_DECISION);
      return new Map([...cells].map(([decision, c]) => [decision, rateTables(c, k)]));
    })) as Map<string, Record<FairnessGrouping, RateTable>>;
  }

  private k(snapshot: SettingsSnapshot): number {
    return snapshot.settings.smallCellK ?? DEFAULT_K;
  }

  /** The funnel's stage list: the organization's own, else the stages seen in the data (as FunnelService). */
  private async stages(organizationId: string, snapshot: SettingsSnapshot): Promise<string[]> {
    if (snapshot.pipelineStages) return snapshot.pipelineStages;
    return seenStagesFromRows(await this.run(SEEN_STAGES_SQL, [organizationId]))
      .map((s) => s.stage)
      .filter((s) => s !== APPLIED_STEP);
  }

  private async rubric(organizationId: string, filters: FairnessFilters): Promise<RubricRef | null> {
    try {
      const rubric = await this.rubrics.resolveFor(organizationId, filters);
      return rubric
        ? { name: rubric.name, version: rubric.version, criteria: rubric.criteria.map((c) => c.key) }
        : null;
    } catch (error) {
      if (error instanceof RubricNotFoundError) throw new NotFoundException(error.message);
      throw error;
    }
  }

  private assertCriterion(rubric: RubricRef | null, criterion: string): void {
    if (criterion === 'composite' || rubric === null || rubric.criteria.includes(criterion)) return;
    throw new UnprocessableEntityException({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: 'Invalid query parameters',
      errors: [
        {
          field: 'criterion',
          message: `must be 'composite' or a criterion of rubric ${rubric.name} version ${rubric.version} (${rubric.criteria.join(', ')})`,
        },
      ],
    });
  }

  /** As FunnelService.run: hash plans, no JIT, more work_mem; on the transaction's connection. */
  private run(sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
    return this.db.transaction(async (tx) => {
      await tx.query(
        `SELECT set_config('enable_nestloop', 'off', true), set_config('jit', 'off', true),
           set_config('work_mem', $1, true), set_config('parallel_tuple_cost', $2, true)`,
        [ANALYTICS_WORK_MEM, ANALYTICS_PARALLEL_TUPLE_COST],
      );
      return (await tx.query(sql, params)) as Record<string, unknown>[];
    });
  }
}

type DecisionReport = AdverseImpactStagesReport['decisions'][number];

function decisionReport(decision: string, table: RateTable | undefined): DecisionReport {
  if (!table) {
    return {
      decision,
      applicants: 0,
      unknown: 0,
      unknownSuppressed: false,
      referenceGroup: null,
      chiSquare: null,
      groups: [],
    };
  }
  return {
    decision,
    applicants: table.applicants,
    unknown: table.unknown,
    unknownSuppressed: table.unknownSuppressed,
    referenceGroup: table.referenceGroup,
    chiSquare: table.chiSquare,
    groups: table.groups,
  };
}
