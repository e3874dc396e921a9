import { randomUUID } from 'crypto';
import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Logger } from 'pino';
import { CallEnded, CallRequested, NOT_DIALLED_CAMPAIGN_NOT_RUNNING } from '@contracts/calls/events';
import { callIdOfSubject } from '@contracts/subjects';
import { contactIdOfCall } from '@contracts/dialing/dial-job';
import { DomainError } from '@libs/decider/decider';
import { commandMetadata } from '@libs/event-store/make-event';
import { NatsContext } from '@libs/nats/nats-context';
import { LOGGER, NATS } from '@libs/nest/tokens';
import { DurableConsumer } from '@libs/projections/durable-consumer';
import { CampaignCommands } from '../campaign/campaign-commands.service';
import { DialQueue } from '../dispatch/dial-queue';
import { CampaignsReadModel } from '../read-models/campaigns.read-model';
import { ContactsReadModel } from '../read-models/contacts.read-model';
import { CompletionCheck } from './completion-check';

const SWEEP_MS = 30_000;

/**
 * Moves contacts through `calling` to their final status from call events, and completes a running
 * campaign once none of its contacts is open. Updates are order-tolerant, so instances may share it.
 */
@Injectable()
export class CallOutcomeProcessor implements OnApplicationBootstrap, OnModuleDestroy {
  private consumer?: DurableConsumer<CallRequested | CallEnded>;
  private sweep?: NodeJS.Timeout;
  private readonly completion = new CompletionCheck((campaignId) => this.completeIfDone(campaignId));

  constructor(
    @Inject(NATS) private readonly nats: NatsContext,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly contacts: ContactsReadModel,
    private readonly commands: CampaignCommands,
    private readonly campaigns: CampaignsReadModel,
    private readonly dialQueue: DialQueue,
  ) {}

  async onApplicationBootstrap() {
    const { subjects } = this.nats;
    this.consumer = new DurableConsumer(
      this.nats,
      {
        stream: subjects.streams.calls,
        durable: 'campaigns-call-outcomes',
        filterSubjects: [subjects.callEventsOfKind('requested'), subjects.callEventsOfKind('ended')],
        maxAckPending: 200,
        concurrency: 8,
        // One contact's attempts in stream order: its document has a single writer at a time.
        partitionKey: (subject) => contactIdOfCall(callIdOfSubject(subject)),
      },
      this.log,
    );
    await this.consumer.start(({ event }) => this.handle(event));
    // Covers a check lost with a crashed instance: every running campaign is looked at now and then.
    this.sweep = setInterval(() => void this.requestForRunning(), SWEEP_MS);
    void this.requestForRunning();
  }

  private async requestForRunning(): Promise<void> {
    const running = await this.campaigns.collection.find({ status: 'running' }, { projection: { _id: 1 } }).toArray().catch(() => []);
    running.forEach((c) => this.completion.request(c._id));
  }

  async onModuleDestroy() {
    clearInterval(this.sweep);
    await this.consumer?.stop();
    this.completion.stop();
  }

  private async handle(event: CallRequested | CallEnded): Promise<void> {
    const { contactId, callId, attempt, campaignId } = event.data;
    if (event.type === 'CallRequested') {
      await this.contacts.callRequested(contactId, callId, attempt, event.occurredAt);
      return;
    }
    if (event.data.failureReason === NOT_DIALLED_CAMPAIGN_NOT_RUNNING) return this.handBack(event);
    await this.contacts.callEnded(contactId, callId, attempt, event.data.outcome, event.occurredAt);
    this.completion.request(campaignId);
  }

  /** An attempt claimed but not dialled because the campaign stopped: queue the contact again (or cancel it with its campaign). */
  private async handBack(event: CallEnded): Promise<void> {
    const { contactId, attempt, campaignId } = event.data;
    const campaign = await this.campaigns.collection.findOne({ _id: campaignId }, { projection: { status: 1 } });
    const contact = await this.contacts.handBack(contactId, attempt, campaign?.status === 'cancelled', event.occurredAt);
    if (contact?.status === 'queued') await this.dialQueue.enqueue([contact], event.metadata.correlationId);
  }

  private async completeIfDone(campaignId: string): Promise<void> {
    if ((await this.contacts.countOpen(campaignId)) > 0) return;
    try {
      await this.commands.execute({
        type: 'CompleteCampaign',
        data: { campaignId, contacts: await this.contacts.count(campaignId) },
        metadata: commandMetadata({ commandId: `complete-${campaignId}-${randomUUID()}`, correlationId: `complete-${campaignId}` }, 'system'),
      });
    } catch (e) {
      // Not running (paused, cancelled, already completed by another instance): nothing to complete.
      if (!(e instanceof DomainError)) throw e;
    }
  }
}
