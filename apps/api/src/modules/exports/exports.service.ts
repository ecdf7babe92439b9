import { createHash } from 'node:crypto';
import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  Injectable,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import {
  can,
  type CohortFilters,
  type ExportCreate,
  type ExportCreated,
  type ExportOptions,
  type ExportReport,
  type ExportSummary,
  type Outcome,
  type Role,
} from '@hiresignal/shared';
import { DataSource } from 'typeorm';
import { judgementDay } from '../analytics/outcomes';
import { AuditService, type AuditActor } from '../audit/audit.service';
import type { Principal } from '../identity/access.decorators';
import { QueueService } from '../queue/queue.service';
import { JOB_NAMES } from '../queue/queue.types';
import { RubricNotFoundError, RubricsService } from '../records/rubrics.service';
import { SettingsService } from '../settings/settings.service';
import { CohortsService, normalizeCohortFilters } from './cohorts.service';
import { ExportsRepository, toSummary, type ExportRow } from './exports.repository';
import { REPORT_FILTERS, REPORT_OPTIONS } from './report-tables';
import { UUID_PATTERN } from '../../common/ids';

function badRequest(field: string, message: string): BadRequestException {
  return new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: 'The request body is invalid',
    errors: [{ field, message }],
  });
}

/** The job id of an export: one job per export, so a repeated enqueue runs it once. */
export const exportJobId = (exportId: string) => `export-${exportId}`;

/** Bumped when a report's columns or definitions change; written into every manifest. */
export const DEFINITIONS_VERSIONS: Record<ExportReport, string> = {
  cohort: 'cohort-report/1',
  'adverse-impact': 'adverse-impact-stages-table/1',
  'bias-audit': 'bias-audit-table/1',
  'differential-validity': 'differential-validity-table/1',
  validity: 'validity-table/1',
  interviewers: 'interviewers-table/1',
  reliability: 'reliability-table/1',
  funnel: 'funnel-stages-table/1',
};

export const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/**
 * Export requests: checked against the caller's role, deduplicated on what they ask for at the current data version
 * and judgement day (the same request joins the export already made, so a double click writes one file), recorded
 * in the audit log, and handed to the queue. The file is written by ExportFileJob.
 */
@Injectable()
export class ExportsService {
  private readonly logger = new Logger('Exports');

  constructor(
    private readonly db: DataSource,
    private readonly repo: ExportsRepository,
    private readonly cohorts: CohortsService,
    private readonly settings: SettingsService,
    private readonly queue: QueueService,
    private readonly audit: AuditService,
    private readonly rubrics: RubricsService,
  ) {}

  /** An export asked for by hand (POST /api/v1/exports). */
  create(principal: Principal, actor: AuditActor, input: ExportCreate): Promise<ExportCreated> {
    return this.request(principal.role, actor, input, null);
  }

