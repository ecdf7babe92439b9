import { performance } from 'node:perf_hooks';
import { Logger } from '@nestjs/common';
import { RECORD_SCHEMAS, type RecordKind } from '@hiresignal/shared';
import { DataSource } from 'typeorm';
import { MetricsService } from '../observability/metrics.service';
import { Organization } from '../organizations/organization.entity';
import { JobProcessor } from '../queue/job-processor.decorator';
import { JOB_NAMES, type JobContext, type JobHandler } from '../queue/queue.types';
import { writePayload, type UpsertCounts } from '../records/record-upserts';
import { ImportRunsRepository } from './import-runs.repository';

import type { IngestRecordsJobData } from '../queue/queue.types';

export type { IngestRecordsJobData };

const BATCH_SIZE = 1000;

/**
 * Serialises the JSON imports of one organization (each is one transaction), so they cannot deadlock one another.
 * File imports do not take it: their windows retry a deadlock instead.
 */
const WRITE_LOCK_SQL = "SELECT pg_advisory_xact_lock(hashtextextended('hiresignal:ingest:' || $1, 0))";

/**
 * Writes an accepted import in one transaction: all of it or none of it. Re-running it (a retry, a redelivered
 * job) is harmless: a completed run is skipped, and the upserts are idempotent on the natural keys.
 */
@JobProcessor(JOB_NAMES.ingestRecords)
export class IngestRecordsJob implements JobHandler<typeof JOB_NAMES.ingestRecords> {
  private readonly logger = new Logger('IngestRecordsJob');

  constructor(
    private readonly db: DataSource,
    private readonly runs: ImportRunsRepository,
    private readonly metrics: MetricsService,
  ) {}

  async handle(data: IngestRecordsJobData, context: JobContext): Promise<void> {
    const started = performance.now();
    const run = await this.runs.findRecordsRun(data.importId, data.organizationId);
    if (!run) throw new Error(`import ${data.importId} not found`);
    if (run.status === 'completed' || run.status === 'failed') return;
    await this.runs.startRecords(run.id, context.attempt);

    const counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
    let impliedChanged = false;
    let written = 0;
    await this.db.transaction(async (tx) => {
      await tx.query(WRITE_LOCK_SQL, [run.organizationId]);
      const payload = await this.runs.lockPayload(tx, run.id);
      if (!payload) throw new Error(`import ${run.id} has no payload`);
      // The payload was validated at submission; parsing again applies defaults and guards against edits.
      const records = payload.map((r) => RECORD_SCHEMAS[run.kind as RecordKind].parse(r));
      for (let i = 0; i < records.length; i += BATCH_SIZE) {
        const c = await writePayload(
          tx,
          run.organizationId,
          run.kind as RecordKind,
          records.slice(i, i + BATCH_SIZE),
        );
        counts.inserted += c.inserted;
        counts.updated += c.updated;
        counts.unchanged += c.unchanged;
        impliedChanged ||= c.impliedChanged;
      }
      if (counts.inserted + counts.updated > 0 || impliedChanged) {
        await tx.increment(Organization, { id: run.organizationId }, 'dataVersion', 1);
      }
      await this.runs.completeRecords(tx, run.id, counts, records.length);
      written = records.length;
    });
    this.metrics.importWritten(JOB_NAMES.ingestRecords, run.kind, written);
    this.metrics.importCompleted(JOB_NAMES.ingestRecords, written, (performance.now() - started) / 1000);
    this.logger.log(
      `import ${run.id} (${run.kind}) completed: ${counts.inserted} inserted, ${counts.updated} updated, ${counts.unchanged} unchanged`,
    );
  }

  async onFinalFailure(data: IngestRecordsJobData, error: Error): Promise<void> {
    await this.runs.failRecords(data.importId, data.organizationId, error.message);
  }
}
