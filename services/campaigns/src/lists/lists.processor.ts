import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Logger } from 'pino';
import { ContactListEvent, ListContactsAdded } from '@contracts/lists/events';
import { NatsContext } from '@libs/nats/nats-context';
import { LOGGER, NATS } from '@libs/nest/tokens';
import { DurableConsumer } from '@libs/projections/durable-consumer';
import { ListsReadModel } from './lists.read-model';

/** Projects the LISTS stream into the lists read model, one message at a time (counts are guarded by sequence). */
@Injectable()
export class ListsProcessor implements OnApplicationBootstrap, OnModuleDestroy {
  private consumer?: DurableConsumer<ContactListEvent | ListContactsAdded>;

  constructor(
    @Inject(NATS) private readonly nats: NatsContext,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly lists: ListsReadModel,
  ) {}

  async onApplicationBootstrap() {
    await this.lists.ensureIndexes();
    const { subjects } = this.nats;
    this.consumer = new DurableConsumer(
      this.nats,
      { stream: subjects.streams.lists, durable: 'lists-processor', filterSubjects: [subjects.allLists()], maxAckPending: 1 },
      this.log,
    );
    await this.consumer.start(({ event, seq }) => this.lists.apply(event, seq));
  }

  async onModuleDestroy() {
    await this.consumer?.stop();
  }
}
