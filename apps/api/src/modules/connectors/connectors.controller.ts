import { Body, Controller, Get, NotFoundException, Param, Put } from '@nestjs/common';
import { ATS_VENDORS, isAtsVendor, type AtsMapping, type AtsVendor } from '@hiresignal/shared';
import { Roles, type Principal } from '../identity/access.decorators';
import { CurrentPrincipal } from '../identity/principal.decorator';
import { AtsMappingService } from './ats-mapping.service';

@Controller('v1/imports/mappings')
export class ConnectorsController {
  constructor(private readonly mappings: AtsMappingService) {}

  @Roles('admin')
  @Get(':vendor')
  get(@Param('vendor') vendor: string, @CurrentPrincipal() principal: Principal): Promise<AtsMapping> {
    return this.mappings.get(principal.organizationId, checkVendor(vendor));
  }

  @Roles('admin')
  @Put(':vendor')
  put(
    @Param('vendor') vendor: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AtsMapping> {
    return this.mappings.put(principal, checkVendor(vendor), body);
  }
}

function checkVendor(vendor: string): AtsVendor {
  if (!isAtsVendor(vendor))
    throw new NotFoundException(`Unknown ATS "${vendor}": one of ${ATS_VENDORS.join(', ')}`);
  return vendor;
}
