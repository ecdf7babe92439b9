import { Module } from '@nestjs/common';
import { AuditLogService } from './audit-log.service';
import { AuditController } from './audit.controller';

/** The audit log's reading side (AuditService, the writing side, is provided to every module by CoreModule). */
@Module({
  controllers: [AuditController],
  providers: [AuditLogService],
})
export class AuditModule {}
