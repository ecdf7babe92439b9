import { Body, Controller, Get, NotFoundException, Param, Put } from '@nestjs/common';
import { ACCESS, ATS_VENDORS, isAtsVendor, type AtsMapping, type AtsVendor } from '@hiresignal/shared';
import { ApiDoc, apiRef } from '../../common/api-docs.decorator';
import { Roles, type Principal } from '../identity/access.decorators';
import { CurrentPrincipal } from '../identity/principal.decorator';
import { AtsMappingService, atsMappingUpdateSchema } from './ats-mapping.service';

const vendorParam = { type: 'object', properties: { vendor: { type: 'string', enum: [...ATS_VENDORS] } } };

@Controller('v1/imports/mappings')
export class ConnectorsController {
  constructor(private readonly mappings: AtsMappingService) {}

  @Roles(...ACCESS.importsRead)
  @ApiDoc({
    summary: "How an ATS's stage and scorecard names map to ours",
    tags: ['imports'],
    params: vendorParam,
    responses: {
      200: { description: 'OK', schema: apiRef('AtsMapping') },
      404: { description: 'Unknown ATS', schema: apiRef('Error') },
    },
  })
  @Get(':vendor')
  get(@Param('vendor') vendor: string, @CurrentPrincipal() principal: Principal): Promise<AtsMapping> {
    return this.mappings.get(principal.organizationId, checkVendor(vendor));
  }

  @Roles(...ACCESS.importsWrite)
  @ApiDoc({
    summary: "Replace an ATS mapping's custom entries",
    description:
      'An entry with target null ignores the name; a name left out falls back to its default (normalized-name match).',
    tags: ['imports'],
    params: vendorParam,
    body: atsMappingUpdateSchema,
    responses: {
      200: { description: 'The mapping after the change', schema: apiRef('AtsMapping') },
      404: { description: 'Unknown ATS', schema: apiRef('Error') },
      422: {
        description: 'Invalid mapping, or a target that is no known stage or criterion',
        schema: apiRef('Error'),
      },
    },
  })
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
