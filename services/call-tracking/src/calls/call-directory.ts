import { LRUCache } from 'lru-cache';
import { CallRequested } from '@contracts/calls/events';
import { CallEventKind } from '@contracts/subjects';
import { CampaignRuntime } from '@contracts/dialing/runtime';
import { decodeJson } from '@libs/event-store/codec';
import { isNotFound } from '@libs/event-store/jetstream-event-store';
import { getJson } from '@libs/nats/kv';
import { NatsContext } from '@libs/nats/nats-context';

const MAX_CACHED = 20_000;
/** How long a campaign's runtime entry is reused: answer callbacks of one campaign come in bursts, and
 * what the answer XML needs of it (bot URL, answer URL, agent) changes rarely. */
const CAMPAIGN_TTL_MS = 2_000;

/**
 * Finds what a webhook needs about its call straight from the streams: the dialer published
 * CallRequested before asking Plivo, so a direct get by subject always finds it, with no projection
 * lag between the call request and its first webhook.
 */
export class CallDirectory {
  private readonly requested = new LRUCache<string, CallRequested>({ max: MAX_CACHED });
  /** Neither a missing entry nor a failed read is kept. */
  private readonly campaigns = new LRUCache<string, CampaignRuntime>({
    max: MAX_CACHED,
    ttl: CAMPAIGN_TTL_MS,
    fetchMethod: (campaignId) => getJson<CampaignRuntime>(this.nats.buckets.campaignRuntime, campaignId),
  });

  constructor(private readonly nats: NatsContext) {}

  async callRequested(campaignId: string, callId: string): Promise<CallRequested | undefined> {
    const key = `${campaignId}/${callId}`;
    const cached = this.requested.get(key);
    if (cached) return cached;
    const event = await this.last<CallRequested>(campaignId, callId, 'requested');
    if (event) this.remember(event);
    return event;
  }

  /** A CallRequested seen on the stream (the calls projection): its webhooks then need no lookup here. */
  remember(event: CallRequested): void {
    this.requested.set(`${event.data.campaignId}/${event.data.callId}`, event);
  }

  async hasEvent(campaignId: string, callId: string, kind: CallEventKind): Promise<boolean> {
    return (await this.last(campaignId, callId, kind)) !== undefined;
  }

  forget(campaignId: string, callId: string): void {
    this.requested.delete(`${campaignId}/${callId}`);
  }

  /** Concurrent callers share one read. */
  campaign(campaignId: string): Promise<CampaignRuntime | undefined> {
    return this.campaigns.fetch(campaignId);
  }

  private async last<E>(campaignId: string, callId: string, kind: CallEventKind): Promise<E | undefined> {
    try {
      const m = await this.nats.jsm.streams.getMessage(this.nats.subjects.streams.calls, {
        last_by_subj: this.nats.subjects.callEvent(campaignId, callId, kind),
      });
      return m ? decodeJson<E>(m.data) : undefined;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }
}
