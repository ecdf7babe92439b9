import { Module } from '@nestjs/common';
import { AnalyticsModule } from '../analytics/analytics.module';
import { RecordsModule } from '../records/records.module';
import { SettingsModule } from '../settings/settings.module';
import { CohortsService } from './cohorts.service';
import { ExportFileJob } from './export-file.job';
import { ExportRecoveryService } from './export-recovery.service';
import { ExportScheduledJob } from './export-scheduled.job';
import { ExportSchedulesService } from './export-schedules.service';
import { ExportsController } from './exports.controller';
import { ExportsRepository } from './exports.repository';
import { ExportsService } from './exports.service';

/** Saved cohorts and exports (PRODUCT.md "Cohort report definitions"). */
@Module({
  imports: [RecordsModule, SettingsModule, AnalyticsModule],
  controllers: [ExportsController],
  providers: [
    CohortsService,
    ExportsService,
    ExportsRepository,
    ExportFileJob,
    ExportRecoveryService,
    ExportSchedulesService,
    ExportScheduledJob,
  ],
})
export class ExportsModule {}
