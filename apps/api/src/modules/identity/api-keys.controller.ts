import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Req,
} from '@nestjs/common';
import { ACCESS, ROLES, type ApiKeyCreated, type ApiKeySummary } from '@hiresignal/shared';
import type { Request } from 'express';
import { z } from 'zod';
import { ApiDoc } from '../../common/api-docs.decorator';
import { parseBody } from '../../common/zod-body';
import { auditActor } from '../audit/audit.service';
import { Roles, type Principal } from './access.decorators';
import { ApiKeysService } from './api-keys.service';
import { CurrentPrincipal } from './principal.decorator';

export const createApiKeySchema = z.strictObject({
  name: z.string().trim().min(1, 'is required').max(100),
  role: z.enum(ROLES),
  expiresAt: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).nullable().optional(),
});

export const apiKeyIdSchema = z.strictObject({ id: z.uuid('must be an API key id') });

@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Roles(...ACCESS.team)
  @ApiDoc({ summary: 'API keys: prefix, name, role, creator, last use, expiry, status (never the key)' })
  @Get()
  list(@CurrentPrincipal() principal: Principal): Promise<ApiKeySummary[]> {
    return this.keys.list(principal.organizationId);
  }

  @Roles(...ACCESS.team)
  @ApiDoc({
    summary: 'Create an API key; the answer is the only time the key is shown',
    body: createApiKeySchema,
    responses: { 201: { description: 'The key and its summary' }, 400: { description: 'Invalid body' } },
  })
  @Post()
  create(
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
  ): Promise<ApiKeyCreated> {
    const input = parseBody(createApiKeySchema, body);
    const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
    if (expiresAt && expiresAt.getTime() <= Date.now()) {
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: 'The request body is invalid',
        errors: [{ field: 'expiresAt', message: 'must be in the future' }],
      });
    }
    return this.keys.create(auditActor(principal, req), { name: input.name, role: input.role, expiresAt });
  }

  @Roles(...ACCESS.team)
  @ApiDoc({
    summary: 'Revoke an API key: it answers 401 from now on',
    params: apiKeyIdSchema,
    responses: { 204: { description: 'Revoked' }, 404: { description: 'No such key in this organization' } },
  })
  @Delete(':id')
  @HttpCode(204)
  async revoke(
    @Param() params: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
  ): Promise<void> {
    const { id } = parseBody(apiKeyIdSchema, params);
    await this.keys.revoke(auditActor(principal, req), id);
  }
}
