import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { isRecordKind, RECORD_KINDS, type ImportRunResponse, type IngestAccepted } from '@hiresignal/shared';
import { Roles, type Principal } from '../identity/access.decorators';
import { CurrentPrincipal } from '../identity/principal.decorator';
import { IngestionService } from './ingestion.service';

@Controller('v1')
export class IngestionController {
  constructor(private readonly ingestion: IngestionService) {}

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

  @Roles('admin', 'analyst')
  @Get('imports')
  list(
    @CurrentPrincipal() principal: Principal,
    @Query('limit') limit?: string,
  ): Promise<ImportRunResponse[]> {
    const n = Math.min(Math.max(Number(limit) || 50, 1), 500);
    return this.ingestion.list(principal.organizationId, n);
  }

  @Roles('admin', 'analyst')
  @Get('imports/:importId')
  get(
    @Param('importId') importId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ImportRunResponse> {
    return this.ingestion.get(principal.organizationId, importId);
  }
}
