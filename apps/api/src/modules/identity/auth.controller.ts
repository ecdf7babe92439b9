import {
  Body,
  Controller,
  Delete,
  ForbiddenException,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Req,
  Res,
} from '@nestjs/common';
import { ROLES, type SessionInfo, type SessionSummary } from '@hiresignal/shared';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { parseBody } from '../../common/zod-body';
import { Public, Roles, type Principal } from './access.decorators';
import { IdentityService } from './identity.service';
import { SessionsService, sessionToken } from './sessions.service';
import { CurrentPrincipal } from './principal.decorator';

const loginSchema = z.strictObject({
  email: z.string().trim().min(1, 'is required').max(320),
  password: z.string().min(1, 'is required').max(1024),
});

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
  @Get('sessions')
  listSessions(@CurrentPrincipal() principal: Principal, @Req() req: Request): Promise<SessionSummary[]> {
    return this.sessions.listSessions(userOf(principal), sessionToken(req));
  }

  /** Ends one of the signed-in user's own sessions (the current one too: that signs out). 404 if not theirs. */
  @Roles(...ROLES)
  @Delete('sessions/:id')
  @HttpCode(204)
  async endSession(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<void> {
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
