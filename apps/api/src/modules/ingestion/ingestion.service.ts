import { createHash } from 'node:crypto';
import { Inject, Injectable, PayloadTooLargeException, UnprocessableEntityException } from '@nestjs/common';
import {
  NATURAL_KEYS,
  validateRecords,
  type InterviewScoreRecord,
  type RecordByKind,
  type RecordError,
  type RecordKind,
} from '@hiresignal/shared';
import { DataSource, In } from 'typeorm';
import { assertJsonLimits } from '../../common/json-limits';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../identity/access.decorators';
import { QueueService } from '../queue/queue.service';
import { JOB_NAMES } from '../queue/queue.types';
import { resolveRubrics } from '../records/rubric-checks';
import { RubricsService } from '../records/rubrics.service';
import { ImportRun } from './import-run.entity';
import { ingestJobId } from './import-runs.repository';

export interface SubmitResult {
  importId: string;
  deduplicated: boolean;
}

/**
 * Accepts a batch of canonical records: everything that can be checked before writing is checked here, so a bad
 * batch is refused whole (422, every problem listed) and an accepted one is written whole by the job.
 */
@Injectable()
export class IngestionService {
  constructor(
    private readonly db: DataSource,
    private readonly queue: QueueService,
    private readonly rubrics: RubricsService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async submit(principal: Principal, kind: RecordKind, body: unknown): Promise<SubmitResult> {
    assertJsonLimits(body, {
      maxDepth: this.config.JSON_MAX_DEPTH,
      maxStringChars: this.config.JSON_MAX_STRING_CHARS,
    });
    const records = readRecordsArray(body);
    if (records.length > this.config.MAX_RECORDS_PER_REQUEST) {
      throw new PayloadTooLargeException(
        `At most ${this.config.MAX_RECORDS_PER_REQUEST} records per request (got ${records.length}); split the batch or upload a file`,
      );
    }
    const { valid, errors } = validateRecords(kind, records);
    if (errors.length === 0) errors.push(...findDuplicates(kind, valid));
    if (errors.length === 0 && kind === 'interview_scores') {
      const rubrics = await this.rubrics.list(principal.organizationId);
      errors.push(...resolveRubrics(valid as InterviewScoreRecord[], rubrics));
    }
    if (errors.length > 0) {
      throw new UnprocessableEntityException({
        statusCode: 422,
        error: 'Unprocessable Entity',
        message: `${new Set(errors.map((e) => e.index)).size} of ${records.length} records are invalid; nothing was written`,
        errors: errors.slice(0, 1000),
      });
    }

    const contentHash = createHash('sha256')
      .update(kind)
      .update('\n')
      .update(JSON.stringify(valid))
      .digest('hex');
    const result = await this.db.transaction(async (tx) => {
      // Serialises submissions of the same content, so a double submit joins the first one.
      await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
        `${principal.organizationId}:${contentHash}`,
      ]);
      const inFlight = await tx.findOne(ImportRun, {
        where: { organizationId: principal.organizationId, contentHash, status: In(['queued', 'running']) },
      });
      if (inFlight) return { importId: inFlight.id, deduplicated: true };
      const run = await tx.save(
        tx.create(ImportRun, {
          organizationId: principal.organizationId,
          kind,
          source: 'api',
          status: 'queued',
          contentHash,
          payload: valid,
          total: valid.length,
          createdByUserId: principal.userId,
          createdByApiKeyId: principal.apiKeyId,
        }),
      );
      await this.audit.record(
        principal,
        'import.submitted',
        { type: 'import_run', id: run.id },
        { kind, total: valid.length },
        tx,
      );
      return { importId: run.id, deduplicated: false };
    });
    if (!result.deduplicated) {
      await this.queue.enqueue(
        JOB_NAMES.ingestRecords,
        { importId: result.importId, organizationId: principal.organizationId },
        ingestJobId(result.importId),
      );
    }
    return result;
  }
}

function readRecordsArray(body: unknown): unknown[] {
  const records = (body as { records?: unknown } | null)?.records;
  if (!Array.isArray(records)) {
    throw new UnprocessableEntityException({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: 'The body must be a JSON object {"records": [...]}',
      errors: [{ index: -1, field: 'records', message: 'must be an array of records' }],
    });
  }
  if (records.length === 0) {
    throw new UnprocessableEntityException({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: 'No records to import',
      errors: [{ index: -1, field: 'records', message: 'must contain at least one record' }],
    });
  }
  return records;
}

/** Two records with the same natural key in one batch are ambiguous: which one wins is refused, not guessed. */
export function findDuplicates<K extends RecordKind>(kind: K, records: RecordByKind[K][]): RecordError[] {
  const keys = NATURAL_KEYS[kind] as readonly (keyof RecordByKind[K])[];
  const firstIndex = new Map<string, number>();
  const interviewApplication = new Map<string, { applicationId: string; index: number }>();
  const errors: RecordError[] = [];
  records.forEach((record, index) => {
    const key = JSON.stringify(keys.map((k) => record[k]));
    const first = firstIndex.get(key);
    if (first !== undefined) {
      errors.push({
        index,
        field: keys.join(', '),
        message: `duplicates record ${first}: both have ${keys.map((k) => `${String(k)} ${JSON.stringify(record[k])}`).join(', ')}`,
      });
    } else {
      firstIndex.set(key, index);
    }
    if (kind === 'interview_scores') {
      const score = record as InterviewScoreRecord;
      const seen = interviewApplication.get(score.interviewId);
      if (seen && seen.applicationId !== score.applicationId) {
        errors.push({
          index,
          recordId: score.applicationId,
          field: 'applicationId',
          message: `interview ${score.interviewId} belongs to application ${seen.applicationId} in record ${seen.index}`,
        });
      } else if (!seen) {
        interviewApplication.set(score.interviewId, { applicationId: score.applicationId, index });
      }
    }
  });
  return errors;
}
