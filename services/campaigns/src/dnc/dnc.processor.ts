import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Logger } from 'pino';
import { DoNotCallEvent } from '@contracts/dnc/events';
import { NatsContext } from '@libs/nats/nats-context';
import { LOGGER, NATS } from '@libs/nest/tokens';
import { DurableConsumer } from '@libs/projections/durable-consumer';
import { applyDoNotCallEvent } from './do-not-call-list';

export const DNC_PROCESSOR_DURABLE = 'dnc-processor';

/**
 * The one writer of the `dnc` KV bucket: applies the DNC stream in order, one message at a time
 * across every instance, so an add and a later remove of one number always end as the remove.
 */
@Injectable()
export class DoNotCallProcessor implements OnApplicationBootstrap, OnModuleDestroy {
  private consumer?: DurableConsumer<DoNotCallEvent>;

  constructor(
    @Inject(NATS) private readonly nats: NatsContext,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationBootstrap() {
    const { subjects, buckets } = this.nats;
    this.consumer = new DurableConsumer(
      this.nats,
      { stream: subjects.streams.dnc, durable: DNC_PROCESSOR_DURABLE, filterSubjects: [subjects.allDnc()], maxAckPending: 1 },
      this.log,
    );
    await this.consumer.start(({ event, seq }) => applyDoNotCallEvent(buckets.dnc, event, seq));
  }

  async onModuleDestroy() {
    await this.consumer?.stop();
  }
}
