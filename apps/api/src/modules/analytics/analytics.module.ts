import { Module } from '@nestjs/common';
import { RecordsModule } from '../records/records.module';
import { AnalyticsController } from './analytics.controller';
import { ValidityService } from './validity.service';

@Module({
  imports: [RecordsModule],
  controllers: [AnalyticsController],
  providers: [ValidityService],
})
export class AnalyticsModule {}
