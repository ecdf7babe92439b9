import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Req, Res } from '@nestjs/common';
import {
  ACCESS,
  cohortCreateSchema,
  cohortUpdateSchema,
  exportCreateSchema,
  exportScheduleCreateSchema,
  type Cohort,
  type ExportSchedule,
  type ExportCreated,
  type ExportSummary,
} from '@hiresignal/shared';
import type { Request, Response } from 'express';
import { ApiDoc, apiRef } from '../../common/api-docs.decorator';
import { parseBody } from '../../common/zod-body';
import { auditActor } from '../audit/audit.service';
import { Roles, type Principal } from '../identity/access.decorators';
import { CurrentPrincipal } from '../identity/principal.decorator';
import { CohortsService } from './cohorts.service';
import { ExportSchedulesService } from './export-schedules.service';
import { CONTENT_TYPES, ExportsService } from './exports.service';

const idParam = { type: 'object', properties: { id: { type: 'string', format: 'uuid' } } };
const notFound = { description: 'No such cohort or export in this organization', schema: apiRef('Error') };

/** Saved cohorts (named analytics filters) and exports of reports as CSV or XLSX files, written by the queue. */
@Controller('v1')
export class ExportsController {
  constructor(
    private readonly cohorts: CohortsService,
    private readonly exports: ExportsService,
    private readonly schedules: ExportSchedulesService,
  ) {}

  @Roles(...ACCESS.exports)
  @ApiDoc({
    summary: 'Scheduled exports, with the next due time and the last runs of each',
    tags: ['exports'],
  })
  @Get('export-schedules')
  listSchedules(@CurrentPrincipal() principal: Principal): Promise<ExportSchedule[]> {
    return this.schedules.list(principal.organizationId);
  }

  @Roles(...ACCESS.exports)
  @ApiDoc({
    summary: 'Schedule an export daily (02:00 UTC), weekly (Monday) or monthly (the 1st)',
    description:
      'Each run is an export of its own (GET /api/v1/exports lists it with its scheduleId), made as the ' +
      "schedule's creator with their role at the time of the run; a run that may not run is listed as failed, " +
      'with why. Names are unique in the organization.',
    tags: ['exports'],
    body: exportScheduleCreateSchema,
    responses: {
      201: { description: 'Scheduled' },
      400: { description: 'Invalid body', schema: apiRef('Error') },
      403: { description: 'Demographics asked by a role that may not see them', schema: apiRef('Error') },
      409: { description: 'The name is taken', schema: apiRef('Error') },
    },
  })
  @Post('export-schedules')
  createSchedule(
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
  ): Promise<ExportSchedule> {
    return this.schedules.create(
      principal.role,
      auditActor(principal, req),
      parseBody(exportScheduleCreateSchema, body),
    );
  }

  @Roles(...ACCESS.exports)
  @ApiDoc({
    summary: 'Stop a scheduled export (its past runs stay until they expire)',
    tags: ['exports'],
    params: idParam,
    responses: { 204: { description: 'Deleted' }, 404: notFound },
  })
  @Delete('export-schedules/:id')
  @HttpCode(204)
  async deleteSchedule(
    @Param('id') id: string,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
  ): Promise<void> {
    await this.schedules.remove(auditActor(principal, req), id);
  }

  @Roles(...ACCESS.cohorts)
  @ApiDoc({ summary: 'Saved cohorts of the organization, by name', tags: ['cohorts'] })
  @Get('cohorts')
  listCohorts(@CurrentPrincipal() principal: Principal): Promise<Cohort[]> {
    return this.cohorts.list(principal.organizationId);
  }

