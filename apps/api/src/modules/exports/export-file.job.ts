import { Inject, Logger } from '@nestjs/common';
import {
  APPLIED_STEP,
  type CohortFilters,
  type FairnessFilters,
  type FairnessGrouping,
} from '@hiresignal/shared';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { normalizeFilters } from '../analytics/analytics-filters';
import { Params } from '../analytics/analytics-sql';
import { AnalyticsService } from '../analytics/analytics.service';
import { normalizeFunnelFilters } from '../analytics/funnel-filters';
import { FairnessService } from '../analytics/fairness.service';
import { FunnelService } from '../analytics/funnel.service';
import { AuditService } from '../audit/audit.service';
import { JobProcessor } from '../queue/job-processor.decorator';
import { JOB_NAMES, type ExportFileJobData, type JobContext, type JobHandler } from '../queue/queue.types';
import { RubricsService } from '../records/rubrics.service';
import { SEEN_STAGES_SQL, seenStagesFromRows } from '../settings/pipeline-stages';
import { SettingsService } from '../settings/settings.service';
import {
  readCohortCursor,
  readCohortPages,
  type CohortBatch,
  type CohortRow,
  type CohortStatement,
} from './cohort-reader';
import {
  cohortColumns,
  cohortCountSql,
  cohortCsvLines,
  cohortCsvSql,
  cohortRow,
  cohortSql,
  type CohortReportSpec,
} from './cohort-report';
import { csvWriter, xlsxWriter, type ExportColumn, type ExportFileWriter } from './export-writers';
import {
  adverseImpactTable,
  biasAuditTable,
  differentialValidityTable,
  differentialValidityTests,
  funnelTable,
  interviewersTable,
  reliabilityTable,
  validityTable,
  type ReportTable,
} from './report-tables';
import { ExportsRepository, type ExportRow } from './exports.repository';
import { DEFINITIONS_VERSIONS } from './exports.service';

/**
 * Rows read per page (one short statement each, so the embedded database's one connection is never held long); the
 * progress moves after each page's worth of rows, whichever way they are read.
 */
export const EXPORT_PAGE_ROWS = 2000;

/**
 * Rows per fetch of the cursor: few enough that a batch (and the next one, read meanwhile) dies in V8's young
 * generation (the worker's semi-spaces are 1 MB, docker-compose.yml) instead of being promoted and piling up in the
 * old generation until a full collection.
 */
export const EXPORT_FETCH_ROWS = 500;

/** The cohort filters a fairness report takes (the export checked that no other is set). */
function fairnessFilters(filters: CohortFilters): FairnessFilters {
  const { status: _status, ...rest } = filters;
  return rest;
}

function rubricLine(rubric: { name: string; version: number } | null | undefined): [string, string][] {
  return [['rubric', rubric ? `${rubric.name} v${rubric.version}` : '(none)']];
}

/** A file name a person can read: report, cohort dates, data version, and the export's short id. */
function fileName(row: ExportRow, dataVersion: string): string {
  const f = row.filters;
  const range = f.appliedFrom || f.appliedTo ? `-${f.appliedFrom ?? 'start'}-to-${f.appliedTo ?? 'now'}` : '';
  return `hiresignal-${row.report}${range}-v${dataVersion}-${row.id.slice(0, 8)}.${row.format}`;
}

/** The manifest: what the rows are (not which export wrote them, so the same rows give the same bytes). */
function baseManifest(row: ExportRow, dataVersion: string): [string, string][] {
  return [
    ['report', row.report],
    ['definitions', DEFINITIONS_VERSIONS[row.report]],
    ['data version', dataVersion],
    ['outcomes judged on', row.asOf.toISOString().slice(0, 10)],
    ['filters', JSON.stringify(row.filters satisfies CohortFilters)],
  ];
}

function cohortManifest(row: ExportRow, spec: CohortReportSpec, dataVersion: string): [string, string][] {
  return [
    ...baseManifest(row, dataVersion),
    ['rubric', spec.rubric ? `${spec.rubric.name} v${spec.rubric.version}` : '(none)'],
    ['pipeline stages', spec.stages.join(', ')],
    ['demographic columns', row.includeDemographics ? 'included' : 'not included'],
  ];
}

/**
 * Writes an export's file: the rows batch by batch (cohort-reader.ts) into a CSV or XLSX writer whose bytes go to
 * export_chunks as they come. The export is marked completed, with its byte count and SHA-256, in
 * one statement that first checks every chunk is stored; until then it is running and cannot be downloaded. A retry
 * (a killed worker, a failed attempt) starts the file again from its first row. If the organization's data version
 * moves while the rows are read, the attempt fails and the next one reads a consistent version.
 */
