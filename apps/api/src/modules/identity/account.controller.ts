import { Body, Controller, ForbiddenException, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { PASSWORD_MAX_LENGTH, ROLES, type InvitationInfo, type SessionInfo } from '@hiresignal/shared';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { ApiDoc } from '../../common/api-docs.decorator';
import { parseBody } from '../../common/zod-body';
import { auditActor } from '../audit/audit.service';
import { Public, Roles, type Principal } from './access.decorators';
import { IdentityService } from './identity.service';
import { CurrentPrincipal } from './principal.decorator';
import { SESSION_COOKIE } from './secrets';
import { SessionsService } from './sessions.service';
import { UsersService } from './users.service';

export const acceptInvitationSchema = z.strictObject({
  token: z.string().min(1, 'is required').max(200),
  password: z.string().max(PASSWORD_MAX_LENGTH),
});

export const changePasswordSchema = z.strictObject({
  currentPassword: z.string().min(1, 'is required').max(PASSWORD_MAX_LENGTH),
  newPassword: z.string().max(PASSWORD_MAX_LENGTH),
});

export const linkTokenSchema = z.strictObject({ token: z.string().min(1).max(200) });

/** The signed-in user's own account, and the single-use links that let a person set a password. */
@Controller('v1/auth')
export class AccountController {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly identity: IdentityService,
  ) {}

  @Public()
  @ApiDoc({
    summary: 'What an invitation or password-reset link is for (who, which organization, until when)',
    params: linkTokenSchema,
    responses: {
      200: { description: 'The link is live' },
      404: { description: 'Unknown link' },
      410: { description: 'The link was used or has expired' },
    },
  })
  @Get('invitations/:token')
  linkInfo(@Param() params: unknown): Promise<InvitationInfo> {
    return this.users.linkInfo(parseBody(linkTokenSchema, params).token);
  }

  @Public()
  @ApiDoc({
    summary: 'Set a password with an invitation or reset link, and sign in',
    body: acceptInvitationSchema,
    responses: {
      200: { description: 'Signed in (sets the session cookie)' },
      404: { description: 'Unknown link' },
      410: { description: 'The link was used or has expired' },
      422: { description: 'The password breaks the policy; `problems` says how' },
    },
  })
  @Post('accept-invitation')
  @HttpCode(200)
  async accept(
    @Body() body: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SessionInfo> {
    const { token, password } = parseBody(acceptInvitationSchema, body);
    const user = await this.users.acceptLink(token, password);
    await this.sessions.signIn(user, req, res);
    return {
      userId: user.id,
      email: user.email,
      role: user.role,
      organizationId: user.organizationId,
      organizationName: await this.identity.organizationName(user.organizationId),
    };
  }

  @Roles(...ROLES)
  @ApiDoc({
    summary: 'Change your own password; your other sessions end',
    body: changePasswordSchema,
    responses: {
      204: { description: 'Changed' },
      422: { description: 'Wrong current password, or the new one breaks the policy' },
    },
  })
  @Post('password')
  @HttpCode(204)
  async changePassword(
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
  ): Promise<void> {
    const { currentPassword, newPassword } = parseBody(changePasswordSchema, body);
    if (!principal.userId) throw new ForbiddenException('An API key has no password');
    const token = (req as { cookies?: Record<string, string> }).cookies?.[SESSION_COOKIE];
    const keep = token ? await this.sessions.sessionIdOf(token) : null;
    await this.users.changePassword(
      { ...auditActor(principal, req), userId: principal.userId },
      currentPassword,
      newPassword,
      keep,
    );
  }
}
