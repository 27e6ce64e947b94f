import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from 'src/modules/health/health.controller';
import { ReadinessIndicators } from 'src/modules/health/health.indicators';
import { StorageHealthIndicator } from 'src/storage/storage.health';

@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json', gracefulShutdownTimeoutMs: 0 })],
  controllers: [HealthController],
  providers: [ReadinessIndicators, StorageHealthIndicator],
})
export class HealthModule {}