@JobProcessor(JOB_NAMES.exportFile)
export class ExportFileJob implements JobHandler<typeof JOB_NAMES.exportFile> {
  private readonly logger = new Logger('ExportFileJob');

  constructor(
    private readonly db: DataSource,
    private readonly repo: ExportsRepository,
    private readonly settings: SettingsService,
    private readonly rubrics: RubricsService,
    private readonly audit: AuditService,
    private readonly analytics: AnalyticsService,
    private readonly funnel: FunnelService,
    private readonly fairness: FairnessService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * A PostgreSQL server reads the cohort in one statement through a cursor, on a connection of its own while the
   * chunks and the progress are written on others; the embedded database (one connection) reads it page by page.
   */
  private get readsWithCursor(): boolean {
    return this.config.DATABASE_URL !== undefined && this.config.DATABASE_POOL_SIZE > 1;
  }

  async handle(data: ExportFileJobData, context: JobContext): Promise<void> {
    const row = await this.repo.find(data.organizationId, data.exportId);
    if (!row) throw new Error(`export ${data.exportId} not found`);
    if (row.status === 'completed' || row.status === 'failed') return;
    const started = Date.now();

    const snapshot = await this.settings.snapshot(row.organizationId);
    const dataVersion = snapshot.dataVersion;
    let seq = 0;
    const sink = async (chunk: Buffer) => {
      await this.repo.addChunk(row.id, seq, chunk);
      seq += 1;
    };
    const writerOptions = (columns: ExportColumn[], sheetName: string, manifest: [string, string][]) => ({
      columns,
      sheetName,
      manifest,
      sink,
    });

    let writer: ExportFileWriter;
    let written = 0;
    if (row.report === 'cohort') {
      const spec = await this.spec(row, snapshot.pipelineStages, snapshot.settings.successThreshold);
      const count = new Params(row.organizationId);
      const [{ n: total }] = (await this.db.query(cohortCountSql(row.filters, count), count.values)) as {
        n: number;
      }[];
      await this.repo.start(row.id, total);
      const options = writerOptions(cohortColumns(spec), 'Cohort', cohortManifest(row, spec, dataVersion));
      let statement: CohortStatement;
      let write: (rows: CohortRow[]) => Promise<void>;
      if (row.format === 'xlsx') {
        const xlsx = await xlsxWriter(options);
        writer = xlsx;
        statement = (read, p) => cohortSql(spec, read, p);
        write = async (rows) => {
          for (const r of rows) await xlsx.row(cohortRow(spec, r));
        };
      } else {
        // The database writes the dates, integers and plain words of each line, csvCell the text and the numbers.
        const csv = csvWriter(options);
        writer = csv;
        statement = (read, p) => cohortCsvSql(spec, read, p);
        write = (rows) => csv.lines(cohortCsvLines(spec, rows));
      }
      let reported = 0;
      const each: CohortBatch = async (rows, last) => {
        await write(rows);
        written += rows.length;
        if (last || written - reported < EXPORT_PAGE_ROWS) return;
        reported = written;
        await this.repo.progress(row.id, written);
        if (this.config.EXPORT_PAGE_DELAY_MS > 0) {
          await new Promise((resolve) => setTimeout(resolve, this.config.EXPORT_PAGE_DELAY_MS));
        }
      };
      if (this.readsWithCursor) {
        await readCohortCursor(this.db, row.organizationId, statement, EXPORT_FETCH_ROWS, each);
      } else {
        await readCohortPages(this.db, row.organizationId, statement, EXPORT_PAGE_ROWS, each);
      }
    } else {
      const { table, manifest } = await this.reportTable(row);
      await this.repo.start(row.id, table.rows.length);
      const options = writerOptions(table.columns, row.report, [
        ...baseManifest(row, dataVersion),
        ...manifest,
      ]);
      writer = row.format === 'xlsx' ? await xlsxWriter(options) : csvWriter(options);
      for (const values of table.rows) await writer.row(values);
      written = table.rows.length;
    }
    const file = await writer.finish();

    const now = await this.settings.snapshot(row.organizationId);
    if (now.dataVersion !== dataVersion) {
      throw new Error(
        `The data changed while the export was written (data version ${dataVersion} to ${now.dataVersion}); ` +
          'it starts again',
      );
    }
    await this.repo.complete(
      row.id,
      {
        rows: written,
        bytes: file.bytes,
        sha256: file.sha256,
        chunks: seq,
        dataVersion,
        fileName: fileName(row, dataVersion),
      },
      this.config.EXPORT_TTL_HOURS,
    );
    await this.audit.record(
      { organizationId: row.organizationId, userId: row.createdByUserId, apiKeyId: row.createdByApiKeyId },
      'export.completed',
      { type: 'export', id: row.id },
      {
        report: row.report,
        format: row.format,
        rows: written,
        bytes: file.bytes,
        includeDemographics: row.includeDemographics,
      },
    );
    this.logger.log(
      `export ${row.id}: ${written} rows, ${file.bytes} bytes in ${Date.now() - started} ms (attempt ${context.attempt})`,
    );
  }

  async onFinalFailure(data: ExportFileJobData, error: Error): Promise<void> {
    await this.repo.fail(data.exportId, error.message);
  }

  /** An aggregate report as its screen's table, computed by the same service as the screen. */
  private async reportTable(row: ExportRow): Promise<{ table: ReportTable; manifest: [string, string][] }> {
    const org = row.organizationId;
    const outcome = row.outcome ?? 'performance';
    switch (row.report) {
      case 'validity': {
        const report = await this.analytics.validity(org, outcome, normalizeFilters(row.filters));
        return {
          table: validityTable(report),
          manifest: [['outcome', outcome], ...rubricLine(report.rubric)],
        };
      }
      case 'interviewers': {
        const report = await this.analytics.interviewers(org, outcome, normalizeFilters(row.filters));
        return { table: interviewersTable(report), manifest: [['outcome', outcome]] };
      }
      case 'reliability':
        return {
          table: reliabilityTable(await this.analytics.reliability(org, normalizeFilters(row.filters))),
          manifest: [],
        };
      case 'funnel':
        return {
          table: funnelTable(await this.funnel.funnel(org, normalizeFunnelFilters(row.filters))),
          manifest: [],
        };
      case 'adverse-impact': {
        const groupBy = (row.options.groupBy ?? 'sex') as FairnessGrouping;
        const report = await this.fairness.adverseImpactStages(org, groupBy, fairnessFilters(row.filters));
        return {
          table: adverseImpactTable(report),
          manifest: [
            ['grouping', groupBy],
            ['small-cell threshold k', String(report.k)],
          ],
        };
      }
      case 'bias-audit': {
        const criterion = row.options.criterion ?? 'composite';
        const report = await this.fairness.biasAudit(org, criterion, fairnessFilters(row.filters));
        return {
          table: biasAuditTable(report),
          manifest: [
            ['criterion', criterion],
            ...rubricLine(report.rubric),
            ['median score', report.median === null ? '' : String(report.median)],
            ['scored applications', String(report.scoredApplications)],
            ['small-cell threshold k', String(report.k)],
            ...report.definitions.map((d): [string, string] => ['definition', d]),
          ],
        };
      }
      case 'differential-validity': {
        const groupBy = (row.options.groupBy ?? 'sex') as FairnessGrouping;
        const criterion = row.options.criterion ?? 'composite';
        const report = await this.fairness.differentialValidity(
          org,
          outcome,
          groupBy,
          criterion,
          fairnessFilters(row.filters),
        );
        return {
          table: differentialValidityTable(report),
          manifest: [
            ['outcome', outcome],
            ['grouping', groupBy],
            ['criterion', criterion],
            ['minimum sample', String(report.minimumSample)],
            ['small-cell threshold k', String(report.k)],
            ...differentialValidityTests(report),
          ],
        };
      }
      default:
        throw new Error(`export ${row.id}: no table for report ${row.report}`);
    }
  }

  private async spec(
    row: ExportRow,
    pipelineStages: string[] | null,
    successThreshold: number,
  ): Promise<CohortReportSpec> {
    const rubric = await this.rubrics.resolveFor(row.organizationId, row.filters);
    const stages =
      pipelineStages ??
      seenStagesFromRows(
        (await this.db.query(SEEN_STAGES_SQL, [row.organizationId])) as Record<string, unknown>[],
      )
        .map((s) => s.stage)
        .filter((s) => s !== APPLIED_STEP);
    return {
      filters: row.filters,
      rubric: rubric
        ? {
            name: rubric.name,
            version: rubric.version,
            criteria: rubric.criteria.map((c) => ({ key: c.key, label: c.label })),
          }
        : null,
      stages,
      includeDemographics: row.includeDemographics,
      asOf: row.asOf,
      successThreshold,
    };
  }
}
