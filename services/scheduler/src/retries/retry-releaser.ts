import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Logger } from 'pino';
import { ContactRetryScheduled } from '@contracts/campaigns/events';
import { CampaignsRpc, ReleaseRetriesRequest } from '@contracts/commands';
import { rpcRequest } from '@libs/messaging/rpc-client';
import { NatsContext } from '@libs/nats/nats-context';
import { LOGGER, NATS } from '@libs/nest/tokens';
import { DurableConsumer } from '@libs/projections/durable-consumer';
import { DueRetries, DueRetryDoc } from './due-retries';

const LOOKAHEAD_MS = 2_000;
const LOOK_EVERY_MS = 500;
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
  private readonly armed = new Map<string, NodeJS.Timeout>();
  private readonly batches = new Map<string, DueRetryDoc[]>();
  private looker?: NodeJS.Timeout;

  constructor(
    @Inject(NATS) private readonly nats: NatsContext,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly retries: DueRetries,
  ) {}

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
      if (Date.parse(event.data.retryAt) <= Date.now() + LOOKAHEAD_MS) this.arm({ _id: event.data.callId, ...event.data });
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
      const due = await this.retries.dueBefore(new Date(Date.now() + LOOKAHEAD_MS), MAX_ARMED);
      due.forEach((doc) => this.arm(doc));
    } catch (e) {
      this.log.error({ err: e }, 'looking for due retries failed');
    }
  }

  private arm(doc: DueRetryDoc): void {
    if (this.armed.has(doc._id)) return;
    const timer = setTimeout(() => this.collect(doc), Math.max(0, Date.parse(doc.retryAt) - Date.now()));
    this.armed.set(doc._id, timer);
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
    ids.forEach((id) => this.armed.delete(id));
  }
}
