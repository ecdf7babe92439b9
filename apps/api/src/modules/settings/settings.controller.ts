import { Body, Controller, Get, Put } from '@nestjs/common';
import { organizationSettingsSchema, ROLES, type OrganizationSettings } from '@hiresignal/shared';
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

  @Roles(...ROLES)
  @Get()
  async get(@CurrentPrincipal() principal: Principal): Promise<OrganizationSettings> {
    return (await this.settings.snapshot(principal.organizationId)).settings;
  }

  /** Changes some settings; analytics key their cache on the settings, so the next report uses them. */
  @Roles('admin')
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
