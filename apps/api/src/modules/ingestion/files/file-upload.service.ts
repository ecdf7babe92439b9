import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  BadRequestException,
  Inject,
  Injectable,
  Logger,
  PayloadTooLargeException,
  RequestTimeoutException,
  UnprocessableEntityException,
} from '@nestjs/common';
import {
  ATS_VENDORS,
  isAtsVendor,
  isRecordKind,
  ON_ERROR_MODES,
  RECORD_KINDS,
  type ImportAccepted,
  type ImportKind,
  type OnErrorMode,
} from '@hiresignal/shared';
import busboy from 'busboy';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../../config/config';
import { AuditService } from '../../audit/audit.service';
import type { Principal } from '../../identity/access.decorators';
import { QueueService } from '../../queue/queue.service';
import { JOB_NAMES } from '../../queue/queue.types';
import { importJobId, ImportRunsRepository, type InFlightRun } from '../import-runs.repository';

/** Upload bytes per row of import_chunks. */
export const CHUNK_BYTES = 1024 * 1024;

/** Room for the form's boundaries and small parts beside the file when a declared length is checked. */
const MULTIPART_OVERHEAD_BYTES = 1024 * 1024;

interface StagedUpload {
  importId: string;
  size: number;
  sha256: string;
}

/**
 * Receives POST /api/v1/imports: streams the multipart body with busboy straight into import_chunks (1 MiB rows),
 * never holding the file in memory, hashing it on the way. Then an identical file in flight is joined
 * (deduplicated), or the import is queued under a job id derived from the content hash.
 */
@Injectable()
export class FileUploadService {
  private readonly logger = new Logger('FileUpload');

