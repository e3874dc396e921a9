import { randomUUID } from 'crypto';
import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Logger } from 'pino';
import { CallEnded, CallRequested } from '@contracts/calls/events';
import { NatsContext } from '@libs/nats/nats-context';
import { LOGGER, NATS } from '@libs/nest/tokens';
import { DurableConsumer } from '@libs/projections/durable-consumer';
import { CampaignCommands } from '../campaign/campaign-commands.service';
import { ContactsReadModel } from '../read-models/contacts.read-model';

/**
 * Moves contacts through `calling` to their final status from call events, and completes a running
 * campaign once none of its contacts is open. Updates are order-tolerant, so instances may share it.
 */
@Injectable()
export class CallOutcomeProcessor implements OnApplicationBootstrap, OnModuleDestroy {
  private consumer?: DurableConsumer<CallRequested | CallEnded>;

  constructor(
    @Inject(NATS) private readonly nats: NatsContext,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly contacts: ContactsReadModel,
    private readonly commands: CampaignCommands,
  ) {}

  async onApplicationBootstrap() {
    const { js, jsm, subjects } = this.nats;
    this.consumer = new DurableConsumer(
      js,
      jsm,
      {
        stream: subjects.streams.calls,
        durable: 'campaigns-call-outcomes',
        filterSubjects: [subjects.callEventsOfKind('requested'), subjects.callEventsOfKind('ended')],
        maxAckPending: 200,
      },
      this.log,
    );
    await this.consumer.start(({ event }) => this.handle(event));
  }

  async onModuleDestroy() {
    await this.consumer?.stop();
  }

  private async handle(event: CallRequested | CallEnded): Promise<void> {
    const { contactId, callId, attempt, campaignId } = event.data;
    if (event.type === 'CallRequested') {
      await this.contacts.callRequested(contactId, callId, attempt, event.occurredAt);
      return;
    }
    await this.contacts.callEnded(contactId, callId, attempt, event.data.outcome, event.occurredAt);
    if ((await this.contacts.countOpen(campaignId)) > 0) return;
    const state = await this.commands.load(campaignId);
    if (state.status !== 'running') return;
    await this.commands.execute({
      type: 'CompleteCampaign',
      data: { campaignId, contacts: await this.contacts.count(campaignId) },
      metadata: {
        commandId: `complete-${campaignId}-${randomUUID()}`,
        correlationId: event.metadata.correlationId,
        now: new Date().toISOString(),
        by: 'system',
      },
    });
  }
}
