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

/** How long the call log may lag behind the stream, to write the events of many calls (and several of each call) at once. */
const CALL_LOG_LINGER_MS = 100;

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
    await this.consumer.startBatches((deliveries) => this.calls.applyAll(deliveries.map((d) => d.event)), {
      lingerMs: CALL_LOG_LINGER_MS,
      // The call's webhooks may come before its batch is written: they find the call here, without a lookup.
      onArrival: ({ event }) => event.type === 'CallRequested' && this.directory.remember(event),
    });
    this.rpc.handle(subjects.query('call-tracking', CallTrackingRpc.listCalls), (req: CampaignListRequest) =>
      this.calls.list(req.clientId, req.campaignId, req.page, req.limit),
    );
  }

  async onModuleDestroy() {
    await this.consumer?.stop();
  }
}
