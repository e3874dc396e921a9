import { Controller, Get, Header, Injectable, NestMiddleware } from '@nestjs/common';
import { NextFunction, Request, Response } from 'express';
import { TrackingMetrics } from './tracking-metrics';

const WEBHOOK_KINDS = new Set(['answer', 'ring', 'machine', 'hangup']);

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

/** Times every webhook request, refused ones included, from arrival to the last byte of the answer. */
@Injectable()
export class WebhookTimingMiddleware implements NestMiddleware {
  constructor(private readonly metrics: TrackingMetrics) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const last = req.path.split('/').filter(Boolean).pop() ?? '';
      const kind = WEBHOOK_KINDS.has(last) ? last : 'other';
      this.metrics.webhookAnswered(kind, res.statusCode, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  }
}
