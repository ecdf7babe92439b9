import { Module } from '@nestjs/common';
import { RecordsModule } from '../records/records.module';
import { SettingsModule } from '../settings/settings.module';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsService } from './analytics.service';
import { FairnessService } from './fairness.service';
import { FunnelService } from './funnel.service';

@Module({
  imports: [RecordsModule, SettingsModule],
  controllers: [AnalyticsController],
  providers: [AnalyticsService, FunnelService, FairnessService],
  exports: [AnalyticsService, FunnelService, FairnessService],
})
export class AnalyticsModule {}
