import { Injectable } from '@nestjs/common';
import type {
  CohortFilters,
  ExportFormat,
  ExportOptions,
  ExportReport,
  ExportStatus,
  ExportSummary,
  Outcome,
} from '@hiresignal/shared';
import { DataSource, type EntityManager } from 'typeorm';

/** One row of exports as the job and the routes use it. */
export interface ExportRow {
  id: string;
  organizationId: string;
  report: ExportReport;
  format: ExportFormat;
  filters: CohortFilters;
  cohortId: string | null;
  includeDemographics: boolean;
  outcome: Outcome | null;
  options: ExportOptions;
  scheduleId: string | null;
  status: ExportStatus;
  asOf: Date;
  rowsWritten: number;
  rowsTotal: number | null;
  bytes: number | null;
  dataVersion: string | null;
  sha256: string | null;
  error: string | null;
  fileName: string | null;
  createdByUserId: string | null;
  createdByApiKeyId: string | null;
  createdAt: Date;
  completedAt: Date | null;
  expiresAt: Date | null;
}

const COLUMNS = `id, organization_id, report, format, filters, cohort_id, include_demographics, outcome, options, schedule_id,
  status, as_of,
  rows_written, rows_total, bytes::text AS bytes, data_version::text AS data_version, sha256, error, file_name,
  created_by_user_id, created_by_api_key_id, created_at, completed_at, expires_at`;

function toRow(r: Record<string, unknown>): ExportRow {
  const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string | Date));
  return {
    id: String(r['id']),
    organizationId: String(r['organization_id']),
    report: r['report'] as ExportReport,
    format: r['format'] as ExportFormat,
    filters: (typeof r['filters'] === 'string' ? JSON.parse(r['filters']) : r['filters']) as CohortFilters,
    cohortId: (r['cohort_id'] as string | null) ?? null,
    includeDemographics: Boolean(r['include_demographics']),
    outcome: (r['outcome'] as Outcome | null) ?? null,
    options: (typeof r['options'] === 'string'
      ? JSON.parse(r['options'])
      : (r['options'] ?? {})) as ExportOptions,
    scheduleId: (r['schedule_id'] as string | null) ?? null,
    status: r['status'] as ExportStatus,
    asOf: new Date(r['as_of'] as string | Date),
    rowsWritten: Number(r['rows_written']),
    rowsTotal: r['rows_total'] === null ? null : Number(r['rows_total']),
    bytes: r['bytes'] === null ? null : Number(r['bytes']),
    dataVersion: (r['data_version'] as string | null) ?? null,
    sha256: (r['sha256'] as string | null) ?? null,
    error: (r['error'] as string | null) ?? null,
    fileName: (r['file_name'] as string | null) ?? null,
    createdByUserId: (r['created_by_user_id'] as string | null) ?? null,
    createdByApiKeyId: (r['created_by_api_key_id'] as string | null) ?? null,
    createdAt: new Date(r['created_at'] as string | Date),
    completedAt: date(r['completed_at']),
    expiresAt: date(r['expires_at']),
  };
}

export function toSummary(row: ExportRow): ExportSummary {
  const progress =
    row.status === 'completed' ? 1 : row.rowsTotal ? Math.min(0.99, row.rowsWritten / row.rowsTotal) : 0;
  return {
    id: row.id,
    report: row.report,
    format: row.format,
    filters: row.filters,
    cohortId: row.cohortId,
    includeDemographics: row.includeDemographics,
    outcome: row.outcome,
    options: row.options,
    status: row.status,
    rowsWritten: row.rowsWritten,
    rowsTotal: row.rowsTotal,
    bytes: row.bytes,
    progress,
    dataVersion: row.dataVersion,
    sha256: row.sha256,
    error: row.error,
    fileName: row.fileName,
    createdAt: row.createdAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    scheduleId: row.scheduleId,
  };
}

