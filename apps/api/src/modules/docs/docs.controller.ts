import { Controller, Get, Header } from '@nestjs/common';
import { Public } from '../identity/access.decorators';
import { OPENAPI_DOCUMENT } from './openapi-document';

@Controller()
export class DocsController {
  /** The OpenAPI 3.1 description of the API. */
  @Public()
  @Get('openapi.json')
  @Header('Cache-Control', 'no-cache')
  openapi() {
    return OPENAPI_DOCUMENT;
  }
}
