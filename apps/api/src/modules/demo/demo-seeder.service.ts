import { Inject, Injectable, Logger } from '@nestjs/common';
import { generateDemoData } from '@hiresignal/demo-data';
import { RECORD_KINDS } from '@hiresignal/shared';
import { DataSource, In } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import type { Principal } from '../identity/access.decorators';
import { IdentityService } from '../identity/identity.service';
import { hashPassword, newPassword } from '../identity/secrets';
import { User } from '../identity/user.entity';
import { AuditService } from '../audit/audit.service';
import { ImportRun } from '../ingestion/import-run.entity';
import { IngestionService } from '../ingestion/ingestion.service';
import { Organization } from '../organizations/organization.entity';
import { RubricsService } from '../records/rubrics.service';

export const DEMO_SLUG = 'demo';
export const DEMO_EMAIL = 'admin@demo.hiresignal.local';
const DEMO_SEED = 20261126;

export interface DemoSeedResult {
  created: boolean;
  organizationId: string;
  email: string;
  /**
   * A generated password to show: when this call created the organization, or when it found the demo admin's
   * earlier generated password never used (no sign-in, no change) and replaced it (`renewed`).
   */
  password?: string;
  apiKey?: string;
  renewed?: boolean;
}

/**
 * Seeds the demo organization of PRODUCT.md on an empty database, through the same ingestion path as any
 * customer's data (validation, queue, upserts), and waits until every import has completed.
 */
@Injectable()
export class DemoSeeder {
  private readonly logger = new Logger('DemoSeeder');

  constructor(
    private readonly db: DataSource,
    private readonly identity: IdentityService,
    private readonly ingestion: IngestionService,
    private readonly rubrics: RubricsService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async seedIfEmpty(): Promise<DemoSeedResult> {
    const existing = await this.db.getRepository(Organization).findOne({ where: { slug: DEMO_SLUG } });
    if (existing) {
      const password = await this.renewUnusedPassword(existing.id);
      return {
        created: false,
        organizationId: existing.id,
        email: DEMO_EMAIL,
        ...(password ? { password, renewed: true } : {}),
      };
    }

    const started = Date.now();
    const data = generateDemoData({
      applications: this.config.DEMO_APPLICATIONS,
      seed: DEMO_SEED,
      asOf: new Date(),
    });
    const org = await this.identity.createOrganization({
      name: data.organization.name,
      slug: DEMO_SLUG,
      adminEmail: DEMO_EMAIL,
      adminPassword: this.config.DEMO_PASSWORD,
      apiKey: this.config.DEMO_API_KEY,
    });
    await this.rubrics.put(org.organizationId, { ...data.rubric, isDefault: true });
    // The demo's pipeline stages (PRODUCT.md): its 'hiring_manager_chat' events stay unmapped.
    await this.db.query(`UPDATE organizations SET pipeline_stages = $2::text[] WHERE id = $1`, [
      org.organizationId,
      data.stages,
    ]);
    const principal: Principal = {
      organizationId: org.organizationId,
      role: 'admin',
      userId: null,
      apiKeyId: null,
      email: null,
    };
    const chunk = this.config.MAX_RECORDS_PER_REQUEST;
    const importIds: string[] = [];
    for (const kind of RECORD_KINDS) {
      const records = data.records[kind] as unknown[];
      for (let i = 0; i < records.length; i += chunk) {
        const { importId } = await this.ingestion.submit(principal, kind, {
          records: records.slice(i, i + chunk),
        });
        importIds.push(importId);
      }
    }
    await this.waitForImports(importIds);
    this.logger.log(`demo organization seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return {
      created: true,
      organizationId: org.organizationId,
      email: DEMO_EMAIL,
      ...(this.config.DEMO_PASSWORD ? {} : { password: org.adminPassword }),
      ...(this.config.DEMO_API_KEY ? {} : { apiKey: org.apiKey }),
    };
  }

  /**
   * The generated password is printed once, at the first start. If nobody ever signed in as the demo admin and
   * the password was never changed, the printed one is likely lost with the terminal: a restart prints a new one
   * (unless DEMO_PASSWORD chooses it). Once the account has been used, only an operator resets it
   * (`npm run admin -- reset-password`).
   */
  private async renewUnusedPassword(organizationId: string): Promise<string | null> {
    if (this.config.DEMO_PASSWORD) return null;
    const admin = await this.db
      .getRepository(User)
      .findOne({ where: { organizationId, email: DEMO_EMAIL, role: 'admin' } });
    if (!admin || admin.lastLoginAt || admin.passwordChangedAt || admin.disabledAt) return null;
    const password = newPassword();
    const passwordHash = await hashPassword(password);
    const renewed = await this.db.transaction(async (tx) => {
      // Only if still unused: a sign-in between the check and now keeps its password.
      const updated = await tx
        .createQueryBuilder()
        .update(User)
        .set({ passwordHash })
        .where('id = :id AND last_login_at IS NULL AND password_changed_at IS NULL', { id: admin.id })
        .execute();
      if (!updated.affected) return false;
      await this.audit.record(
        { organizationId },
        'user.password_renewed',
        { type: 'user', id: admin.id },
        { reason: 'the generated demo password was never used; a new one was printed at start' },
        tx,
      );
      return true;
    });
    return renewed ? password : null;
  }

  private async waitForImports(ids: string[], timeoutMs = 10 * 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const runs = await this.db.getRepository(ImportRun).findBy({ id: In(ids) });
      const failed = runs.find((r) => r.status === 'failed');
      if (failed)
        throw new Error(`demo import ${failed.id} (${failed.kind}) failed: ${failed.failureReason}`);
      if (runs.every((r) => r.status === 'completed')) return;
      if (Date.now() > deadline) throw new Error('demo imports did not finish in time; is a worker running?');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
