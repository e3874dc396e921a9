import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { Logger } from 'pino';
import { CampaignSettings } from '@contracts/campaigns/settings';
import { ContactRetryScheduledV1 } from '@contracts/campaigns/events';
import { CallEnded, CallRequested, NOT_DIALLED_REASONS } from '@contracts/calls/events';
import { ContactSkipped } from '@contracts/dnc/events';
import { callIdOfSubject } from '@contracts/subjects';
import { contactIdOfCall } from '@contracts/dialing/dial-job';
import { encodeEvent } from '@libs/event-store/codec';
import { commandMetadata, makeEvent } from '@libs/event-store/make-event';
import { NatsContext } from '@libs/nats/nats-context';
import { LOGGER, NATS } from '@libs/nest/tokens';
import { DurableConsumer } from '@libs/projections/durable-consumer';
import { afterCall } from '../contacts/retry-policy';
import { ContactFeeder } from '../dispatch/contact-feeder';
import { CampaignsReadModel } from '../read-models/campaigns.read-model';
import { ContactsReadModel } from '../read-models/contacts.read-model';
import { CampaignCompletion } from './campaign-completion';

const PROJECTION_POLL_MS = 250;
const PROJECTION_WAIT_MS = 10 * 60_000;
/** How long a campaign's retry settings are reused for the calls that end: a change applies to calls ending from then on. */
const SETTINGS_TTL_MS = 1_000;
/** Longer than almost any call; a call's end found without its entry reads the contact instead. */
const CALLS_BEFORE_TTL_MS = 60 * 60_000;
/** Call events are taken in bursts at most this often (see BurstPull). */
const OUTCOMES_BURST_MS = 100;

/**
 * Moves contacts through `calling` to their final status, or to a retry, from call events, and asks
 * for a completion check after each final one. Updates are order-tolerant, so instances may share it.
 */
@Injectable()
export class CallOutcomeProcessor implements OnApplicationBootstrap, OnModuleDestroy {
  private consumer?: DurableConsumer<CallRequested | CallEnded | ContactSkipped>;
  /** Read once per campaign and second, not once per call. */
  private readonly settings = new LRUCache<string, CampaignSettings>({
    max: 10_000,
    ttl: SETTINGS_TTL_MS,
    // Projected by the same ordered processor, before any of its contacts.
    fetchMethod: async (campaignId) => {
      const campaign = await this.campaigns.collection.findOne({ _id: campaignId }, { projection: { settings: 1 } });
      if (!campaign) throw new Error(`campaign ${campaignId} is not projected`);
      return campaign.settings;
    },
  });

  /**
   * Calls each contact had made when its call was requested, by call id, so that the call's end needs no
   * read: only that end changes the count meanwhile (a retry request resets only contacts already final).
   */
  private readonly callsBefore = new LRUCache<string, number>({ max: 100_000, ttl: CALLS_BEFORE_TTL_MS });

  constructor(
    @Inject(NATS) private readonly nats: NatsContext,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly contacts: ContactsReadModel,
    private readonly campaigns: CampaignsReadModel,
    private readonly feeder: ContactFeeder,
    private readonly completion: CampaignCompletion,
  ) {}

  async onApplicationBootstrap() {
    const { subjects } = this.nats;
    this.consumer = new DurableConsumer(
      this.nats,
      {
        stream: subjects.streams.calls,
        durable: 'campaigns-call-outcomes',
        filterSubjects: [subjects.callEventsOfKind('requested'), subjects.callEventsOfKind('ended'), subjects.callEventsOfKind('skipped')],
        maxAckPending: 200,
        concurrency: 8,
        // Contact statuses, retries, feeding and completion may lag a moment; the dial queue holds enough.
        burstIntervalMs: OUTCOMES_BURST_MS,
        // One contact's attempts in stream order: its document has a single writer at a time.
        partitionKey: (subject) => contactIdOfCall(callIdOfSubject(subject)),
      },
      this.log,
    );
    await this.consumer.start(({ event, msg }) => this.handle(event, () => msg.working()));
  }

  async onModuleDestroy() {
    await this.consumer?.stop();
  }

