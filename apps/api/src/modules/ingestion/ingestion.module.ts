import { Module } from '@nestjs/common';
import { ConnectorsModule } from '../connectors/connectors.module';
import { RecordsModule } from '../records/records.module';
import { FileUploadService } from './files/file-upload.service';
import { ImportFileJob } from './files/import-file.job';
import { ImportRecoveryService } from './files/import-recovery.service';
import { ImportRunsRepository } from './import-runs.repository';
import { ImportViewsService } from './import-views.service';
import { IngestRecordsJob } from './ingest-records.job';
import { IngestionController } from './ingestion.controller';
import { IngestionService } from './ingestion.service';

@Module({
  imports: [RecordsModule, ConnectorsModule],
  controllers: [IngestionController],
  providers: [
    IngestionService,
    IngestRecordsJob,
    ImportFileJob,
    FileUploadService,
    ImportViewsService,
    ImportRecoveryService,
    ImportRunsRepository,
  ],
  exports: [IngestionService],
})
export class IngestionModule {}
