import { Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { isRole, ROLES, type Role } from '@hiresignal/shared';
import { CoreModule } from '../app.module';
import type { AppConfig } from '../config/config';
import { openDatabase } from '../database/data-source';
import { IdentityModule } from '../modules/identity/identity.module';
import { IdentityService } from '../modules/identity/identity.service';
import { UsersService } from '../modules/identity/users.service';
import { InProcessDriver } from '../modules/queue/in-process.driver';

/*
 * Operator commands. They open the database themselves: a PostgreSQL server while the API runs, or the embedded
 * PGlite directory only when no server holds it (PGlite is one process's database; the server keeps a lock file
 * in its data directory, and the commands refuse, saying so, while it is there).
 */

@Module({})
class AdminCliModule {
  static forRoot(config: AppConfig, db: Awaited<ReturnType<typeof openDatabase>>): DynamicModule {
    return {
      module: AdminCliModule,
      imports: [CoreModule.forRoot(config, db, new InProcessDriver()), IdentityModule],
    };
  }
}

async function withIdentity<T>(
  config: AppConfig,
  run: (app: INestApplicationContext) => Promise<T>,
): Promise<T> {
  const db = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    poolSize: 2,
    embeddedDataDir: config.PGLITE_DATA_DIR,
  });
  let app: INestApplicationContext | undefined;
  try {
    app = await NestFactory.createApplicationContext(AdminCliModule.forRoot(config, db), {
      logger: ['error'],
    });
    return await run(app);
  } finally {
    await app?.close();
    await db.close();
  }
}

/** Links printed by the CLI point at PUBLIC_URL, else at the address the server listens on. */
function linkOrigin(config: AppConfig): string {
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  return config.PUBLIC_URL ?? `http://${host}:${config.PORT}`;
}

const CLI_ACTOR = { userId: null, apiKeyId: null, ip: null, userAgent: 'hiresignal admin CLI' };

/** `admin create-org`: an organization with an admin user and an admin API key, printed as JSON. */
export async function createOrganizationCommand(
  config: AppConfig,
  input: { name: string; adminEmail?: string; adminPassword?: string },
) {
  return withIdentity(config, async (app) => {
    const org = await app.get(IdentityService).createOrganization(input);
    return {
      organizationId: org.organizationId,
      apiKey: org.apiKey,
      adminEmail: org.adminEmail,
      adminPassword: org.adminPassword,
    };
  });
}

/** `admin create-user`: an invited user and the single-use link to set a password. */
export async function createUserCommand(
  config: AppConfig,
  input: { org: string; email: string; role: string },
) {
  const role = checkRole(input.role);
  return withIdentity(config, async (app) => {
    const identity = app.get(IdentityService);
    const organizationId = await identity.resolveOrganization(input.org);
    const link = await app
      .get(UsersService)
      .invite({ organizationId, ...CLI_ACTOR }, input.email, role, linkOrigin(config));
    return {
      userId: link.userId,
      email: link.email,
      role: link.role,
      url: link.url,
      expiresAt: link.expiresAt,
    };
  });
}

/** `admin reset-password`: a single-use link for the user with this email to choose a new password. */
export async function resetPasswordCommand(config: AppConfig, input: { email: string }) {
  return withIdentity(config, async (app) => {
    const user = await app.get(IdentityService).findUserByEmail(input.email);
    const link = await app
      .get(UsersService)
      .passwordReset({ organizationId: user.organizationId, ...CLI_ACTOR }, user.id, linkOrigin(config));
    return { userId: link.userId, email: link.email, url: link.url, expiresAt: link.expiresAt };
  });
}

/** `admin list-users`: the organization's users. */
export async function listUsersCommand(config: AppConfig, input: { org: string }) {
  return withIdentity(config, async (app) => {
    const organizationId = await app.get(IdentityService).resolveOrganization(input.org);
    return app.get(UsersService).list(organizationId);
  });
}

function checkRole(role: string): Role {
  if (!isRole(role)) throw new Error(`--role must be one of ${ROLES.join(', ')} (got "${role}")`);
  return role;
}
