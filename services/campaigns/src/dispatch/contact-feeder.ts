import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Logger } from 'pino';
import { CallWindow, isWithinWindow, nextOpening, windowFor } from '@libs/call-window/call-window';
import { CampaignRuntime } from '@contracts/dialing/runtime';
import { getJson } from '@libs/nats/kv';
import { NatsContext } from '@libs/nats/nats-context';
import { CONFIG, LOGGER, NATS } from '@libs/nest/tokens';
import { CampaignsConfig } from '../config';
import { CampaignDoc, CampaignsReadModel } from '../read-models/campaigns.read-model';
import { ContactDoc, ContactsReadModel } from '../read-models/contacts.read-model';
import { CandidateCache } from './candidate-cache';
import { CoalescedRuns } from './coalesced-runs';
import { DialQueue } from './dial-queue';

const SWEEP_MS = 30_000;
/** A contact queued this long ago and still unclaimed, while the queue holds fewer jobs than queued contacts, lost its job. */
const LOST_JOB_AFTER_MS = 60_000;
const MAX_TIMER_MS = 60 * 60_000;
/** Each read of the next contacts fetches this many feeds' worth (at most MAX_READ_AHEAD), kept CANDIDATES_TTL_MS. */
const READ_AHEAD = 10;
const MAX_READ_AHEAD = 2_000;
const CANDIDATES_TTL_MS = 5_000;

/**
 * Keeps each running campaign's DIAL queue shallow and in dialling order: it tops the queue up from the
 * contacts read model (fifo, or priority then order added; only contacts whose call window is open)
 * whenever it runs low, so that contacts added later, retries that fall due and windows that open take
 * their place by the same rule, and a pause or cancel strands only a few jobs.
 */
