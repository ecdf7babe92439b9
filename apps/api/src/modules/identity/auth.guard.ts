import {
  ForbiddenException,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { runAsSystem } from '../../database/tenancy';
import { userAgentOf } from '../audit/audit.service';
import { ACCESS_METADATA, type AccessPolicy } from './access.decorators';
import { IdentityService } from './identity.service';
import { SessionsService } from './sessions.service';
import type { AuthenticatedRequest } from './principal.decorator';
import { SESSION_COOKIE } from './secrets';

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
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const policy = this.reflector.getAllAndOverride<AccessPolicy | undefined>(ACCESS_METADATA, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!policy) throw new ForbiddenException('This route declares no access policy');
    if (policy.kind === 'public') return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
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
