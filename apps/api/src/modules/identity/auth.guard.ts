import {
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { runAsSystem } from '../../database/tenancy';
import { userAgentOf } from '../audit/audit.service';
import {
  ACCESS_METADATA,
  TOKEN_ACCESS_METADATA,
  type AccessPolicy,
  type AccessToken,
} from './access.decorators';
import { IdentityService } from './identity.service';
import { SessionsService } from './sessions.service';
import type { AuthenticatedRequest } from './principal.decorator';
import { sameSecret, SESSION_COOKIE } from './secrets';

/**
 * The one global guard. Deny by default: a route that declares neither @Public() nor @Roles(...) is refused
 * (and AccessPolicyCheck stops the app from booting with such a route at all).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly identity: IdentityService,
    private readonly sessions: SessionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const policy = this.reflector.getAllAndOverride<AccessPolicy | undefined>(ACCESS_METADATA, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!policy) throw new ForbiddenException('This route declares no access policy');
    if (policy.kind === 'public') return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    // A route open to a configured token (GET /api/metrics): the token passes without an organization or a role.
    const tokenSetting = this.reflector.get<AccessToken | undefined>(
      TOKEN_ACCESS_METADATA,
      context.getHandler(),
    );
    if (tokenSetting && this.presentsToken(request, tokenSetting)) return true;
    // Finding the key or session is a lookup across organizations, before the caller's organization is known.
    const principal = await runAsSystem(() => this.authenticate(request));
    if (!principal)
      throw new UnauthorizedException('Sign in, or send an API key as "Authorization: Bearer <key>"');
    if (!policy.roles.includes(principal.role)) {
      throw new ForbiddenException(
        `Role ${principal.role} may not use this route (allowed: ${policy.roles.join(', ')})`,
      );
    }
    // The request's origin rides with the principal, so every audit entry written for it names where it came from.
    request.principal = { ...principal, ip: request.ip ?? null, userAgent: userAgentOf(request) };
    return true;
  }

  private presentsToken(request: AuthenticatedRequest, setting: AccessToken): boolean {
    const expected = this.config[setting];
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    return expected !== undefined && match !== null && sameSecret(match[1], expected);
  }

  private async authenticate(request: AuthenticatedRequest) {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) throw new UnauthorizedException('The Authorization header must be "Bearer <api key>"');
      return this.identity.authenticateApiKey(match[1]);
    }
    const cookies = (request as { cookies?: Record<string, string> }).cookies;
    const token = cookies?.[SESSION_COOKIE];
    return token ? this.sessions.authenticateSession(token) : null;
  }
}
