import { Body, Controller, Get, HttpCode, Param, Patch, Post, Req } from '@nestjs/common';
import {
  ACCESS,
  ROLES,
  type InvitationCreated,
  type PasswordResetCreated,
  type TeamUser,
} from '@hiresignal/shared';
import type { Request } from 'express';
import { z } from 'zod';
import { ApiDoc } from '../../common/api-docs.decorator';
import { parseBody } from '../../common/zod-body';
import { auditActor } from '../audit/audit.service';
import { Roles, type Principal } from './access.decorators';
import { CurrentPrincipal } from './principal.decorator';
import { UsersService } from './users.service';

export const invitationSchema = z.strictObject({
  email: z.email('must be an email address').max(320),
  role: z.enum(ROLES),
});

export const userPatchSchema = z
  .strictObject({ role: z.enum(ROLES).optional(), disabled: z.boolean().optional() })
  .refine((patch) => patch.role !== undefined || patch.disabled !== undefined, 'give role, disabled or both');

export const userIdSchema = z.strictObject({ id: z.uuid('must be a user id') });

/** The address links are built on when PUBLIC_URL is unset: the one the admin reached us at. */
export function requestOrigin(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

@Controller('v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Roles(...ACCESS.team)
  @ApiDoc({ summary: "The organization's users with role, status and last sign-in" })
  @Get()
  list(@CurrentPrincipal() principal: Principal): Promise<TeamUser[]> {
    return this.users.list(principal.organizationId);
  }

  @Roles(...ACCESS.team)
  @ApiDoc({
    summary: 'Invite a person with a role: answers a single-use link to pass on',
    body: invitationSchema,
    responses: {
      201: { description: 'The invitation; `url` is shown once and works once, until `expiresAt`' },
      400: { description: 'Invalid body' },
      409: { description: 'The email already has an account' },
    },
  })
  @Post('invitations')
  invite(
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
  ): Promise<InvitationCreated> {
    const { email, role } = parseBody(invitationSchema, body);
    return this.users.invite(auditActor(principal, req), email, role, requestOrigin(req));
  }

  @Roles(...ACCESS.team)
  @ApiDoc({
    summary: 'Change a role, or disable or enable a user (a disabled user is signed out at once)',
    body: userPatchSchema,
    params: userIdSchema,
    responses: {
      200: { description: 'The user after the change' },
      404: { description: 'No such user in this organization' },
      409: { description: 'The change would leave the organization without an active admin' },
    },
  })
  @Patch(':id')
  update(
    @Param() params: unknown,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
  ): Promise<TeamUser> {
    const { id } = parseBody(userIdSchema, params);
    return this.users.update(auditActor(principal, req), id, parseBody(userPatchSchema, body));
  }

  @Roles(...ACCESS.team)
  @ApiDoc({
    summary: 'A single-use link for the user to choose a new password',
    params: userIdSchema,
    responses: { 201: { description: 'The link, shown once' }, 404: { description: 'No such user' } },
  })
  @Post(':id/password-reset')
  @HttpCode(201)
  passwordReset(
    @Param() params: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
  ): Promise<PasswordResetCreated> {
    const { id } = parseBody(userIdSchema, params);
    return this.users.passwordReset(auditActor(principal, req), id, requestOrigin(req));
  }
}
