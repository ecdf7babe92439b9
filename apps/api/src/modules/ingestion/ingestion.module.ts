import { Module } from '@nestjs/common';
import { RecordsModule } from '../records/records.module';
import { IngestRecordsJob } from './ingest-records.job';
import { IngestionController } from './ingestion.controller';
import { IngestionService } from './ingestion.service';

@Module({
  imports: [RecordsModule],
  controllers: [IngestionController],
  providers: [IngestionService, IngestRecordsJob],
  exports: [IngestionService],
})
export class IngestionModule {}
