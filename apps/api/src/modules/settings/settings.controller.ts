import { Body, Controller, Get, Put } from '@nestjs/common';
import {
  ACCESS,
  organizationSettingsSchema,
  pipelineStagesSchema,
  type OrganizationSettings,
  type PipelineStagesSetting,
} from '@hiresignal/shared';
import { ApiDoc, apiRef } from '../../common/api-docs.decorator';
import { parseBody } from '../../common/zod-body';
import { AuditService } from '../audit/audit.service';
import { Roles, type Principal } from '../identity/access.decorators';
import { CurrentPrincipal } from '../identity/principal.decorator';
import { SettingsService } from './settings.service';

/** JSON Schema of PipelineStagesSetting (libs/shared analytics.ts). */
const PIPELINE_STAGES_RESPONSE = {
  type: 'object',
  required: ['stages', 'source', 'configured', 'seen'],
  properties: {
    stages: { type: 'array', items: { type: 'string' } },
    source: { type: 'string', enum: ['settings', 'data'] },
    configured: { type: ['array', 'null'], items: { type: 'string' } },
    seen: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          stage: { type: 'string' },
          events: { type: 'integer' },
          mapped: { type: 'boolean' },
        },
      },
    },
  },
};

@Controller('v1/settings')
export class SettingsController {
  constructor(
    private readonly settings: SettingsService,
    private readonly audit: AuditService,
  ) {}

  @Roles(...ACCESS.settingsRead)
  @ApiDoc({
    summary: "The organization's analytics settings",
    responses: { 200: { description: 'OK', schema: apiRef('OrganizationSettings') } },
  })
  @Get()
  async get(@CurrentPrincipal() principal: Principal): Promise<OrganizationSettings> {
    return (await this.settings.snapshot(principal.organizationId)).settings;
  }

  /** Changes some settings; analytics key their cache on the settings, so the next report uses them. */
  @Roles(...ACCESS.settingsWrite)
  @ApiDoc({
    summary: 'Change analytics settings (fields omitted keep their value)',
    description: 'Analytics key their cache on the settings, so the next report uses them.',
    body: organizationSettingsSchema,
    responses: {
      200: { description: 'The settings after the change', schema: apiRef('OrganizationSettings') },
      400: { description: 'Invalid body', schema: apiRef('Error') },
    },
  })
  @Put()
  async put(@Body() body: unknown, @CurrentPrincipal() principal: Principal): Promise<OrganizationSettings> {
    const change = parseBody(organizationSettingsSchema, body);
    const settings = await this.settings.update(principal.organizationId, change);
    await this.audit.record(
      principal,
      'settings.updated',
      { type: 'organization', id: principal.organizationId },
      {
        ...change,
      },
    );
    return settings;
  }

  @Roles(...ACCESS.settingsRead)
  @ApiDoc({
    summary: "The funnel's pipeline stages",
    description:
      "The ordered stage list the funnel uses: the organization's own (source 'settings') or, when it has none, the " +
      "stages seen in the stage events in their usual order (source 'data'); and every stage seen with its event " +
      'count and whether the list maps it (events on unmapped stages are counted as unmapped in the funnel).',
    responses: { 200: { description: 'OK', schema: PIPELINE_STAGES_RESPONSE } },
  })
  @Get('pipeline-stages')
  getPipelineStages(@CurrentPrincipal() principal: Principal): Promise<PipelineStagesSetting> {
    return this.settings.pipelineStages(principal.organizationId);
  }

  @Roles(...ACCESS.settingsWrite)
  @ApiDoc({
    summary: "Set the funnel's pipeline stages (null: follow the data)",
    body: pipelineStagesSchema,
    responses: {
      200: { description: 'The stage list after the change', schema: PIPELINE_STAGES_RESPONSE },
      400: { description: 'Invalid body', schema: apiRef('Error') },
    },
  })
  @Put('pipeline-stages')
  async putPipelineStages(
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<PipelineStagesSetting> {
    const { stages } = parseBody(pipelineStagesSchema, body);
    const result = await this.settings.setPipelineStages(principal.organizationId, stages);
    await this.audit.record(
      principal,
      'settings.updated',
      { type: 'organization', id: principal.organizationId },
      { pipelineStages: stages },
    );
    return result;
  }
}
