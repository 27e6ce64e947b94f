import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { Response } from 'express';
import { Public } from 'src/modules/auth/decorators/public.decorator';
import { CHECK_TIMEOUT_MS, ReadinessIndicators } from 'src/modules/health/health.indicators';
import { StorageHealthIndicator } from 'src/storage/storage.health';

@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly readiness: ReadinessIndicators,
    private readonly objectStorage: StorageHealthIndicator,
  ) {}

  @Get('live')
  @HealthCheck()
  @ApiOperation({ operationId: 'healthLive', summary: 'The process is running' })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ operationId: 'healthReady', summary: 'Database, Redis, storage disk and media tools are usable' })
  async ready(@Res({ passthrough: true }) res: Response): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.db.pingCheck('database', { timeout: CHECK_TIMEOUT_MS }),
        () => this.readiness.redisPing(),
        () => this.readiness.disk(),
        () => this.readiness.mediaTools(),
        () => this.objectStorage.ping(),
      ]);
    } catch (error) {
      // Terminus reports "not ready" as an exception; the contract wants its body as-is with 503.
      if (error instanceof ServiceUnavailableException) {
        res.status(503);
        return error.getResponse() as HealthCheckResult;
      }
      throw error;
    }
  }
}
