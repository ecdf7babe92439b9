import { createHash } from 'node:crypto';
import { ConflictException, ForbiddenException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import {
  can,
  type CohortFilters,
  type ExportCreate,
  type ExportCreated,
  type ExportSummary,
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The job id of an export: one job per export, so a repeated enqueue runs it once. */
export const exportJobId = (exportId: string) => `export-${exportId}`;

/** Bumped when a report's columns or definitions change; written into every manifest. */
export const DEFINITIONS_VERSION = 'cohort-report/1';

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

  async create(principal: Principal, actor: AuditActor, input: ExportCreate): Promise<ExportCreated> {
    if (input.includeDemographics && !can(principal.role, 'demographics')) {
      throw new ForbiddenException(
        `Role ${principal.role} may not export demographics (allowed: admin, analyst)`,
      );
    }
    let filters: CohortFilters = input.filters ?? {};
    if (input.cohortId !== undefined)
      filters = (await this.cohorts.get(principal.organizationId, input.cohortId)).filters;
    filters = normalizeCohortFilters(filters);
    try {
      // A rubric the organization does not have is the caller's mistake: say so now, not in a failed job.
      await this.rubrics.resolveFor(principal.organizationId, filters);
    } catch (error) {
      if (error instanceof RubricNotFoundError) throw new NotFoundException(error.message);
      throw error;
    }
    const snapshot = await this.settings.snapshot(principal.organizationId);
    const asOf = judgementDay(new Date());
    const requestKey = createHash('sha256')
      .update(
        JSON.stringify({
          report: input.report,
          format: input.format,
          filters,
          includeDemographics: input.includeDemographics,
          dataVersion: snapshot.dataVersion,
          asOf: asOf.toISOString(),
          successThreshold: snapshot.settings.successThreshold,
          pipelineStages: snapshot.pipelineStages,
        }),
      )
      .digest('hex');
    const result = await this.db.transaction(async (tx) => {
      // One request at a time per organization and key, so two identical submissions cannot both insert.
      await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
        `hiresignal:export:${principal.organizationId}:${requestKey}`,
      ]);
      const live = await this.repo.findLive(tx, principal.organizationId, requestKey);
      if (live) return { exportId: live.id, deduplicated: true };
      const exportId = await this.repo.insert(tx, {
        organizationId: principal.organizationId,
        report: input.report,
        format: input.format,
        filters,
        cohortId: input.cohortId ?? null,
        includeDemographics: input.includeDemographics,
        requestKey,
        asOf,
        userId: principal.userId,
        apiKeyId: principal.apiKeyId,
      });
      await this.audit.record(
        actor,
        'export.requested',
        { type: 'export', id: exportId },
        {
          report: input.report,
          format: input.format,
          filters,
          cohortId: input.cohortId ?? null,
          includeDemographics: input.includeDemographics,
          dataVersion: snapshot.dataVersion,
        },
        tx,
      );
      return { exportId, deduplicated: false };
    });
    if (!result.deduplicated) {
      await this.queue.enqueue(
        JOB_NAMES.exportFile,
        { exportId: result.exportId, organizationId: principal.organizationId },
        exportJobId(result.exportId),
      );
      this.logger.log(`export ${result.exportId} (${input.report}, ${input.format}) queued`);
    }
    return result;
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
    const row = UUID.test(id) ? await this.repo.find(organizationId, id) : null;
    if (!row) throw new NotFoundException(`No export ${id} (it may have expired)`);
    return row;
  }
}
