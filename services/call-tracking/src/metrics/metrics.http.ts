import { Controller, Get, Header } from '@nestjs/common';
import { TrackingMetrics } from './tracking-metrics';

/** GET /metrics in Prometheus text format, on the tracking port. */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: TrackingMetrics) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
