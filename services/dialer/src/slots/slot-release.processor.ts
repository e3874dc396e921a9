import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Logger } from 'pino';
import { CallEnded } from '@contracts/calls/events';
import { NatsContext } from '@libs/nats/nats-context';
import { LOGGER, NATS } from '@libs/nest/tokens';
import { DurableConsumer } from '@libs/projections/durable-consumer';
import { KvSlotLedger } from './kv-slot-ledger';
import { scopeKeys } from './slot-ledger';

/**
 * Gives a call's slots back when it ends, whoever dialled it, handing them to a job of this dialer that
 * waits for them where there is one; idempotent, so redelivery is harmless.
 */
@Injectable()
export class SlotReleaseProcessor implements OnApplicationBootstrap, OnModuleDestroy {
  private consumer?: DurableConsumer<CallEnded>;

  constructor(
    @Inject(NATS) private readonly nats: NatsContext,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly ledger: KvSlotLedger,
  ) {}

  async onApplicationBootstrap() {
    const { subjects } = this.nats;
    this.consumer = new DurableConsumer<CallEnded>(
      this.nats,
      // Many at once: handlers wait together for the ledger's next round of writes (see GroupCommit).
      { stream: subjects.streams.calls, durable: 'dialer-slot-release', filterSubjects: [subjects.callEventsOfKind('ended')], maxAckPending: 500, concurrency: 200 },
      this.log,
    );
    await this.consumer.start(async ({ event }) => {
      const { campaignId, clientId, callId } = event.data;
      await this.ledger.endCalls([{ callId, scopeKeys: [scopeKeys.campaign(campaignId), scopeKeys.client(clientId), scopeKeys.global] }]);
    });
  }

  async onModuleDestroy() {
    await this.consumer?.stop();
  }
}
