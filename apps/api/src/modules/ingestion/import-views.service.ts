import { Injectable, NotFoundException } from '@nestjs/common';
import {
  IMPORT_ERROR_CSV_COLUMNS,
  type ImportActor,
  type ImportPhase,
  type ImportProgress,
  type ImportRowError,
  type ImportRunDetail,
  type ImportRunSummary,
  type ImportSource,
} from '@hiresignal/shared';
import { DataSource, LessThan } from 'typeorm';
import { csvRow } from '../../common/csv';
import { ImportRun } from './import-run.entity';
import { UUID_PATTERN } from '../../common/ids';

const DETAIL_ERRORS = 100;

/** Reads import runs for the API: history, detail with progress, and the errors as CSV. */
@Injectable()
export class ImportViewsService {
  constructor(private readonly db: DataSource) {}

  async list(organizationId: string, limit = 50, before?: Date): Promise<ImportRunSummary[]> {
    const runs = await this.db.getRepository(ImportRun).find({
      where: { organizationId, ...(before ? { createdAt: LessThan(before) } : {}) },
      order: { createdAt: 'DESC' },
      take: limit,
    });
    const actors = await this.actors(runs);
    return runs.map((run) => toSummary(run, actors));
  }

  async get(organizationId: string, importId: string): Promise<ImportRunDetail> {
    const run = await this.find(organizationId, importId);
    const actors = await this.actors([run]);
    const summary = toSummary(run, actors);
    let errors: ImportRowError[];
    if (run.source === 'api') {
      errors = run.errors.map((e) => ({
        ...e,
        row: e.index + 1,
        line: null,
        column: e.field,
        value: e.value === undefined || e.value === null ? null : String(e.value),
      }));
    } else {
      const rows = (await this.db.query(
        `SELECT row_no, line, column_name, field, value, message, record_id FROM import_errors
         WHERE import_id = $1 ORDER BY row_no, id LIMIT $2`,
        [run.id, DETAIL_ERRORS + 1],
      )) as ErrorRow[];
      errors = rows.slice(0, DETAIL_ERRORS).map(toRowError);
    }
    return {
      ...summary,
      errors: errors.slice(0, DETAIL_ERRORS),
      errorsTruncated: summary.errorCount > DETAIL_ERRORS,
      errorsCsvUrl: `/api/v1/imports/${run.id}/errors.csv`,
      byKind: run.byKind,
      worker: run.worker,
    };
  }

  /** Every error of an import as CSV lines, read in pages so a file with a million bad rows streams too. */
  async *errorsCsv(organizationId: string, importId: string): AsyncGenerator<string> {
    const run = await this.find(organizationId, importId);
    yield csvRow(IMPORT_ERROR_CSV_COLUMNS);
    // Values come from the uploaded file: formula-like text (=, +, -, @...) is neutralized (common/csv.ts).
    const line = (e: ImportRowError) => csvRow([e.row, e.line, e.column, e.value, e.message]);
    if (run.source === 'api') {
      const detail = await this.get(organizationId, importId);
      for (const e of detail.errors) yield line(e);
      return;
    }
    let after = 0;
    for (;;) {
      const rows = (await this.db.query(
        `SELECT id, row_no, line, column_name, field, value, message, record_id FROM import_errors
         WHERE import_id = $1 AND id > $2 ORDER BY id LIMIT 5000`,
        [run.id, after],
      )) as (ErrorRow & { id: string })[];
      if (rows.length === 0) return;
      after = Number(rows[rows.length - 1].id);
      yield rows.map((r) => line(toRowError(r))).join('');
    }
  }

  private async find(organizationId: string, importId: string): Promise<ImportRun> {
    const run = UUID_PATTERN.test(importId)
      ? await this.db.getRepository(ImportRun).findOne({ where: { id: importId, organizationId } })
      : null;
    if (!run) throw new NotFoundException(`No import ${importId} in this organization`);
    return run;
  }

  private async actors(runs: ImportRun[]): Promise<Actors> {
    const userIds = [...new Set(runs.flatMap((r) => (r.createdByUserId ? [r.createdByUserId] : [])))];
    const keyIds = [...new Set(runs.flatMap((r) => (r.createdByApiKeyId ? [r.createdByApiKeyId] : [])))];
    const users = userIds.length
      ? ((await this.db.query('SELECT id, email FROM users WHERE id = ANY($1::uuid[])', [userIds])) as {
          id: string;
          email: string;
        }[])
      : [];
    const keys = keyIds.length
      ? ((await this.db.query('SELECT id, name FROM api_keys WHERE id = ANY($1::uuid[])', [keyIds])) as {
          id: string;
          name: string;
        }[])
      : [];
    return {
      emails: new Map(users.map((u) => [u.id, u.email])),
      keyNames: new Map(keys.map((k) => [k.id, k.name])),
    };
  }
}

interface Actors {
  emails: Map<string, string>;
  keyNames: Map<string, string>;
}

interface ErrorRow {
  row_no: number;
  line: number | null;
  column_name: string | null;
  field: string;
  value: string | null;
  message: string;
  record_id: string | null;
}

function toRowError(r: ErrorRow): ImportRowError {
  return {
    row: r.row_no,
    line: r.line,
    column: r.column_name,
    value: r.value,
    message: r.message,
    index: r.row_no - 1,
    field: r.field,
    ...(r.record_id === null ? {} : { recordId: r.record_id }),
  };
}

export function progressOf(run: ImportRun): ImportProgress {
  const phase: ImportPhase =
    run.source === 'api'
      ? run.status === 'queued'
        ? 'queued'
        : run.status === 'running'
          ? 'writing'
          : 'done'
      : run.phase;
  const percent = (processed: number, total: number | null) =>
    total === null || total === 0 ? null : Math.min(100, Math.floor((processed / total) * 100));
  if (run.source !== 'api' && (phase === 'receiving' || phase === 'queued' || phase === 'validating')) {
    const total = run.fileSize;
    return {
      phase,
      unit: 'bytes',
      processed: run.bytesProcessed,
      total,
      percent: percent(run.bytesProcessed, total),
    };
  }
  const total = run.source === 'api' ? run.total : run.byKind.reduce((sum, k) => sum + k.rows, 0);
  return { phase, unit: 'rows', processed: run.processed, total, percent: percent(run.processed, total) };
}

export function toSummary(run: ImportRun, actors?: Actors): ImportRunSummary {
  const startedBy: ImportActor = {
    userId: run.createdByUserId,
    email: run.createdByUserId ? (actors?.emails.get(run.createdByUserId) ?? null) : null,
    apiKeyId: run.createdByApiKeyId,
    apiKeyName: run.createdByApiKeyId ? (actors?.keyNames.get(run.createdByApiKeyId) ?? null) : null,
  };
  const end = run.finishedAt ?? (run.status === 'running' ? new Date() : null);
  return {
    importId: run.id,
    kind: run.kind,
    source: run.source as ImportSource,
    filename: run.filename,
    fileSize: run.fileSize,
    onError: run.onError,
    status: run.status,
    progress: progressOf(run),
    total: run.total,
    processed: run.processed,
    inserted: run.inserted,
    updated: run.updated,
    unchanged: run.unchanged,
    rejected: run.rejected,
    errorCount: run.source === 'api' ? run.errors.length : run.errorCount,
    failureReason: run.failureReason,
    attempts: run.attempts,
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    durationMs: run.startedAt && end ? end.getTime() - run.startedAt.getTime() : null,
    startedBy,
  };
}
