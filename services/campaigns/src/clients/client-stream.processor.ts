import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Logger } from 'pino';
import { ClientEvent } from '@contracts/clients/events';
import { NatsContext } from '@libs/nats/nats-context';
import { LOGGER, NATS } from '@libs/nest/tokens';
import { DurableConsumer } from '@libs/projections/durable-consumer';
import { RuntimeWriter } from '../dispatch/runtime-writer';
import { ClientsReadModel } from '../read-models/clients.read-model';

/** Projects client events into the clients read model and the client runtime KV (limits for dialers). */
@Injectable()
export class ClientStreamProcessor implements OnApplicationBootstrap, OnModuleDestroy {
  private consumer?: DurableConsumer<ClientEvent>;

  constructor(
    @Inject(NATS) private readonly nats: NatsContext,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly clients: ClientsReadModel,
    private readonly runtime: RuntimeWriter,
  ) {}

  async onApplicationBootstrap() {
    const { subjects } = this.nats;
    this.consumer = new DurableConsumer(
      this.nats,
      { stream: subjects.streams.clients, durable: 'clients-processor', filterSubjects: [subjects.allClients()], maxAckPending: 1 },
      this.log,
    );
    await this.consumer.start(async ({ event, seq }) => {
      await this.clients.apply(event, seq);
      const doc = await this.clients.get(event.data.clientId);
      if (doc) await this.runtime.putClient({ clientId: doc._id, maxConcurrentCalls: doc.maxConcurrentCalls, revision: doc._rev });
    });
  }

  async onModuleDestroy() {
    await this.consumer?.stop();
  }
}
