import {
  Body,
  Controller,
  Delete,
  ForbiddenException,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Req,
  Res,
} from '@nestjs/common';
import { ROLES, type SessionInfo, type SessionSummary } from '@hiresignal/shared';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { ApiDoc, apiRef } from '../../common/api-docs.decorator';
import { parseBody } from '../../common/zod-body';
import { Public, Roles, type Principal } from './access.decorators';
import { IdentityService } from './identity.service';
import { SessionsService, sessionToken } from './sessions.service';
import { CurrentPrincipal } from './principal.decorator';

export const loginSchema = z.strictObject({
  email: z.string().trim().min(1, 'is required').max(320),
  password: z.string().min(1, 'is required').max(1024),
});

const sessionIdSchema = z.strictObject({ id: z.uuid('must be a session id') });

@Controller('v1/auth')
export class AuthController {
  constructor(
    private readonly identity: IdentityService,
    private readonly sessions: SessionsService,
  ) {}

  /**
   * 200 with the session cookie; 401 wrong email or password; 403 a disabled account; 429 too many failures
   * (Retry-After); 503 too many sign-ins being checked at once (Retry-After).
   */
  @Public()
  @ApiDoc({
    summary:
      'Sign in with email and password; sets an httpOnly session cookie (a presented old one is ended)',
    description:
      'Throttled per email and per client address: from the 5th (email) or 20th (address) failure within 15 ' +
      'minutes the key is locked for 60 s, doubling with each further failure up to 15 minutes. Must come from ' +
      'the same origin as JSON (see the README, "Sign-in protection").',
    body: loginSchema,
    responses: {
      200: { description: 'Signed in', schema: apiRef('SessionInfo') },
      401: { description: 'Wrong email or password' },
      403: { description: 'The account is disabled, or the request came from another origin' },
      429: { description: 'Too many failed sign-ins: locked for Retry-After seconds' },
      503: { description: 'Too many sign-ins being checked at once: retry after Retry-After seconds' },
    },
  })
  @Post('login')
  @HttpCode(200)
  async login(
    @Body() body: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SessionInfo> {
    const { email, password } = parseBody(loginSchema, body);
    const { principal } = await this.sessions.login(email, password, req, res);
    return this.sessionInfo(principal);
  }

  @Roles(...ROLES)
  @ApiDoc({
    summary: 'Sign out: ends this session and clears the cookie',
    responses: { 204: { description: 'Signed out' } },
  })
  @Post('logout')
  @HttpCode(204)
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const token = sessionToken(req);
    if (token) await this.sessions.logout(token);
    this.sessions.clearCookie(req, res);
  }

  @Roles(...ROLES)
  @Get('me')
  me(@CurrentPrincipal() principal: Principal): Promise<SessionInfo> {
    return this.sessionInfo(principal);
  }

  /** The signed-in user's own sessions. An API key has no sessions: 403. */
  @Roles(...ROLES)
  @ApiDoc({
    summary: 'Your own live sessions (where and when from), most recently used first; `current` is this one',
    responses: {
      200: {
        description: 'SessionSummary[]',
        schema: {
          type: 'array',
          items: {
            type: 'object',
            required: ['id', 'createdAt', 'lastSeenAt', 'expiresAt', 'ip', 'userAgent', 'current'],
            properties: {
              id: { type: 'string', format: 'uuid' },
              createdAt: { type: 'string', format: 'date-time' },
              lastSeenAt: { type: 'string', format: 'date-time' },
              expiresAt: { type: 'string', format: 'date-time' },
              ip: { type: ['string', 'null'] },
              userAgent: { type: ['string', 'null'] },
              current: { type: 'boolean' },
            },
          },
        },
      },
      403: { description: 'An API key: it has no sessions' },
    },
  })
  @Get('sessions')
  listSessions(@CurrentPrincipal() principal: Principal, @Req() req: Request): Promise<SessionSummary[]> {
    return this.sessions.listSessions(userOf(principal), sessionToken(req));
  }

  /** Ends one of the signed-in user's own sessions (the current one too: that signs out). 404 if not theirs. */
  @Roles(...ROLES)
  @ApiDoc({
    summary: 'End one of your own sessions (this one too: that signs out)',
    params: sessionIdSchema,
    responses: {
      204: { description: 'Ended' },
      403: { description: 'An API key: it has no sessions' },
      404: { description: 'You have no session with that id' },
    },
  })
  @Delete('sessions/:id')
  @HttpCode(204)
  async endSession(@CurrentPrincipal() principal: Principal, @Param() params: unknown): Promise<void> {
    const { id } = parseBody(sessionIdSchema, params);
    if (!(await this.sessions.endSession(userOf(principal), id))) {
      throw new NotFoundException('No such session of yours');
    }
  }

  private async sessionInfo(principal: Principal): Promise<SessionInfo> {
    return {
      userId: principal.userId,
      email: principal.email,
      role: principal.role,
      organizationId: principal.organizationId,
      organizationName: await this.identity.organizationName(principal.organizationId),
    };
  }
}

function userOf(principal: Principal): string {
  if (!principal.userId)
    throw new ForbiddenException('Sessions belong to signed-in users; an API key has none');
  return principal.userId;
}