/** Every read and write of exports and export_chunks: the export state machine lives here. */
@Injectable()
export class ExportsRepository {
  constructor(private readonly db: DataSource) {}

  async find(organizationId: string, id: string, manager: EntityManager = this.db.manager) {
    const rows = (await manager.query(
      `SELECT ${COLUMNS} FROM exports WHERE organization_id = $1 AND id = $2`,
      [organizationId, id],
    )) as Record<string, unknown>[];
    return rows[0] ? toRow(rows[0]) : null;
  }

  async list(organizationId: string, limit: number): Promise<ExportRow[]> {
    const rows = (await this.db.query(
      `SELECT ${COLUMNS} FROM exports WHERE organization_id = $1 ORDER BY created_at DESC, id LIMIT $2`,
      [organizationId, limit],
    )) as Record<string, unknown>[];
    return rows.map(toRow);
  }

  /** A live export of the same request (queued, running, or completed and not expired): what a repeat joins. */
  async findLive(tx: EntityManager, organizationId: string, requestKey: string): Promise<ExportRow | null> {
    const rows = (await tx.query(
      `SELECT ${COLUMNS} FROM exports
       WHERE organization_id = $1 AND request_key = $2 AND status <> 'failed'
         AND (expires_at IS NULL OR expires_at > now())
       ORDER BY created_at DESC LIMIT 1`,
      [organizationId, requestKey],
    )) as Record<string, unknown>[];
    return rows[0] ? toRow(rows[0]) : null;
  }

  async insert(
    tx: EntityManager,
    e: {
      organizationId: string;
      report: ExportReport;
      format: ExportFormat;
      filters: CohortFilters;
      cohortId: string | null;
      includeDemographics: boolean;
      outcome: Outcome | null;
      options: ExportOptions;
      requestKey: string;
      asOf: Date;
      userId: string | null;
      apiKeyId: string | null;
      scheduleId: string | null;
      scheduledFor: Date | null;
    },
  ): Promise<string> {
    const [row] = (await tx.query(
      `INSERT INTO exports (organization_id, report, format, filters, cohort_id, include_demographics, request_key,
         as_of, created_by_user_id, created_by_api_key_id, outcome, schedule_id, scheduled_for, options)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::jsonb) RETURNING id`,
      [
        e.organizationId,
        e.report,
        e.format,
        JSON.stringify(e.filters),
        e.cohortId,
        e.includeDemographics,
        e.requestKey,
        e.asOf.toISOString(),
        e.userId,
        e.apiKeyId,
        e.outcome,
        e.scheduleId,
        e.scheduledFor?.toISOString() ?? null,
        JSON.stringify(e.options),
      ],
    )) as { id: string }[];
    return row.id;
  }

  /** The export of a schedule's run due at `scheduledFor`, if it was made already. */
  async findRun(tx: EntityManager, scheduleId: string, scheduledFor: Date): Promise<string | null> {
    const rows = (await tx.query(`SELECT id FROM exports WHERE schedule_id = $1 AND scheduled_for = $2`, [
      scheduleId,
      scheduledFor.toISOString(),
    ])) as { id: string }[];
    return rows[0]?.id ?? null;
  }

  /** The latest runs of each schedule (at most `perSchedule`), newest first. */
  async runsOf(organizationId: string, scheduleIds: string[], perSchedule: number): Promise<ExportRow[]> {
    if (scheduleIds.length === 0) return [];
    const rows = (await this.db.query(
      `SELECT ${COLUMNS} FROM (
         SELECT e.*, row_number() OVER (PARTITION BY schedule_id ORDER BY created_at DESC, id) AS k
         FROM exports e WHERE organization_id = $1 AND schedule_id = ANY($2::uuid[])
       ) x WHERE k <= $3 ORDER BY created_at DESC, id`,
      [organizationId, scheduleIds, perSchedule],
    )) as Record<string, unknown>[];
    return rows.map(toRow);
  }

