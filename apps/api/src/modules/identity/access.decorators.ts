import { SetMetadata } from '@nestjs/common';
import type { Role } from '@hiresignal/shared';

export const ACCESS_METADATA = 'hiresignal:access';

export type AccessPolicy = { kind: 'public' } | { kind: 'roles'; roles: readonly Role[] };

/** The route needs no credentials (login, health). */
export const Public = () => SetMetadata(ACCESS_METADATA, { kind: 'public' } satisfies AccessPolicy);

/** The route needs a signed-in user or API key with one of these roles. */
export const Roles = (...roles: [Role, ...Role[]]) =>
  SetMetadata(ACCESS_METADATA, { kind: 'roles', roles } satisfies AccessPolicy);

export const TOKEN_ACCESS_METADATA = 'hiresignal:token-access';

/** A configured secret that may stand in for a role on a route (machines without an organization: scrapers). */
export type AccessToken = 'METRICS_TOKEN';

/**
 * Besides the roles of @Roles(...), the route accepts `Authorization: Bearer <the configured token>` (compared in
 * constant time). Without the setting, only the roles.
 */
export const OrBearerToken = (setting: AccessToken) => SetMetadata(TOKEN_ACCESS_METADATA, setting);

/** Who is calling; set by the AuthGuard on every authenticated request. */
export interface Principal {
  organizationId: string;
  role: Role;
  userId: string | null;
  apiKeyId: string | null;
  email: string | null;
  /** Where the request came from (req.ip, honouring the trusted-proxy setting), for the audit log. */
  ip?: string | null;
  userAgent?: string | null;
}