  @Roles(...ACCESS.cohorts)
  @ApiDoc({
    summary: 'Save a cohort: a name for a set of analytics filters',
    description:
      'Names are unique in the organization. Saving the same name with the same filters again answers the saved ' +
      'cohort (200); with other filters, 409.',
    tags: ['cohorts'],
    body: cohortCreateSchema,
    responses: {
      201: { description: 'Saved' },
      200: { description: 'Already saved with these filters' },
      400: { description: 'Invalid body', schema: apiRef('Error') },
      409: { description: 'The name is taken by other filters', schema: apiRef('Error') },
    },
  })
  @Post('cohorts')
  async createCohort(
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Cohort> {
    const input = parseBody(cohortCreateSchema, body);
    const { cohort, created } = await this.cohorts.create(
      auditActor(principal, req),
      input.name,
      input.filters,
    );
    res.status(created ? 201 : 200);
    return cohort;
  }

  @Roles(...ACCESS.cohorts)
  @ApiDoc({
    summary: 'Rename a cohort or change its filters',
    tags: ['cohorts'],
    params: idParam,
    body: cohortUpdateSchema,
    responses: {
      200: { description: 'The cohort as saved' },
      400: { description: 'Invalid body', schema: apiRef('Error') },
      404: notFound,
      409: { description: 'The new name is taken', schema: apiRef('Error') },
    },
  })
  @Patch('cohorts/:id')
  updateCohort(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
  ): Promise<Cohort> {
    return this.cohorts.update(auditActor(principal, req), id, parseBody(cohortUpdateSchema, body));
  }

  @Roles(...ACCESS.cohorts)
  @ApiDoc({
    summary: 'Delete a cohort (exports made from it keep their filters)',
    tags: ['cohorts'],
    params: idParam,
    responses: { 204: { description: 'Deleted' }, 404: notFound },
  })
  @Delete('cohorts/:id')
  @HttpCode(204)
  async deleteCohort(
    @Param('id') id: string,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
  ): Promise<void> {
    await this.cohorts.remove(auditActor(principal, req), id);
  }

  @Roles(...ACCESS.exports)
  @ApiDoc({
    summary: 'Start an export of a report as a CSV or XLSX file',
    description:
      'report=cohort: one row per application inside the filters (PRODUCT.md "Cohort report definitions"). Give ' +
      "the filters or a saved cohort's id. includeDemographics adds sex and race/ethnicity columns (admins and " +
      'analysts only; audited). The same request at the same data version joins the export already made.',
    tags: ['exports'],
    body: exportCreateSchema,
    responses: {
      202: { description: '{exportId, deduplicated}: poll GET /api/v1/exports/{id}' },
      400: { description: 'Invalid body', schema: apiRef('Error') },
      403: { description: 'Demographics asked by a role that may not see them', schema: apiRef('Error') },
      404: notFound,
    },
  })
  @Post('exports')
  @HttpCode(202)
  createExport(
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
  ): Promise<ExportCreated> {
    return this.exports.create(principal, auditActor(principal, req), parseBody(exportCreateSchema, body));
  }

  @Roles(...ACCESS.exports)
  @ApiDoc({
    summary: 'The latest exports of the organization (at most 100), newest first',
    tags: ['exports'],
  })
  @Get('exports')
  listExports(@CurrentPrincipal() principal: Principal): Promise<ExportSummary[]> {
    return this.exports.list(principal.organizationId);
  }

  @Roles(...ACCESS.exports)
  @ApiDoc({
    summary:
      "An export's status: queued, running (with progress), completed (bytes, sha256) or failed (error)",
    tags: ['exports'],
    params: idParam,
    responses: { 200: { description: 'OK' }, 404: notFound },
  })
  @Get('exports/:id')
  getExport(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<ExportSummary> {
    return this.exports.get(principal.organizationId, id);
  }

  @Roles(...ACCESS.exports)
  @ApiDoc({
    summary: "A completed export's file, streamed (audited)",
    tags: ['exports'],
    params: idParam,
    produces: 'application/octet-stream',
    responses: {
      200: { description: 'The file (text/csv or XLSX), with a readable file name' },
      404: { ...notFound, contentType: 'application/json' },
      409: {
        description: 'Not completed yet, or failed',
        schema: apiRef('Error'),
        contentType: 'application/json',
      },
    },
  })
  @Get('exports/:id/download')
  async download(
    @Param('id') id: string,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const row = await this.exports.downloadable(principal.organizationId, id);
    await this.exports.recordDownload(auditActor(principal, req), row);
    res.setHeader('Content-Type', CONTENT_TYPES[row.format]);
    res.setHeader('Content-Length', String(row.bytes ?? 0));
    res.setHeader('Content-Disposition', `attachment; filename="${row.fileName ?? `export.${row.format}`}"`);
    if (row.sha256) res.setHeader('X-Content-SHA256', row.sha256);
    for await (const chunk of this.exports.chunks(row)) {
      if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
    }
    res.end();
  }
}
