import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Logger } from 'pino';
import { CallEvent } from '@contracts/calls/events';
import { CallTrackingRpc, CampaignListRequest } from '@contracts/commands';
import { RpcServer } from '@libs/messaging/rpc-server';
import { NatsContext } from '@libs/nats/nats-context';
import { LOGGER, NATS, RPC } from '@libs/nest/tokens';
import { DurableConsumer } from '@libs/projections/durable-consumer';
import { CallDirectory } from '../calls/call-directory';
import { CallsReadModel } from './calls.read-model';

/** Keeps the calls read model up to date and answers call-log queries. */
@Injectable()
export class CallsProjection implements OnApplicationBootstrap, OnModuleDestroy {
  private consumer?: DurableConsumer<CallEvent>;

  constructor(
    @Inject(NATS) private readonly nats: NatsContext,
    @Inject(RPC) private readonly rpc: RpcServer,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly calls: CallsReadModel,
    private readonly directory: CallDirectory,
  ) {}

  async onApplicationBootstrap() {
    await this.calls.ensureIndexes();
    const { subjects } = this.nats;
    this.consumer = new DurableConsumer<CallEvent>(
      this.nats,
      { stream: subjects.streams.calls, durable: 'call-tracking-calls', filterSubjects: [subjects.allCalls()], maxAckPending: 500 },
      this.log,
    );
    await this.consumer.startBatches(async (deliveries) => {
      const events = deliveries.map((d) => d.event);
      await this.calls.applyAll(events);
      for (const event of events) if (event.type === 'CallRequested') this.directory.remember(event);
    });
    this.rpc.handle(subjects.query('call-tracking', CallTrackingRpc.listCalls), (req: CampaignListRequest) =>
      this.calls.list(req.clientId, req.campaignId, req.page, req.limit),
    );
  }

  async onModuleDestroy() {
    await this.consumer?.stop();
  }
}
