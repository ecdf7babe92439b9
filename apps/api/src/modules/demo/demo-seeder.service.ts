import { Inject, Injectable, Logger } from '@nestjs/common';
import { generateDemoData } from '@hiresignal/demo-data';
import { RECORD_KINDS } from '@hiresignal/shared';
import { DataSource, In } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import type { Principal } from '../identity/access.decorators';
import { IdentityService } from '../identity/identity.service';
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
  /** Only when this call created the organization with generated credentials (they are shown once). */
  password?: string;
  apiKey?: string;
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
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async seedIfEmpty(): Promise<DemoSeedResult> {
    const existing = await this.db.getRepository(Organization).findOne({ where: { slug: DEMO_SLUG } });
    if (existing) return { created: false, organizationId: existing.id, email: DEMO_EMAIL };

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