  constructor(
    private readonly db: DataSource,
    private readonly queue: QueueService,
    private readonly audit: AuditService,
    private readonly runs: ImportRunsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async receive(principal: Principal, req: Request): Promise<ImportAccepted> {
    const type = req.headers['content-type'] ?? '';
    if (!type.toLowerCase().startsWith('multipart/form-data')) {
      throw new BadRequestException(
        'Send the file as multipart/form-data with the parts kind, onError (optional) and file',
      );
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > this.config.MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD_BYTES) {
      // Refused before a byte is read: the declared body cannot hold a file within the limit.
      req.resume();
      throw new PayloadTooLargeException(
        `The request declares ${declared} bytes; a file may have at most ${this.config.MAX_UPLOAD_BYTES} (MAX_UPLOAD_BYTES)`,
      );
    }
    const fields: Record<string, string> = {};
    let staging: Promise<StagedUpload> | null = null;
    let early: Error | null = null;
    let parser: ReturnType<typeof busboy>;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { files: 1, fileSize: this.config.MAX_UPLOAD_BYTES, fields: 10, fieldSize: 1000, parts: 20 },
      });
    } catch (error) {
      // e.g. multipart/form-data without a boundary.
      throw new BadRequestException(`The multipart form cannot be read: ${(error as Error).message}`);
    }
    // Every stream of the upload gets an error handler: a body that breaks off (no closing boundary, the client
    // went away) must end this request with 400, never as an unhandled 'error' event that stops the process.
    const files: Readable[] = [];
    const broken = (error: Error) => {
      for (const file of files) if (!file.destroyed) file.destroy(error);
      if (!parser.destroyed) parser.destroy(error);
    };
    const finished = new Promise<void>((resolve, reject) => {
      parser.on('close', resolve);
      parser.on('error', reject);
    });
    req.on('error', broken);
    req.on('aborted', () => broken(new Error('the client closed the connection before the end of the body')));
    parser.on('field', (name, value) => (fields[name] = value.trim()));
    parser.on('file', (name, stream, info) => {
      files.push(stream);
      stream.on('error', () => undefined);
      if (name !== 'file' || staging || early) {
        stream.resume();
        return;
      }
      // Parts sent before the file (as curl -F and browsers do, in order) are checked before any byte is stored.
      early = checkFields(fields, false);
      if (early) {
        stream.resume();
        return;
      }
      staging = this.stage(principal, fields, stream, info.filename ?? null);
      staging.catch(() => stream.resume());
    });
    req.pipe(parser);
    try {
      await finished;
    } catch (error) {
      broken(error as Error);
      if (staging) await (staging as Promise<StagedUpload>).catch(() => undefined);
      throw new BadRequestException(`The upload broke off: ${(error as Error).message}`);
    }
    if (early) throw early;
    if (!staging) throw new UnprocessableEntityException('The form has no part named "file"');
    const upload = await (staging as Promise<StagedUpload>);
    const problem = checkFields(fields, true);
    if (problem || upload.size === 0) {
      await this.runs.remove(upload.importId);
      throw problem ?? new UnprocessableEntityException('The file is empty');
    }
    return this.enqueue(
      principal,
      upload,
      fields['kind'] as ImportKind,
      (fields['onError'] ?? 'reject') as OnErrorMode,
    );
  }

  private async stage(
    principal: Principal,
    fields: Record<string, string>,
    stream: Readable & { truncated?: boolean },
    filename: string | null,
  ): Promise<StagedUpload> {
    const kind = fields['kind'] ?? '';
    const id = await this.runs.createReceiving({
      organizationId: principal.organizationId,
      kind,
      source: isAtsVendor(kind) ? kind : 'csv',
      filename,
      onError: fields['onError'] === 'skip' ? 'skip' : 'reject',
      userId: principal.userId,
      apiKeyId: principal.apiKeyId,
    });
    const hash = createHash('sha256');
    let size = 0;
    let seq = 0;
    let parts: Buffer[] = [];
    let buffered = 0;
    // Set when the sweeper failed this run as stalled: the rest of the body is drained, not stored.
    let abandoned: Error | null = null;
    const flush = async () => {
      if (buffered === 0 || abandoned) return;
      const data = parts.length === 1 ? parts[0] : Buffer.concat(parts);
      parts = [];
      buffered = 0;
      await this.db.query('INSERT INTO import_chunks (import_id, seq, data) VALUES ($1, $2, $3)', [
        id,
        seq++,
        data,
      ]);
      // The activity the sweeper watches; a run it already failed as stalled ends this upload too.
      const receiving = await this.runs.chunkStored(id, size);
      if (!receiving) {
        abandoned = new RequestTimeoutException(
          `The upload stalled for longer than ${this.config.IMPORT_STALE_AFTER_SECONDS} s and was abandoned`,
        );
      }
    };
    let streamError: Error | null = null;
    stream.on('error', (error: Error) => (streamError ??= error));
    try {
      if (stream.errored) throw stream.errored;
      for await (const data of stream as AsyncIterable<Buffer>) {
        if (abandoned) continue;
        hash.update(data);
        size += data.length;
        parts.push(data);
        buffered += data.length;
        if (buffered >= CHUNK_BYTES) await flush();
      }
      if (abandoned) throw abandoned;
      if (streamError ?? stream.errored) throw streamError ?? stream.errored;
      if (stream.truncated) {
        throw new PayloadTooLargeException(
          `The file is larger than ${this.config.MAX_UPLOAD_BYTES} bytes (MAX_UPLOAD_BYTES)`,
        );
      }
      await flush();
      if (abandoned) throw abandoned;
      await this.runs.received(id, size);
      return { importId: id, size, sha256: hash.digest('hex') };
    } catch (error) {
      // A swept run stays, failed with the sweeper's reason; any other broken upload leaves nothing.
      if (error !== abandoned) {
        await this.runs.remove(id).catch(() => undefined);
      }
      throw error;
    }
  }

  /** Whether an in-flight run's job will still run (runs from before job ids were stored are trusted). */
  private async stillRuns(run: InFlightRun): Promise<boolean> {
    if (run.jobId === null) return true;
    const state = await this.queue.jobState(run.jobId);
    if (state === 'pending') return true;
    if (state === 'unknown') return Date.now() - run.lastActivityAt.getTime() < ORPHAN_AFTER_MS;
    return false;
  }

  private async enqueue(
    principal: Principal,
    upload: StagedUpload,
    kind: ImportKind,
    onError: OnErrorMode,
  ): Promise<ImportAccepted> {
    const contentHash = createHash('sha256')
      .update(`file\n${principal.organizationId}\n${kind}\n${onError}\n${upload.sha256}`)
      .digest('hex');
    const result = await this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
        `${principal.organizationId}:${contentHash}`,
      ]);
      const inFlight = await this.runs.findInFlight(
        tx,
        principal.organizationId,
        contentHash,
        upload.importId,
      );
      if (inFlight && (await this.stillRuns(inFlight))) {
        await this.runs.remove(upload.importId, tx);
        return { importId: inFlight.id, deduplicated: true, jobId: null };
      }
      if (inFlight) {
        // Its job ended or left the queue without finishing the run (a poison job BullMQ gave up on): the run
        // is failed here, so it can never hold back this new upload of the same file.
        await this.runs.fail(
          inFlight.id,
          'the import stopped without finishing (its queue job ended or is gone); a new upload of the file replaced it',
          tx,
        );
      }
      const n = await this.runs.countOfContent(tx, principal.organizationId, contentHash);
      const jobId = importJobId(contentHash, n);
      await this.runs.commit(tx, upload.importId, {
        kind,
        source: isAtsVendor(kind) ? kind : 'csv',
        onError,
        contentHash,
        size: upload.size,
        jobId,
      });
      await this.audit.record(
        principal,
        'import.file_submitted',
        { type: 'import_run', id: upload.importId },
        { kind, onError, bytes: upload.size },
        tx,
      );
      // The same content's nth import: a double submit joins above; a later re-import gets the next id.
      return { importId: upload.importId, deduplicated: false, jobId };
    });
    if (result.jobId) {
      await this.queue.enqueue(
        JOB_NAMES.importFile,
        { importId: result.importId, organizationId: principal.organizationId },
        result.jobId,
      );
      this.logger.log(`import ${result.importId} (${kind}, ${upload.size} bytes) queued as ${result.jobId}`);
    }
    return { importId: result.importId, deduplicated: result.deduplicated };
  }
}

/** How long a run's job may be unknown to the queue before the run counts as orphaned (between commit and enqueue). */
const ORPHAN_AFTER_MS = 30_000;

/** Checks kind and onError; `final` once every part has arrived (kind may follow the file). */
function checkFields(fields: Record<string, string>, final: boolean): Error | null {
  const kind = fields['kind'];
  if (kind === undefined) {
    return final
      ? new UnprocessableEntityException(
          `The form needs a part "kind": one of ${[...RECORD_KINDS, ...ATS_VENDORS].join(', ')}`,
        )
      : null;
  }
  if (!isRecordKind(kind) && !isAtsVendor(kind)) {
    return new UnprocessableEntityException(
      `Unknown kind "${kind}": one of ${[...RECORD_KINDS, ...ATS_VENDORS].join(', ')}`,
    );
  }
  const onError = fields['onError'];
  if (onError !== undefined && !(ON_ERROR_MODES as readonly string[]).includes(onError)) {
    return new UnprocessableEntityException(`Unknown onError "${onError}": reject or skip`);
  }
  return null;
}
