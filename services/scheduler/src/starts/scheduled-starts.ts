import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Logger } from 'pino';
import { CampaignEvent } from '@contracts/campaigns/events';
import { CampaignsRpc } from '@contracts/commands';
import { rpcRequest } from '@libs/messaging/rpc-client';
import { NatsContext } from '@libs/nats/nats-context';
import { LOGGER, NATS } from '@libs/nest/tokens';
import { DurableConsumer } from '@libs/projections/durable-consumer';
import { DueTimers, LOOKAHEAD_MS } from '../timers/due-timers';
import { ScheduledCampaignDoc, ScheduledCampaigns } from './scheduled-campaigns';

/**
 * Starts scheduled campaigns on time. Every instance arms a timer for each campaign due within the
 * look-ahead, so a start fires within milliseconds of its time; a campaign whose time passed while no
 * scheduler ran is due at once. Several instances may fire the same start: the command carries the
 * scheduled time and one command id, so the campaign's event stream accepts exactly one start.
 */
@Injectable()
export class ScheduledStarts implements OnApplicationBootstrap, OnModuleDestroy {
  private consumer?: DurableConsumer<CampaignEvent>;
  private readonly timers: DueTimers<ScheduledCampaignDoc>;

  constructor(
    @Inject(NATS) private readonly nats: NatsContext,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly scheduled: ScheduledCampaigns,
  ) {
    this.timers = new DueTimers({
      dueBefore: (time) => this.scheduled.dueBefore(time),
      keyOf: (doc) => `${doc._id}@${doc.scheduledTime}`,
      dueAt: (doc) => Date.parse(doc.scheduledTime!),
      fire: (doc, key) => void this.fire(key, doc._id, doc.clientId, doc.scheduledTime!),
      log,
      what: 'scheduled campaigns',
    });
  }

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
      if (event.type === 'CampaignCreated' || event.type === 'CampaignScheduled') void this.timers.look();
    });
    await this.timers.start();
  }

  async onModuleDestroy() {
    this.timers.stop();
    await this.consumer?.stop();
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
      // Campaigns unavailable: the next look arms it again.
      this.log.warn({ campaignId, error: reply.error }, 'scheduled start failed; retrying');
      this.timers.disarm(key);
      return;
    }
    if (reply.ok) this.log.info({ campaignId, scheduledTime, lateMs: Date.now() - Date.parse(scheduledTime) }, 'scheduled campaign started');
    // Started here, by another instance, rescheduled or cancelled: in every case this start is settled.
    this.timers.disarm(key, LOOKAHEAD_MS * 4);
  }
}
