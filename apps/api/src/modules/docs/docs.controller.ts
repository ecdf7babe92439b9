import { Controller, Get, Header } from '@nestjs/common';
import { ApiDoc } from '../../common/api-docs.decorator';
import { Public } from '../identity/access.decorators';
import { OpenApiService } from './openapi.service';

@Controller()
export class DocsController {
  constructor(private readonly docs: OpenApiService) {}

  /** The OpenAPI 3.1 description of the API, generated from the routes. Public: it describes the routes, not data. */
  @Public()
  @ApiDoc({
    summary: 'This document',
    description:
      'OpenAPI 3.1, generated from the routes the API has: their access (x-roles) and the zod schemas they validate with.',
    tags: ['health'],
    responses: { 200: { description: 'OpenAPI 3.1 JSON', schema: { type: 'object' } } },
  })
  @Get('openapi.json')
  @Header('Cache-Control', 'no-cache')
  openapi() {
    return this.docs.document();
  }
}