  /** A (re)start: running, and any chunks of an earlier attempt removed, so the file is written from its start. */
  async start(id: string, rowsTotal: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query('DELETE FROM export_chunks WHERE export_id = $1', [id]);
      await tx.query(
        `UPDATE exports SET status = 'running', attempts = attempts + 1, started_at = now(), rows_written = 0,
           rows_total = $2, error = NULL WHERE id = $1`,
        [id, rowsTotal],
      );
    });
  }

  async progress(id: string, rowsWritten: number): Promise<void> {
    await this.db.query(`UPDATE exports SET rows_written = $2 WHERE id = $1 AND status = 'running'`, [
      id,
      rowsWritten,
    ]);
  }

  async addChunk(id: string, seq: number, data: Buffer): Promise<void> {
    await this.db.query('INSERT INTO export_chunks (export_id, seq, data) VALUES ($1, $2, $3)', [
      id,
      seq,
      data,
    ]);
  }

  /** Completion: the file's facts and its expiry, in one statement, only if every chunk is there. */
  async complete(
    id: string,
    f: { rows: number; bytes: number; sha256: string; chunks: number; dataVersion: string; fileName: string },
    ttlHours: number,
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [{ n }] = (await tx.query('SELECT count(*)::int AS n FROM export_chunks WHERE export_id = $1', [
        id,
      ])) as { n: number }[];
      if (n !== f.chunks) throw new Error(`export ${id}: ${n} chunks stored, ${f.chunks} written`);
      await tx.query(
        `UPDATE exports SET status = 'completed', rows_written = $2, rows_total = $2, bytes = $3, sha256 = $4,
           data_version = $5::bigint, file_name = $6, completed_at = now(),
           expires_at = now() + make_interval(hours => $7::int)
         WHERE id = $1`,
        [id, f.rows, f.bytes, f.sha256, f.dataVersion, f.fileName, ttlHours],
      );
    });
  }

  /** The last attempt failed: say why, and keep no partial file. */
  async fail(id: string, message: string, manager?: EntityManager): Promise<void> {
    const write = async (tx: EntityManager) => {
      await tx.query('DELETE FROM export_chunks WHERE export_id = $1', [id]);
      await tx.query(
        `UPDATE exports SET status = 'failed', error = $2, completed_at = now(),
           expires_at = now() + interval '7 days' WHERE id = $1`,
        [id, message.slice(0, 2000)],
      );
    };
    await (manager ? write(manager) : this.db.transaction(write));
  }

  /** The file's chunk sequence numbers, for streaming it one chunk at a time. */
  async chunkCount(id: string): Promise<number> {
    const [{ n }] = (await this.db.query(
      'SELECT count(*)::int AS n FROM export_chunks WHERE export_id = $1',
      [id],
    )) as { n: number }[];
    return n;
  }

  async chunk(id: string, seq: number): Promise<Buffer> {
    const rows = (await this.db.query('SELECT data FROM export_chunks WHERE export_id = $1 AND seq = $2', [
      id,
      seq,
    ])) as { data: Buffer }[];
    if (!rows[0]) throw new Error(`export ${id} chunk ${seq} missing`);
    return rows[0].data;
  }

  /** Exports not yet ended (for re-enqueueing after a restart of the embedded, in-process queue). */
  async unfinished(): Promise<{ id: string; organizationId: string }[]> {
    const rows = (await this.db.query(
      `SELECT id, organization_id FROM exports WHERE status IN ('queued', 'running') ORDER BY created_at`,
    )) as { id: string; organization_id: string }[];
    return rows.map((r) => ({ id: r.id, organizationId: r.organization_id }));
  }

  /** Deletes expired exports with their files; returns how many. */
  async deleteExpired(): Promise<number> {
    const rows = (await this.db.query(
      `DELETE FROM exports WHERE expires_at IS NOT NULL AND expires_at <= now() RETURNING id`,
    )) as unknown[];
    return rows.length;
  }
}
