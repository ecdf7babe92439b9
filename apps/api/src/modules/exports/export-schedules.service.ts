import {
  ConflictException,
  Injectable,
  Logger,
  NotFoundException,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type {
  CohortFilters,
  ExportFormat,
  ExportOptions,
  ExportFrequency,
  ExportReport,
  ExportSchedule,
  ExportScheduleCreate,
  Role,
} from '@hiresignal/shared';
import { DataSource } from 'typeorm';
import { runAsSystem } from '../../database/tenancy';
import { AuditService, type AuditActor } from '../audit/audit.service';
import { QueueService } from '../queue/queue.service';
import { JOB_NAMES } from '../queue/queue.types';
import { ExportsRepository, toSummary } from './exports.repository';
import { ExportsService } from './exports.service';
import { nextDue, repeatRule } from './schedule-times';
import { UUID_PATTERN } from '../../common/ids';

/** The queue's scheduler id of a schedule. */
export const schedulerId = (scheduleId: string) => `export-schedule-${scheduleId}`;

export interface ScheduleRow {
  id: string;
  organizationId: string;
  name: string;
  report: ExportReport;
  format: ExportFormat;
  filters: CohortFilters;
  cohortId: string | null;
  includeDemographics: boolean;
  outcome: string | null;
  options: ExportOptions;
  frequency: ExportFrequency;
  createdByUserId: string | null;
  createdByApiKeyId: string | null;
  createdBy: string | null;
  createdAt: Date;
}

const SELECT = `SELECT s.*, COALESCE(u.email, k.name) AS created_by
  FROM export_schedules s
  LEFT JOIN users u ON u.id = s.created_by_user_id
  LEFT JOIN api_keys k ON k.id = s.created_by_api_key_id`;

function toRow(r: Record<string, unknown>): ScheduleRow {
  return {
    id: String(r['id']),
    organizationId: String(r['organization_id']),
    name: String(r['name']),
    report: r['report'] as ExportReport,
    format: r['format'] as ExportFormat,
    filters: (typeof r['filters'] === 'string' ? JSON.parse(r['filters']) : r['filters']) as CohortFilters,
    cohortId: (r['cohort_id'] as string | null) ?? null,
    includeDemographics: Boolean(r['include_demographics']),
    outcome: (r['outcome'] as string | null) ?? null,
    options: (typeof r['options'] === 'string'
      ? JSON.parse(r['options'])
      : (r['options'] ?? {})) as ExportOptions,
    frequency: r['frequency'] as ExportFrequency,
    createdByUserId: (r['created_by_user_id'] as string | null) ?? null,
    createdByApiKeyId: (r['created_by_api_key_id'] as string | null) ?? null,
    createdBy: (r['created_by'] as string | null) ?? null,
    createdAt: new Date(r['created_at'] as string),
  };
}

/**
 * Scheduled exports: a saved export request with a frequency, run by the queue's job schedulers (BullMQ: one job per
 * due time whatever the number of workers; in-process: a timer, re-armed for every schedule at boot). Each run is an
 * export of its own, keyed by (schedule, due time), so a retried or doubled run writes one file.
 */
@Injectable()
export class ExportSchedulesService implements OnApplicationBootstrap {
  private readonly logger = new Logger('ExportSchedules');

  constructor(
    private readonly db: DataSource,
    private readonly exports: ExportsService,
    private readonly repo: ExportsRepository,
    private readonly queue: QueueService,
    private readonly audit: AuditService,
  ) {}

  /** Every schedule is (re)registered with the queue at boot: idempotent with BullMQ, needed in-process. */
  async onApplicationBootstrap(): Promise<void> {
    const rows = await runAsSystem(async () =>
      ((await this.db.query(SELECT)) as Record<string, unknown>[]).map(toRow),
    );
    for (const row of rows) await this.register(row);
    if (rows.length > 0) this.logger.log(`${rows.length} export schedule(s) registered`);
  }

  async list(organizationId: string): Promise<ExportSchedule[]> {
    const rows = (
      (await this.db.query(`${SELECT} WHERE s.organization_id = $1 ORDER BY lower(s.name), s.id`, [
        organizationId,
      ])) as Record<string, unknown>[]
    ).map(toRow);
    const runs = await this.repo.runsOf(
      organizationId,
      rows.map((r) => r.id),
      5,
    );
    return rows.map((r) => this.toSchedule(r, runs.filter((e) => e.scheduleId === r.id).map(toSummary)));
  }

  async get(organizationId: string, id: string): Promise<ScheduleRow> {
    const rows = UUID_PATTERN.test(id)
      ? ((await this.db.query(`${SELECT} WHERE s.organization_id = $1 AND s.id = $2`, [
          organizationId,
          id,
        ])) as Record<string, unknown>[])
      : [];
    if (!rows[0]) throw new NotFoundException(`No export schedule ${id}`);
    return toRow(rows[0]);
  }

  async create(role: Role, actor: AuditActor, input: ExportScheduleCreate): Promise<ExportSchedule> {
    const { frequency, name, ...request } = input;
    const { filters, outcome, options } = await this.exports.check(role, actor.organizationId, request);
    const id = await this.db.transaction(async (tx) => {
      const inserted = (await tx.query(
        `INSERT INTO export_schedules (organization_id, name, report, format, filters, cohort_id, include_demographics,
           outcome, frequency, created_by_user_id, created_by_api_key_id, options)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $11, $12::jsonb)
         ON CONFLICT (organization_id, name) DO NOTHING RETURNING id`,
        [
          actor.organizationId,
          name,
          request.report,
          request.format,
          JSON.stringify(filters),
          request.cohortId ?? null,
          request.includeDemographics,
          outcome,
          frequency,
          actor.userId ?? null,
          actor.apiKeyId ?? null,
          JSON.stringify(options),
        ],
      )) as { id: string }[];
      if (!inserted[0]) throw new ConflictException(`An export schedule named "${name}" already exists`);
      await this.audit.record(
        actor,
        'export_schedule.created',
        { type: 'export_schedule', id: inserted[0].id },
        {
          name,
          report: request.report,
          format: request.format,
          filters,
          frequency,
          includeDemographics: request.includeDemographics,
        },
        tx,
      );
      return inserted[0].id;
    });
    const row = await this.get(actor.organizationId, id);
    await this.register(row);
    return this.toSchedule(row, []);
  }

  async remove(actor: AuditActor, id: string): Promise<void> {
    const row = await this.get(actor.organizationId, id);
    await this.queue.removeSchedule(schedulerId(id));
    await this.db.transaction(async (tx) => {
      await tx.query('DELETE FROM export_schedules WHERE organization_id = $1 AND id = $2', [
        actor.organizationId,
        id,
      ]);
      await this.audit.record(
        actor,
        'export_schedule.deleted',
        { type: 'export_schedule', id },
        { name: row.name },
        tx,
      );
    });
  }

  private register(row: ScheduleRow): Promise<void> {
    return this.queue.upsertSchedule(
      schedulerId(row.id),
      repeatRule(row.frequency),
      JOB_NAMES.exportScheduled,
      {
        scheduleId: row.id,
        organizationId: row.organizationId,
      },
    );
  }

  private toSchedule(row: ScheduleRow, lastRuns: ExportSchedule['lastRuns']): ExportSchedule {
    return {
      id: row.id,
      name: row.name,
      report: row.report,
      format: row.format,
      filters: row.filters,
      cohortId: row.cohortId,
      includeDemographics: row.includeDemographics,
      outcome: row.outcome,
      options: row.options,
      frequency: row.frequency,
      nextRunAt: nextDue(row.frequency, new Date()).toISOString(),
      createdBy: row.createdBy,
      createdAt: row.createdAt.toISOString(),
      lastRuns,
    };
  }
}
