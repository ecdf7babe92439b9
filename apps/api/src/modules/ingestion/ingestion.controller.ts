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
  isRecordKind,
  RECORD_KINDS,
  type ImportAccepted,
  type ImportRunResponse,
  type ImportRunSummary,
  type IngestAccepted,
} from '@hiresignal/shared';
import type { Request, Response } from 'express';
import { Roles, type Principal } from '../identity/access.decorators';
import { CurrentPrincipal } from '../identity/principal.decorator';
import { FileUploadService } from './files/file-upload.service';
import { ImportViewsService } from './import-views.service';
import { IngestionService } from './ingestion.service';

@Controller('v1')
export class IngestionController {
  constructor(
    private readonly ingestion: IngestionService,
    private readonly uploads: FileUploadService,
    private readonly views: ImportViewsService,
  ) {}

  /** Accepts a batch of canonical records; 202 with the import to poll. */
  @Roles('admin')
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
  @Roles('admin')
  @Post('imports')
  @HttpCode(202)
  upload(@Req() req: Request, @CurrentPrincipal() principal: Principal): Promise<ImportAccepted> {
    return this.uploads.receive(principal, req);
  }

  @Roles('admin', 'analyst')
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

  @Roles('admin', 'analyst')
  @Get('imports/:importId')
  get(
    @Param('importId') importId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ImportRunResponse> {
    return this.views.get(principal.organizationId, importId);
  }

  /** Every row error of an import, as CSV (row, line, column, value, message). */
  @Roles('admin', 'analyst')
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