  /**
   * Checks and records an export request and queues its job. `run` is a schedule's run (its id and due time): a
   * run already made answers that export, so a retried or doubled scheduler job never writes two.
   */
  async request(
    role: Role,
    actor: AuditActor,
    input: ExportCreate,
    run: { scheduleId: string; scheduledFor: Date } | null,
  ): Promise<ExportCreated> {
    const { filters, outcome, options } = await this.check(role, actor.organizationId, input);
    const snapshot = await this.settings.snapshot(actor.organizationId);
    const asOf = judgementDay(new Date());
    const requestKey = createHash('sha256')
      .update(
        JSON.stringify({
          report: input.report,
          format: input.format,
          filters,
          outcome,
          options,
          includeDemographics: input.includeDemographics,
          dataVersion: snapshot.dataVersion,
          asOf: asOf.toISOString(),
          settings: snapshot.settings,
          pipelineStages: snapshot.pipelineStages,
        }),
      )
      .digest('hex');
    const result = await this.db.transaction(async (tx) => {
      // One request at a time per organization and key, so two identical submissions cannot both insert.
      await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
        `hiresignal:export:${actor.organizationId}:${run ? `${run.scheduleId}:${run.scheduledFor.toISOString()}` : requestKey}`,
      ]);
      if (run) {
        const made = await this.repo.findRun(tx, run.scheduleId, run.scheduledFor);
        if (made) return { exportId: made, deduplicated: true };
      } else {
        const live = await this.repo.findLive(tx, actor.organizationId, requestKey);
        if (live) return { exportId: live.id, deduplicated: true };
      }
      const exportId = await this.repo.insert(tx, {
        organizationId: actor.organizationId,
        report: input.report,
        format: input.format,
        filters,
        cohortId: input.cohortId ?? null,
        includeDemographics: input.includeDemographics,
        outcome,
        options,
        requestKey,
        asOf,
        userId: actor.userId ?? null,
        apiKeyId: actor.apiKeyId ?? null,
        scheduleId: run?.scheduleId ?? null,
        scheduledFor: run?.scheduledFor ?? null,
      });
      await this.audit.record(
        actor,
        'export.requested',
        { type: 'export', id: exportId },
        {
          report: input.report,
          format: input.format,
          filters,
          outcome,
          options,
          cohortId: input.cohortId ?? null,
          includeDemographics: input.includeDemographics,
          dataVersion: snapshot.dataVersion,
          scheduleId: run?.scheduleId ?? null,
        },
        tx,
      );
      return { exportId, deduplicated: false };
    });
    if (!result.deduplicated) {
      await this.queue.enqueue(
        JOB_NAMES.exportFile,
        { exportId: result.exportId, organizationId: actor.organizationId },
        exportJobId(result.exportId),
      );
      this.logger.log(`export ${result.exportId} (${input.report}, ${input.format}) queued`);
    }
    return result;
  }

  /** The checks of an export request (also run when a schedule is saved): the filters and outcome it will use. */
  async check(
    role: Role,
    organizationId: string,
    input: ExportCreate,
  ): Promise<{ filters: CohortFilters; outcome: Outcome | null; options: ExportOptions }> {
    if (input.includeDemographics && !can(role, 'demographics')) {
      throw new ForbiddenException(`Role ${role} may not export demographics (allowed: admin, analyst)`);
    }
    if (input.includeDemographics && input.report !== 'cohort') {
      throw badRequest('includeDemographics', 'demographic columns exist only in the cohort report');
    }
    const takes = REPORT_OPTIONS[input.report];
    for (const option of ['outcome', 'groupBy', 'criterion'] as const) {
      if (input[option] !== undefined && !takes.includes(option)) {
        throw badRequest(option, `the ${input.report} report takes no ${option}`);
      }
    }
    let filters: CohortFilters = input.filters ?? {};
    if (input.cohortId !== undefined)
      filters = (await this.cohorts.get(organizationId, input.cohortId)).filters;
    filters = normalizeCohortFilters(filters);
    if (input.report !== 'cohort') {
      const allowed = REPORT_FILTERS[input.report];
      for (const key of Object.keys(filters)) {
        if (!(allowed as readonly string[]).includes(key)) {
          throw badRequest(
            `filters.${key}`,
            `does not apply to the ${input.report} report (it takes ${allowed.join(', ')})`,
          );
        }
      }
    }
    try {
      // A rubric the organization does not have is the caller's mistake: say so now, not in a failed job.
      await this.rubrics.resolveFor(organizationId, filters);
    } catch (error) {
      if (error instanceof RubricNotFoundError) throw new NotFoundException(error.message);
      throw error;
    }
    const outcome: Outcome | null = takes.includes('outcome') ? (input.outcome ?? 'performance') : null;
    const options: ExportOptions = {};
    if (takes.includes('groupBy')) options.groupBy = input.groupBy ?? 'sex';
    if (takes.includes('criterion')) options.criterion = input.criterion ?? 'composite';
    return { filters, outcome, options };
  }

  /** A scheduled run that may not run (its creator lost access): a failed export that says why. */
  async failedRun(
    actor: AuditActor,
    input: ExportCreate,
    run: { scheduleId: string; scheduledFor: Date },
    message: string,
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      if (await this.repo.findRun(tx, run.scheduleId, run.scheduledFor)) return;
      const id = await this.repo.insert(tx, {
        organizationId: actor.organizationId,
        report: input.report,
        format: input.format,
        filters: normalizeCohortFilters(input.filters ?? {}),
        cohortId: null,
        includeDemographics: input.includeDemographics,
        outcome: input.outcome ?? null,
        options: {
          ...(input.groupBy ? { groupBy: input.groupBy } : {}),
          ...(input.criterion ? { criterion: input.criterion } : {}),
        },
        requestKey: `refused:${run.scheduleId}:${run.scheduledFor.toISOString()}`,
        asOf: judgementDay(new Date()),
        userId: actor.userId ?? null,
        apiKeyId: actor.apiKeyId ?? null,
        scheduleId: run.scheduleId,
        scheduledFor: run.scheduledFor,
      });
      // Inserted and failed in one transaction: nobody sees it queued.
      await this.repo.fail(id, message, tx);
    });
  }

  async get(organizationId: string, id: string): Promise<ExportSummary> {
    return toSummary(await this.row(organizationId, id));
  }

  async list(organizationId: string): Promise<ExportSummary[]> {
    return (await this.repo.list(organizationId, 100)).map(toSummary);
  }

  /** The export, ready to download: 409 while it is not completed. */
  async downloadable(organizationId: string, id: string): Promise<ExportRow> {
    const row = await this.row(organizationId, id);
    if (row.status !== 'completed') {
      throw new ConflictException(
        row.status === 'failed'
          ? `Export ${id} failed: ${row.error ?? 'unknown error'}`
          : `Export ${id} is ${row.status}; download it when its status is completed`,
      );
    }
    return row;
  }

  /** The file's chunks in order, read one at a time (flat memory for any size). */
  async *chunks(row: ExportRow): AsyncGenerator<Buffer> {
    const n = await this.repo.chunkCount(row.id);
    for (let seq = 0; seq < n; seq++) yield await this.repo.chunk(row.id, seq);
  }

  async recordDownload(actor: AuditActor, row: ExportRow): Promise<void> {
    await this.audit.record(
      actor,
      'export.downloaded',
      { type: 'export', id: row.id },
      {
        report: row.report,
        format: row.format,
        rows: row.rowsWritten,
        includeDemographics: row.includeDemographics,
        sha256: row.sha256,
      },
    );
  }

  private async row(organizationId: string, id: string): Promise<ExportRow> {
    const row = UUID_PATTERN.test(id) ? await this.repo.find(organizationId, id) : null;
    if (!row) throw new NotFoundException(`No export ${id} (it may have expired)`);
    return row;
  }
}
