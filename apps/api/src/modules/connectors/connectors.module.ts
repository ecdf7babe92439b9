import { Module } from '@nestjs/common';
import { AtsImportService } from './ats-import.service';
import { AtsMappingService } from './ats-mapping.service';
import { ConnectorsController } from './connectors.controller';

/** Greenhouse and Lever exports, and each organization's mapping of their stage and attribute names. */
@Module({
  controllers: [ConnectorsController],
  providers: [AtsMappingService, AtsImportService],
  exports: [AtsImportService],
})
export class ConnectorsModule {}
