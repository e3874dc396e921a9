import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/**
 * call-tracking's Prometheus metrics, in a registry of its own (several apps can share a process in tests):
 * webhook latency by kind and status, call events published (or found already published) by kind, calls
 * ended by outcome, and refused signatures by reason, plus the default process metrics.
 */
export class TrackingMetrics {
  readonly registry = new Registry();

  private readonly webhookSeconds = new Histogram({
    name: 'plivo_webhook_duration_seconds',
    help: 'Time to answer a Plivo webhook, by callback kind and HTTP status',
    labelNames: ['kind', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  private readonly eventsPublished = new Counter({
    name: 'call_events_published_total',
    help: 'Call events from webhooks: published, or already there (a duplicate or late callback)',
    labelNames: ['kind', 'result'] as const,
    registers: [this.registry],
  });

  private readonly callsEnded = new Counter({
    name: 'calls_ended_total',
    help: 'Calls ended by their webhooks, by outcome (timeouts and calls never placed are ended elsewhere)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  private readonly signatureRejections = new Counter({
    name: 'plivo_signature_rejections_total',
    help: 'Webhooks refused with 403 for a missing or invalid Plivo signature',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  webhookAnswered(kind: string, status: number, seconds: number): void {
    this.webhookSeconds.observe({ kind, status: String(status) }, seconds);
  }

  eventPublished(kind: string, isNew: boolean): void {
    this.eventsPublished.inc({ kind, result: isNew ? 'published' : 'duplicate' });
  }

  callEnded(outcome: string): void {
    this.callsEnded.inc({ outcome });
  }

  signatureRejected(reason: 'missing' | 'mismatch'): void {
    this.signatureRejections.inc({ reason });
  }
}
