import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Logger } from 'pino';
import { CampaignEvent, ContactsAdded } from '@contracts/campaigns/events';
import { NatsContext } from '@libs/nats/nats-context';
import { LOGGER, NATS } from '@libs/nest/tokens';
import { Delivery, DurableConsumer } from '@libs/projections/durable-consumer';
import { CampaignsReadModel } from '../read-models/campaigns.read-model';
import { ContactDoc, ContactsReadModel } from '../read-models/contacts.read-model';
import { DialQueue } from './dial-queue';
import { RuntimeWriter, runtimeOfDoc } from './runtime-writer';

const QUEUE_CHUNK = 1000;

/**
 * Processes the CAMPAIGNS stream strictly in order (one message in flight across all instances), so
 * that "contacts added" and "campaign started" can never race: projects the campaign and contact read
 * models, mirrors the campaign into the runtime KV, and queues contacts for dialling once running.
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
  ) {}

  async onApplicationBootstrap() {
    const { subjects } = this.nats;
    this.consumer = new DurableConsumer(
      this.nats,
      {
        stream: subjects.streams.campaigns,
        durable: 'campaigns-processor',
        filterSubjects: [subjects.allCampaigns()],
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

  private async handle({ event, seq, msg }: Delivery<CampaignEvent | ContactsAdded>): Promise<void> {
    if (event.type === 'ContactsAdded') return this.contactsAdded(event, seq);
    await this.campaigns.apply(event, seq);
    const doc = await this.campaigns.collection.findOne({ _id: event.metadata.aggregateId });
    if (!doc) return;
    await this.runtime.putCampaign(runtimeOfDoc(doc));
    if (event.type === 'CampaignStarted') {
      await this.queueAllPending(doc._id, seq, event.metadata.correlationId, () => msg.working());
    }
    if (event.type === 'CampaignCancelled' || event.type === 'CampaignDeleted') {
      // Jobs still queued are dropped; contacts not yet called end `cancelled`. Calls in flight finish.
      await this.nats.jsm.streams.purge(this.nats.subjects.streams.dial, { filter: this.nats.subjects.dialQueue(doc._id) });
      await this.contacts.cancelOpen(doc._id, event.occurredAt);
    }
  }

  private async contactsAdded(event: ContactsAdded, seq: number): Promise<void> {
    const { campaignId, contacts } = event.data;
    await this.contacts.addBatch(campaignId, event.metadata.clientId, contacts, seq, event.occurredAt);
    const campaign = await this.campaigns.collection.findOne({ _id: campaignId });
    if (campaign?.status !== 'running') return;
    await this.dialQueue.enqueue(await this.contacts.queuedBy(campaignId, seq), event.metadata.correlationId);
    const pending = await this.contacts.pendingIn(contacts.map((c) => c.contactId));
    await this.queue(pending, seq, event.metadata.correlationId);
  }

  private async queueAllPending(campaignId: string, seq: number, correlationId: string, keepAlive: () => void): Promise<void> {
    // A redelivery after a crash first re-publishes what this message had marked (duplicates are dropped).
    await this.dialQueue.enqueue(await this.contacts.queuedBy(campaignId, seq), correlationId);
    for (;;) {
      const batch = await this.contacts.pending(campaignId, QUEUE_CHUNK);
      if (batch.length === 0) return;
      await this.queue(batch, seq, correlationId);
      keepAlive();
    }
  }

  private async queue(contacts: ContactDoc[], seq: number, correlationId: string): Promise<void> {
    if (contacts.length === 0) return;
    await this.contacts.markQueued(
      contacts.map((c) => c._id),
      seq,
      new Date().toISOString(),
    );
    await this.dialQueue.enqueue(contacts, correlationId);
  }
}
