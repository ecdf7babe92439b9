import { Body, Controller, Get, Put } from '@nestjs/common';
import { ACCESS, organizationSettingsSchema, type OrganizationSettings } from '@hiresignal/shared';
import { ApiDoc, apiRef } from '../../common/api-docs.decorator';
import { parseBody } from '../../common/zod-body';
import { AuditService } from '../audit/audit.service';
import { Roles, type Principal } from '../identity/access.decorators';
import { CurrentPrincipal } from '../identity/principal.decorator';
import { SettingsService } from './settings.service';

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
}
