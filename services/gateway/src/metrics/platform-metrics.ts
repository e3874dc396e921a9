import { randomUUID } from 'crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ConsumerInfo } from 'nats';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { ActiveCallsResponse, DialerRpc } from '@contracts/commands';
import { NatsContext } from '@libs/nats/nats-context';
import { NATS } from '@libs/nest/tokens';
import { ServiceClient } from '../http/service-client';

/**
 * What operators watch of the whole platform, read at each scrape: how far every durable consumer is
 * behind its stream (messages not yet delivered, and delivered but not yet acknowledged), and the
 * global slot usage as the dialers enforce it; plus the gateway's own process metrics. call-tracking
 * serves its webhook metrics on its own port (`:3001/metrics`).
 */
@Injectable()
export class PlatformMetrics {
  private readonly registry = new Registry();
  private readonly readConsumers = this.consumerGauges();
  private readonly readSlots = this.slotGauges();
  private readonly unread = new Gauge({
    name: 'platform_metrics_unread',
    help: 'Parts this scrape could not read, keeping their last values: 1 the consumers, 2 the slots, 3 both',
    registers: [this.registry],
  });

  constructor(
    @Inject(NATS) private readonly nats: NatsContext,
    private readonly services: ServiceClient,
  ) {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Reads the consumers and the slots now, then renders every metric. */
  async scrape(): Promise<string> {
    const [consumersRead, slotsRead] = await Promise.all([this.readConsumers(), this.readSlots()]);
    this.unread.set((consumersRead ? 0 : 1) + (slotsRead ? 0 : 2));
    return this.registry.metrics();
  }

  /** Each scrape reads every consumer of every stream; returns whether it could. */
  private consumerGauges(): () => Promise<boolean> {
    const labelNames = ['stream', 'consumer'] as const;
    const pending = new Gauge({ name: 'nats_consumer_pending_messages', help: 'Messages of the stream the consumer has not been given yet', labelNames, registers: [this.registry] });
    const ackPending = new Gauge({ name: 'nats_consumer_ack_pending_messages', help: 'Messages given to the consumer and not acknowledged yet', labelNames, registers: [this.registry] });
    const redelivered = new Gauge({ name: 'nats_consumer_redelivered_messages', help: 'Messages given to the consumer more than once and not acknowledged yet', labelNames, registers: [this.registry] });
    return async () => {
      try {
        const infos: ConsumerInfo[] = [];
        for (const stream of Object.values(this.nats.subjects.streams)) for await (const info of this.nats.jsm.consumers.list(stream)) infos.push(info);
        // Consumers that are gone (a finished campaign's queue) drop out.
        [pending, ackPending, redelivered].forEach((g) => g.reset());
        for (const info of infos) {
          const labels = { stream: info.stream_name, consumer: info.name };
          pending.set(labels, info.num_pending);
          ackPending.set(labels, info.num_ack_pending);
          redelivered.set(labels, info.num_redelivered);
        }
        return true;
      } catch {
        return false;
      }
    };
  }

  private slotGauges(): () => Promise<boolean> {
    const active = new Gauge({ name: 'dialer_slots_active', help: 'Live calls holding a slot', labelNames: ['scope'] as const, registers: [this.registry] });
    const limit = new Gauge({ name: 'dialer_slots_limit', help: 'Concurrent calls allowed', labelNames: ['scope'] as const, registers: [this.registry] });
    return async () => {
      try {
        const request = { clientId: 'admin', correlationId: randomUUID(), commandId: randomUUID() };
        const { global } = await this.services.query<ActiveCallsResponse>('dialer', DialerRpc.activeCalls, request);
        active.set({ scope: 'global' }, global.active);
        limit.set({ scope: 'global' }, global.limit);
        return true;
      } catch {
        return false;
      }
    };
  }
}
