import { Controller, Get, Header } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '../auth/roles';
import { PlatformMetrics } from './platform-metrics';

/** `GET /metrics`: Prometheus text, no API key (keep it inside, as `/health`). */
@ApiTags('health')
@SkipThrottle()
@Controller('metrics')
export class MetricsHttpController {
  constructor(private readonly metrics: PlatformMetrics) {}

  @Public()
  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.scrape();
  }
}
