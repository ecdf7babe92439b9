import type { AppConfig } from '../config/config';
import { openDatabase } from '../database/data-source';
import { AuditService } from '../modules/audit/audit.service';
import { IdentityService } from '../modules/identity/identity.service';

/** `admin create-org`: an organization with an admin user and an admin API key, printed as JSON. */
export async function createOrganizationCommand(
  config: AppConfig,
  input: { name: string; adminEmail?: string; adminPassword?: string },
) {
  const db = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    poolSize: 2,
    embeddedDataDir: config.PGLITE_DATA_DIR,
  });
  try {
    const identity = new IdentityService(db.dataSource, new AuditService(db.dataSource));
    const org = await identity.createOrganization(input);
    return {
      organizationId: org.organizationId,
      apiKey: org.apiKey,
      adminEmail: org.adminEmail,
      adminPassword: org.adminPassword,
    };
  } finally {
    await db.close();
  }
}
