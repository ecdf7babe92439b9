import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module';
import { IngestionModule } from '../ingestion/ingestion.module';
import { RecordsModule } from '../records/records.module';
import { DemoSeeder } from './demo-seeder.service';

@Module({
  imports: [IdentityModule, IngestionModule, RecordsModule],
  providers: [DemoSeeder],
  exports: [DemoSeeder],
})
export class DemoModule {}