  private async handle(event: CallRequested | CallEnded | ContactSkipped, keepAlive: () => void): Promise<void> {
    const { contactId, callId, attempt, campaignId } = event.data;
    if (event.type === 'ContactSkipped') {
      // Not dialled, for good (do-not-call): a final status, and the queue has room for one more.
      await this.untilProjected(contactId, keepAlive);
      await this.contacts.markSkipped(contactId, attempt, event.data.reason, event.occurredAt);
      this.feeder.request(campaignId);
      this.completion.request(campaignId);
      return;
    }
    if (event.type === 'CallRequested') {
      let callsBefore = await this.contacts.callRequested(contactId, callId, attempt, event.occurredAt);
      if (callsBefore === undefined && !(await this.contacts.exists(contactId))) {
        await this.untilProjected(contactId, keepAlive);
        callsBefore = await this.contacts.callRequested(contactId, callId, attempt, event.occurredAt);
      }
      if (callsBefore !== undefined) this.callsBefore.set(callId, callsBefore);
      this.feeder.request(campaignId);
      return;
    }
    if (event.data.failureReason && NOT_DIALLED_REASONS.includes(event.data.failureReason)) {
      await this.untilProjected(contactId, keepAlive);
      return this.handBack(event);
    }
    await this.callEnded(event, keepAlive);
    this.completion.request(campaignId);
  }

  /**
   * Call events only ever follow their contact's batch, except while a read model is rebuilt: then this
   * consumer may run ahead of the contacts projection, and waits for it here, keeping the contact's
   * events in order (a redelivery could reorder them).
   */
  private async untilProjected(contactId: string, keepAlive: () => void): Promise<void> {
    for (let waited = 0; !(await this.contacts.exists(contactId)); waited += PROJECTION_POLL_MS) {
      if (waited >= PROJECTION_WAIT_MS) throw new Error(`contact ${contactId} is not projected yet`);
      keepAlive();
      await new Promise((r) => setTimeout(r, PROJECTION_POLL_MS));
    }
  }

  private async callEnded(event: CallEnded, keepAlive: () => void): Promise<void> {
    const { contactId, callId, attempt, campaignId, outcome, endedAt } = event.data;
    const callsBefore = this.callsBefore.get(callId) ?? (await this.callsMadeBy(contactId, keepAlive));
    this.callsBefore.delete(callId);
    const settings = (await this.settings.fetch(campaignId))!;
    const next = afterCall(outcome, callsBefore + 1, settings, endedAt);
    const applied = await this.contacts.callEnded(contactId, callId, attempt, outcome, next, event.occurredAt);
    // A redelivery after a crash finds the update already made, but the retry notice may still be missing.
    const now = applied ? { ...next, lastCallId: callId, calls: callsBefore + 1 } : await this.contacts.get(contactId);
    if (now?.status === 'retry_scheduled' && now.lastCallId === callId) await this.publishRetry(event, now.retryAt!, now.calls);
  }

  /** The calls a contact has made, read from the read model (its request was handled by another instance, or before a restart). */
  private async callsMadeBy(contactId: string, keepAlive: () => void): Promise<number> {
    let contact = await this.contacts.get(contactId);
    if (!contact) {
      await this.untilProjected(contactId, keepAlive);
      contact = (await this.contacts.get(contactId))!;
    }
    return contact.calls;
  }

  private async publishRetry(ended: CallEnded, retryAt: string, callsMade: number): Promise<void> {
    const { campaignId, contactId, callId } = ended.data;
    const event = makeEvent(
      ContactRetryScheduledV1,
      { campaignId, contactId, callId, callsMade, retryAt },
      commandMetadata({ commandId: `${callId}:retry`, correlationId: ended.metadata.correlationId }, 'system'),
      { aggregateId: contactId, campaignId, clientId: ended.metadata.clientId },
    );
    await this.nats.js.publish(this.nats.subjects.campaignRetries(campaignId), encodeEvent(event), { msgID: `${callId}:retry` });
  }

  /** An attempt claimed but not dialled (campaign stopped, window closed): the contact waits to be fed again, or is cancelled with its campaign. */
  private async handBack(event: CallEnded): Promise<void> {
    const { contactId, attempt, campaignId } = event.data;
    const campaign = await this.campaigns.collection.findOne({ _id: campaignId }, { projection: { status: 1 } });
    await this.contacts.handBack(contactId, attempt, campaign?.status === 'cancelled', event.occurredAt);
    this.feeder.request(campaignId, true);
  }
}
