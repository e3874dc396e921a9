import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Logger } from 'pino';
import { CampaignEvent, CampaignRetryRequested, ContactsAdded } from '@contracts/campaigns/events';
import { ContactStatus } from '@contracts/campaigns/settings';
import { NatsContext } from '@libs/nats/nats-context';
import { LOGGER, NATS } from '@libs/nest/tokens';
import { Delivery, DurableConsumer } from '@libs/projections/durable-consumer';
import { CampaignsReadModel } from '../read-models/campaigns.read-model';
import { ContactsReadModel } from '../read-models/contacts.read-model';
import { CampaignCompletion } from '../outcomes/campaign-completion';
import { ContactFeeder } from './contact-feeder';
import { DialQueue } from './dial-queue';
import { RuntimeWriter, runtimeOfDoc } from './runtime-writer';

/** Events after which a running campaign may have more to dial, or dial faster. */
const FEEDS_AFTER = new Set<CampaignEvent['type']>(['CampaignStarted', 'CampaignResumed', 'CampaignUpdated', 'CampaignRetryRequested']);

/**
 * Processes the CAMPAIGNS stream strictly in order (one message in flight across all instances), so
 * that "contacts added" and "campaign started" can never race: projects the campaign and contact read
 * models, mirrors the campaign into the runtime KV, and asks the feeder to queue contacts once running.
 */
@Injectable()
export class CampaignStreamProcessor implements OnApplicationBootstrap, OnModuleDestroy {
  private consumer?: DurableConsumer<CampaignEvent | ContactsAdded>;

  constructor(
    @Inject(NATS) private readonly nats: NatsContext,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly campaigns: CampaignsReadModel,
    private readonly contacts: ContactsReadModel,
    private readonly dialQueue: DialQueue,
    private readonly runtime: RuntimeWriter,
    private readonly feeder: ContactFeeder,
    private readonly completion: CampaignCompletion,
  ) {}

  async onApplicationBootstrap() {
    const { subjects } = this.nats;
    this.consumer = new DurableConsumer(
      this.nats,
      {
        stream: subjects.streams.campaigns,
        durable: 'campaigns-processor',
        filterSubjects: subjects.campaignEventsAndContacts(),
        maxAckPending: 1,
        ackWaitMs: 60_000,
      },
      this.log,
    );
    await this.consumer.start((d) => this.handle(d));
  }

  async onModuleDestroy() {
    await this.consumer?.stop();
  }

  private async handle({ event, seq }: Delivery<CampaignEvent | ContactsAdded>): Promise<void> {
    if (event.type === 'ContactsAdded') return this.contactsAdded(event, seq);
    // Contacts first: whoever sees the campaign's new retry round also sees its contacts open again.
    if (event.type === 'CampaignRetryRequested') await this.retryRequested(event, seq);
    await this.campaigns.apply(event, seq);
    const doc = await this.campaigns.collection.findOne({ _id: event.metadata.aggregateId });
    if (!doc) return;
    await this.runtime.putCampaign(runtimeOfDoc(doc));
    if (FEEDS_AFTER.has(event.type)) this.feeder.request(doc._id, true);
    // A pause may have won the race against completion: a resumed campaign with nothing open completes now.
    if (event.type === 'CampaignResumed') this.completion.request(doc._id);
    if (event.type === 'CampaignCancelled' || event.type === 'CampaignDeleted') {
      // Jobs still queued are dropped; contacts not yet called end `cancelled`. Calls in flight finish.
      await this.dialQueue.purge(doc._id);
      await this.contacts.cancelOpen(doc._id, event.occurredAt);
    }
    // Nothing is left to dial; jobs still queued (hand-backs, a replay) would wait forever.
    if (event.type === 'CampaignCompleted') await this.dialQueue.purge(doc._id);
  }

  private async contactsAdded(event: ContactsAdded, seq: number): Promise<void> {
    const { campaignId, contacts } = event.data;
    await this.contacts.addBatch(campaignId, event.metadata.clientId, contacts, seq, event.occurredAt);
    this.feeder.request(campaignId, true);
  }

  private async retryRequested(event: CampaignRetryRequested, seq: number): Promise<void> {
    const statuses: ContactStatus[] = event.data.includeVoicemail ? ['failed', 'voicemail'] : ['failed'];
    await this.contacts.retryEnded(event.data.campaignId, statuses, seq, event.occurredAt);
  }
}
