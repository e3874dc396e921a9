import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Logger } from 'pino';
import { CampaignEvent } from '@contracts/campaigns/events';
import { CampaignsRpc } from '@contracts/commands';
import { rpcRequest } from '@libs/messaging/rpc-client';
import { NatsContext } from '@libs/nats/nats-context';
import { LOGGER, NATS } from '@libs/nest/tokens';
import { DurableConsumer } from '@libs/projections/durable-consumer';
import { ScheduledCampaigns } from './scheduled-campaigns';

/** How far ahead each look at the collection arms timers, and how often it looks. */
const LOOKAHEAD_MS = 2_000;
const LOOK_EVERY_MS = 500;

/**
 * Starts scheduled campaigns on time. Every instance arms a timer for each campaign due within the
 * look-ahead, so a start fires within milliseconds of its time; a campaign whose time passed while no
 * scheduler ran is due at once. Several instances may fire the same start: the command carries the
 * scheduled time and one command id, so the campaign's event stream accepts exactly one start.
 */
@Injectable()
export class ScheduledStarts implements OnApplicationBootstrap, OnModuleDestroy {
  private consumer?: DurableConsumer<CampaignEvent>;
  private readonly armed = new Map<string, NodeJS.Timeout>();
  private looker?: NodeJS.Timeout;

  constructor(
    @Inject(NATS) private readonly nats: NatsContext,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly scheduled: ScheduledCampaigns,
  ) {}

  async onApplicationBootstrap() {
    await this.scheduled.ensureIndexes();
    const { subjects } = this.nats;
    this.consumer = new DurableConsumer<CampaignEvent>(
      this.nats,
      { stream: subjects.streams.campaigns, durable: 'scheduler-campaigns', filterSubjects: [subjects.campaignEvents('*')], maxAckPending: 1 },
      this.log,
    );
    await this.consumer.start(async ({ event, seq }) => {
      await this.scheduled.apply(event, seq);
      if (event.type === 'CampaignCreated' || event.type === 'CampaignScheduled') void this.look();
    });
    this.looker = setInterval(() => void this.look(), LOOK_EVERY_MS);
    await this.look();
  }

  async onModuleDestroy() {
    clearInterval(this.looker);
    this.armed.forEach((t) => clearTimeout(t));
    await this.consumer?.stop();
  }

  private async look(): Promise<void> {
    try {
      for (const doc of await this.scheduled.dueBefore(new Date(Date.now() + LOOKAHEAD_MS))) {
        const key = `${doc._id}@${doc.scheduledTime}`;
        if (this.armed.has(key)) continue;
        const timer = setTimeout(() => void this.fire(key, doc._id, doc.clientId, doc.scheduledTime!), Date.parse(doc.scheduledTime!) - Date.now());
        this.armed.set(key, timer);
      }
    } catch (e) {
      this.log.error({ err: e }, 'looking for scheduled campaigns failed');
    }
  }

  private async fire(key: string, campaignId: string, clientId: string, scheduledTime: string): Promise<void> {
    const reply = await rpcRequest(this.nats.nc, this.nats.subjects.command('campaigns', CampaignsRpc.startCampaign), {
      clientId,
      campaignId,
      scheduledFor: scheduledTime,
      commandId: `scheduled-start:${campaignId}:${scheduledTime}`,
      correlationId: `scheduled-start:${campaignId}`,
    });
    if (!reply.ok && reply.error.statusCode >= 500) {
      // Campaigns unavailable: keep the key armed-but-expired so the next look re-arms it.
      this.log.warn({ campaignId, error: reply.error }, 'scheduled start failed; retrying');
      this.armed.delete(key);
      return;
    }
    if (reply.ok) this.log.info({ campaignId, scheduledTime, lateMs: Date.now() - Date.parse(scheduledTime) }, 'scheduled campaign started');
    // Started here, by another instance, rescheduled or cancelled: in every case this start is settled.
    setTimeout(() => this.armed.delete(key), LOOKAHEAD_MS * 4);
  }
}
