import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Post,
  Req,
  Res,
  UnauthorizedException,
} from '@nestjs/common';
import { ROLES, type SessionInfo } from '@hiresignal/shared';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { parseBody } from '../../common/zod-body';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { Public, Roles, type Principal } from './access.decorators';
import { IdentityService } from './identity.service';
import { SessionsService } from './sessions.service';
import { CurrentPrincipal } from './principal.decorator';
import { SESSION_COOKIE } from './secrets';

const loginSchema = z.strictObject({
  email: z.string().trim().min(1, 'is required').max(320),
  password: z.string().min(1, 'is required').max(1024),
});

@Controller('v1/auth')
export class AuthController {
  constructor(
    private readonly identity: IdentityService,
    private readonly sessions: SessionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  async login(@Body() body: unknown, @Res({ passthrough: true }) res: Response): Promise<SessionInfo> {
    const { email, password } = parseBody(loginSchema, body);
    const result = await this.sessions.login(email, password, this.config.SESSION_TTL_HOURS);
    if (!result) throw new UnauthorizedException('Wrong email or password');
    res.cookie(SESSION_COOKIE, result.token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.config.COOKIE_SECURE,
      path: '/',
      expires: result.expiresAt,
    });
    return this.sessionInfo(result.principal);
  }

  @Roles(...ROLES)
  @Post('logout')
  @HttpCode(204)
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const token = (req as { cookies?: Record<string, string> }).cookies?.[SESSION_COOKIE];
    if (token) await this.sessions.logout(token);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  @Roles(...ROLES)
  @Get('me')
  me(@CurrentPrincipal() principal: Principal): Promise<SessionInfo> {
    return this.sessionInfo(principal);
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