@Injectable()
export class ContactFeeder implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly runs: CoalescedRuns;
  private readonly candidates = new CandidateCache(CANDIDATES_TTL_MS);
  private readonly windowTimers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private sweep?: NodeJS.Timeout;

  constructor(
    @Inject(CONFIG) private readonly config: CampaignsConfig,
    @Inject(NATS) private readonly nats: NatsContext,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly campaigns: CampaignsReadModel,
    private readonly contacts: ContactsReadModel,
    private readonly dialQueue: DialQueue,
  ) {
    this.runs = new CoalescedRuns(
      (campaignId) => this.feed(campaignId),
      config.FEED_COALESCE_MS,
      (campaignId, err) => this.log.warn({ err, campaignId }, 'feeding the dial queue failed; trying again'),
    );
  }

  onApplicationBootstrap() {
    // Covers feeds lost with a crashed instance, and jobs lost between marking and publishing.
    this.sweep = setInterval(() => void this.sweepRunning(), SWEEP_MS);
    void this.sweepRunning();
  }

  onModuleDestroy() {
    clearInterval(this.sweep);
    this.runs.stop();
    this.windowTimers.forEach(({ timer }) => clearTimeout(timer));
  }

  /**
   * Tops the campaign's queue up soon. `reordered`: the campaign's contacts changed in a way that may
   * change who is next (contacts added, retries due, hand-backs, settings), so nothing cached is used.
   */
  request(campaignId: string, reordered = false): void {
    if (reordered) this.candidates.drop(campaignId);
    this.runs.request(campaignId);
  }

  private async sweepRunning(): Promise<void> {
    try {
      const running = await this.campaigns.collection.find({ status: 'running' }, { projection: { _id: 1 } }).toArray();
      for (const { _id } of running) {
        await this.requeueLostJobs(_id);
        this.request(_id);
      }
    } catch (err) {
      this.log.warn({ err }, 'dial queue sweep failed');
    }
  }

  private async feed(campaignId: string): Promise<void> {
    // The runtime entry, not the read model: while a read model is rebuilt its documents pass through
    // old states (a long-completed campaign is briefly "running" again), and nothing may be fed then.
    const runtime = await getJson<CampaignRuntime>(this.nats.buckets.campaignRuntime, campaignId);
    if (runtime?.status !== 'running') return;
    const campaign = await this.campaigns.collection.findOne({ _id: campaignId });
    if (campaign?.status !== 'running') return;
    const target = Math.max(this.config.FEED_MIN_DEPTH, campaign.settings.concurrentCallsLimit * this.config.FEED_DEPTH_PER_SLOT);
    const depth = await this.dialQueue.depth(campaignId);
    if (depth > target / 2) return;
    const now = new Date();
    const timezones = await this.openTimezones(campaign, now);
    if (timezones?.length === 0) return;
    const next = await this.nextToDial(campaign, target - depth, timezones);
    if (next.length === 0) return;
    const marked = await this.contacts.markQueued(next, now.toISOString());
    await this.dialQueue.enqueue(marked, `feed-${campaignId}`, this.windowOf(campaign));
  }

  private async nextToDial(campaign: CampaignDoc, count: number, timezones: (string | null)[] | undefined): Promise<ContactDoc[]> {
    const order = campaign.settings.priorityMode;
    const key = JSON.stringify([order, timezones ?? null]);
    const cached = this.candidates.take(campaign._id, key, count);
    if (cached) return cached;
    const wanted = Math.min(count * READ_AHEAD, MAX_READ_AHEAD);
    const read = await this.contacts.nextToDial(campaign._id, order, wanted, timezones);
    this.candidates.put(campaign._id, key, read.slice(count), read.length < wanted);
    return read.slice(0, count);
  }

  /**
   * Without a call window, undefined (every contact may be called). With one, the time zones of waiting
   * contacts whose window is open now; the feed is re-run when the next closed one opens.
   */
  private async openTimezones(campaign: CampaignDoc, now: Date): Promise<(string | null)[] | undefined> {
    const window = campaign.settings.callWindow;
    if (!window) return undefined;
    const waiting = (await this.contacts.pendingByTimezone(campaign._id)).map((z) => z.timezone);
    const open = waiting.filter((zone) => isWithinWindow(windowFor(window, zone ?? undefined)!, now));
    const closed = waiting.filter((zone) => !open.includes(zone));
    if (closed.length > 0) {
      const opensAt = Math.min(...closed.map((zone) => nextOpening(windowFor(window, zone ?? undefined)!, now).getTime()));
      this.feedAt(campaign._id, opensAt);
    }
    return open;
  }

  private feedAt(campaignId: string, at: number): void {
    const armed = this.windowTimers.get(campaignId);
    if (armed && armed.at <= at) return;
    if (armed) clearTimeout(armed.timer);
    const timer = setTimeout(
      () => {
        this.windowTimers.delete(campaignId);
        this.request(campaignId);
      },
      Math.min(Math.max(at - Date.now(), 0), MAX_TIMER_MS),
    );
    this.windowTimers.set(campaignId, { at, timer });
  }

  private windowOf(campaign: CampaignDoc): (c: ContactDoc) => CallWindow | undefined {
    return (c) => windowFor(campaign.settings.callWindow, c.timezone);
  }

  /** Re-publishes jobs a crashed feed marked but never published (duplicates are dropped or refused by the claim). */
  private async requeueLostJobs(campaignId: string): Promise<void> {
    const [queued, depth] = await Promise.all([this.contacts.countQueued(campaignId), this.dialQueue.depth(campaignId)]);
    if (queued <= depth) return;
    const stale = await this.contacts.queuedSince(campaignId, new Date(Date.now() - LOST_JOB_AFTER_MS).toISOString());
    if (stale.length === 0) return;
    const campaign = await this.campaigns.collection.findOne({ _id: campaignId });
    if (!campaign) return;
    this.log.info({ campaignId, count: stale.length }, 're-publishing dial jobs of contacts queued but never claimed');
    await this.dialQueue.enqueue(stale, `feed-${campaignId}`, this.windowOf(campaign));
  }
}
