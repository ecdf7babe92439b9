import {
  Body,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ACCESS,
  ATS_VENDORS,
  isRecordKind,
  ON_ERROR_MODES,
  RECORD_KINDS,
  RECORD_SCHEMAS,
  type ImportAccepted,
  type ImportRunResponse,
  type ImportRunSummary,
  type IngestAccepted,
} from '@hiresignal/shared';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { ApiDoc, apiRef } from '../../common/api-docs.decorator';
import { Roles, type Principal } from '../identity/access.decorators';
import { CurrentPrincipal } from '../identity/principal.decorator';
import { FileUploadService } from './files/file-upload.service';
import { ImportViewsService } from './import-views.service';
import { IngestionService } from './ingestion.service';

/**
 * Body of POST /records/:kind as documented: each record is checked by RECORD_SCHEMAS[kind] (validateRecords in
 * ingestion.service.ts), so the document lists those very schemas, one per kind.
 */
const recordsBatchDoc = z.object({
  records: z
    .array(z.union(RECORD_KINDS.map((kind) => RECORD_SCHEMAS[kind])))
    .min(1)
    .describe("Records of the kind named in the path, validated with that kind's schema (one of these)."),
});

/** The multipart form of POST /imports, read part by part with busboy (file-upload.service.ts). */
const importFormDoc = {
  type: 'object',
  required: ['kind', 'file'],
  properties: {
    kind: {
      type: 'string',
      enum: [...RECORD_KINDS, ...ATS_VENDORS],
      description:
        'A canonical record kind (CSV with its snake_case columns) or an ATS whose JSON export this is.',
    },
    onError: {
      type: 'string',
      enum: [...ON_ERROR_MODES],
      default: 'reject',
      description:
        'reject: nothing is written if any row is bad; skip: good rows are written, bad ones reported.',
    },
    file: {
      type: 'string',
      contentMediaType: 'application/octet-stream',
      description: 'The file; send kind and onError before it so they are checked before the upload.',
    },
  },
};

const importIdParam = { type: 'object', properties: { importId: { type: 'string', format: 'uuid' } } };

@Controller('v1')
export class IngestionController {
  constructor(
    private readonly ingestion: IngestionService,
    private readonly uploads: FileUploadService,
    private readonly views: ImportViewsService,
  ) {}

  /** Accepts a batch of canonical records; 202 with the import to poll. */
  @Roles(...ACCESS.importsWrite)
  @ApiDoc({
    summary: 'Submit a batch of canonical records (idempotent upserts, processed as a queued import)',
    tags: ['records'],
    params: { type: 'object', properties: { kind: { type: 'string', enum: [...RECORD_KINDS] } } },
    body: recordsBatchDoc,
    responses: {
      202: { description: 'Accepted: the import to poll', schema: apiRef('ImportAccepted') },
      404: { description: 'Unknown record kind', schema: apiRef('Error') },
      413: { description: 'More records than MAX_RECORDS_PER_REQUEST', schema: apiRef('Error') },
      422: { description: 'Invalid records; nothing was written', schema: apiRef('Error') },
    },
  })
  @Post('records/:kind')
  @HttpCode(202)
  async ingest(
    @Param('kind') kind: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<IngestAccepted> {
    if (!isRecordKind(kind)) {
      throw new NotFoundException(`Unknown record kind "${kind}"; one of ${RECORD_KINDS.join(', ')}`);
    }
    return this.ingestion.submit(principal, kind, body);
  }

  /** A file import (multipart: kind, onError, file), streamed into the staging; 202 with the import to poll. */
  @Roles(...ACCESS.importsWrite)
  @ApiDoc({
    summary: 'Import a file (CSV of one record kind, or a Greenhouse or Lever JSON export)',
    description:
      'The file is streamed into the database as it arrives, then validated and written by a queued job; poll ' +
      'GET /api/v1/imports/{importId}. An identical file (same kind, onError and bytes) already queued or running is ' +
      'joined (deduplicated: true).',
    tags: ['imports'],
    consumes: 'multipart/form-data',
    body: importFormDoc,
    responses: {
      202: { description: 'Accepted: the import to poll', schema: apiRef('ImportAccepted') },
      400: { description: 'Not multipart/form-data, or the upload broke off', schema: apiRef('Error') },
      408: { description: 'The upload stalled', schema: apiRef('Error') },
      413: { description: 'The file exceeds MAX_UPLOAD_BYTES', schema: apiRef('Error') },
      422: {
        description: 'Unknown kind or onError, no file part, or an empty file',
        schema: apiRef('Error'),
      },
    },
  })
  @Post('imports')
  @HttpCode(202)
  upload(@Req() req: Request, @CurrentPrincipal() principal: Principal): Promise<ImportAccepted> {
    return this.uploads.receive(principal, req);
  }

  @Roles(...ACCESS.importsRead)
  @ApiDoc({
    summary: 'Recent imports, newest first',
    tags: ['imports'],
    query: {
      type: 'object',
      properties: {
        limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
        before: {
          type: 'string',
          format: 'date-time',
          description: 'Only imports created before this instant (paging: the last createdAt seen).',
        },
      },
    },
    responses: { 200: { description: 'OK', schema: { type: 'array', items: apiRef('ImportRunSummary') } } },
  })
  @Get('imports')
  list(
    @CurrentPrincipal() principal: Principal,
    @Query('limit') limit?: string,
    @Query('before') before?: string,
  ): Promise<ImportRunSummary[]> {
    const n = Math.min(Math.max(Number(limit) || 50, 1), 500);
    const until = before && !Number.isNaN(Date.parse(before)) ? new Date(before) : undefined;
    return this.views.list(principal.organizationId, n, until);
  }

  @Roles(...ACCESS.importsRead)
  @ApiDoc({
    summary: 'One import: progress, counts by record kind and its first row errors',
    tags: ['imports'],
    params: importIdParam,
    responses: {
      200: { description: 'OK', schema: apiRef('ImportRunDetail') },
      404: { description: 'No such import in this organization', schema: apiRef('Error') },
    },
  })
  @Get('imports/:importId')
  get(
    @Param('importId') importId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ImportRunResponse> {
    return this.views.get(principal.organizationId, importId);
  }

  /** Every row error of an import, as CSV (row, line, column, value, message). */
  @Roles(...ACCESS.importsRead)
  @ApiDoc({
    summary: 'Every row error of an import, as CSV (row, line, column, value, message)',
    tags: ['imports'],
    params: importIdParam,
    produces: 'text/csv',
    responses: {
      200: { description: 'CSV with a header line, streamed' },
      404: {
        description: 'No such import in this organization',
        schema: apiRef('Error'),
        contentType: 'application/json',
      },
    },
  })
  @Get('imports/:importId/errors.csv')
  async errorsCsv(
    @Param('importId') importId: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ): Promise<void> {
    const lines = this.views.errorsCsv(principal.organizationId, importId);
    // The first step checks the import exists before any header is sent, so a 404 stays a 404.
    const first = await lines.next();
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="import-${importId}-errors.csv"`);
    if (!first.done) res.write(first.value);
    for await (const chunk of lines) {
      if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
    }
    res.end();
  }
}
