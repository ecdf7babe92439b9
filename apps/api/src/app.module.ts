import { Global, Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule, type Params as LoggerParams } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from './config/config';
import { DATABASE_MODE } from './database/database.tokens';
import type { OpenDatabase } from './database/data-source';
import { AnalyticsModule } from './modules/analytics/analytics.module';
import { AuditModule } from './modules/audit/audit.module';
import { AuditService } from './modules/audit/audit.service';
import { DemoModule } from './modules/demo/demo.module';
import { DocsModule } from './modules/docs/docs.module';
import { ExportsModule } from './modules/exports/exports.module';
import { HealthModule } from './modules/health/health.module';
import { IdentityModule } from './modules/identity/identity.module';
import { IngestionModule } from './modules/ingestion/ingestion.module';
import { ObservabilityModule } from './modules/observability/observability.module';
import { QueueModule } from './modules/queue/queue.module';
import type { QueueDriver } from './modules/queue/queue.types';
import { QueueDriver as QueueDriverToken } from './modules/queue/queue.types';
import { RecordsModule } from './modules/records/records.module';
import { SettingsModule } from './modules/settings/settings.module';

/** What every domain module may inject: configuration, the database, the queue driver, the audit log. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig, db: OpenDatabase, driver: QueueDriver): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: DataSource, useValue: db.dataSource },
        { provide: DATABASE_MODE, useValue: db.mode },
        { provide: QueueDriverToken, useValue: driver },
        AuditService,
      ],
      exports: [APP_CONFIG, DataSource, DATABASE_MODE, QueueDriverToken, AuditService],
    };
  }
}

@Module({})
export class AppModule {
  static forRoot(
    config: AppConfig,
    db: OpenDatabase,
    driver: QueueDriver,
    logging: LoggerParams,
  ): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config, db, driver),
        // Structured request logs and the Nest logger over pino (common/logging.ts).
        LoggerModule.forRoot(logging),
        ObservabilityModule,
        QueueModule,
        IdentityModule,
        AuditModule,
        RecordsModule,
        IngestionModule,
        AnalyticsModule,
        SettingsModule,
        ExportsModule,
        DocsModule,
        HealthModule,
        DemoModule,
      ],
    };
  }
}
