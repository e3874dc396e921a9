import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Logger } from 'pino';
import { ContactRetryScheduled } from '@contracts/campaigns/events';
import { CampaignsRpc, ReleaseRetriesRequest } from '@contracts/commands';
import { rpcRequest } from '@libs/messaging/rpc-client';
import { NatsContext } from '@libs/nats/nats-context';
import { LOGGER, NATS } from '@libs/nest/tokens';
import { DurableConsumer } from '@libs/projections/durable-consumer';
import { DueTimers, LOOKAHEAD_MS } from '../timers/due-timers';
import { DueRetries, DueRetryDoc } from './due-retries';

const MAX_ARMED = 5_000;
/** Retries of one campaign falling due within this many ms are released together. */
const BATCH_MS = 20;

/**
 * Releases contact retries at their time: records each retry notice, arms a timer for those due
 * within the look-ahead, and asks the campaigns service to dial the contact again. Any number of
 * instances may run: releasing a contact twice changes nothing the second time. A retry is removed
 * only once released, so one that fell due while no scheduler ran is released when one comes back.
 */
@Injectable()
export class RetryReleaser implements OnApplicationBootstrap, OnModuleDestroy {
  private consumer?: DurableConsumer<ContactRetryScheduled>;
  private readonly timers: DueTimers<DueRetryDoc>;
  private readonly batches = new Map<string, DueRetryDoc[]>();

  constructor(
    @Inject(NATS) private readonly nats: NatsContext,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly retries: DueRetries,
  ) {
    this.timers = new DueTimers({
      dueBefore: (time) => this.retries.dueBefore(time, MAX_ARMED),
      keyOf: (doc) => doc._id,
      dueAt: (doc) => Date.parse(doc.retryAt),
      fire: (doc) => this.collect(doc),
      log,
      what: 'due retries',
    });
  }

  async onApplicationBootstrap() {
    await this.retries.ensureIndexes();
    const { subjects } = this.nats;
    this.consumer = new DurableConsumer<ContactRetryScheduled>(
      this.nats,
      { stream: subjects.streams.campaigns, durable: 'scheduler-retries', filterSubjects: [subjects.allCampaignRetries()], maxAckPending: 200, concurrency: 4 },
      this.log,
    );
    await this.consumer.start(async ({ event }) => {
      await this.retries.add(event);
      if (Date.parse(event.data.retryAt) <= Date.now() + LOOKAHEAD_MS) this.timers.arm({ _id: event.data.callId, ...event.data });
    });
    await this.timers.start();
  }

  async onModuleDestroy() {
    this.timers.stop();
    await this.consumer?.stop();
  }

  private collect(doc: DueRetryDoc): void {
    const batch = this.batches.get(doc.campaignId);
    if (batch) return void batch.push(doc);
    this.batches.set(doc.campaignId, [doc]);
    setTimeout(() => void this.release(doc.campaignId), BATCH_MS);
  }

  private async release(campaignId: string): Promise<void> {
    const batch = this.batches.get(campaignId) ?? [];
    this.batches.delete(campaignId);
    const ids = batch.map((d) => d._id);
    const request: ReleaseRetriesRequest = { campaignId, callIds: ids, correlationId: `retries:${campaignId}` };
    const reply = await rpcRequest(this.nats.nc, this.nats.subjects.command('campaigns', CampaignsRpc.releaseRetries), request).catch((err) => ({
      ok: false as const,
      error: { statusCode: 503, message: String(err) },
    }));
    if (reply.ok) await this.retries.remove(ids).catch((err) => this.log.warn({ err, campaignId }, 'removing released retries failed'));
    else this.log.warn({ campaignId, error: reply.error }, 'releasing retries failed; the next look tries again');
    // Released or not, the next look re-arms whatever is still recorded.
    ids.forEach((id) => this.timers.disarm(id));
  }
}
