import { Global, Module } from '@nestjs/common';
import { LifecycleService } from './lifecycle.service';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

/** Metrics and the process's lifecycle state, for every module (the queue, imports, analytics caches, health). */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsService, LifecycleService],
  exports: [MetricsService, LifecycleService],
})
export class ObservabilityModule {}
