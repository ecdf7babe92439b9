import { Module } from '@nestjs/common';
import { RecordsController } from './records.controller';
import { RubricsService } from './rubrics.service';

@Module({
  controllers: [RecordsController],
  providers: [RubricsService],
  exports: [RubricsService],
})
export class RecordsModule {}
