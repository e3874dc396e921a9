import { KV } from 'nats';
import { CampaignRuntime, ClientRuntime } from '@contracts/dialing/runtime';
import { decodeJson } from '@libs/event-store/codec';
import { isKvConflict } from '@libs/nats/kv';
import { CampaignData, CampaignState } from '../campaign/campaign';
import { CampaignDoc } from '../read-models/campaigns.read-model';

const encoder = new TextEncoder();

/**
 * Keeps the KV entries dialers and call-tracking read: what to dial and within which limits. A write
 * carries the stream sequence of the last event it reflects and never replaces a newer one, so the
 * command handler (writing at once, before it answers) and the stream processor (writing later) can
 * both write without a stale status ever winning.
 */
export class RuntimeWriter {
  constructor(
    private readonly campaigns: KV,
    private readonly clients: KV,
  ) {}

  putCampaign(runtime: CampaignRuntime): Promise<void> {
    return this.putNewer(this.campaigns, runtime.campaignId, runtime);
  }

  putClient(runtime: ClientRuntime): Promise<void> {
    return this.putNewer(this.clients, runtime.clientId, runtime);
  }

  private async putNewer(kv: KV, key: string, value: { revision: number }): Promise<void> {
    const data = encoder.encode(JSON.stringify(value));
    for (;;) {
      const entry = await kv.get(key);
      if (entry && entry.operation === 'PUT' && decodeJson<{ revision: number }>(entry.value).revision >= value.revision) return;
      try {
        if (entry) await kv.update(key, data, entry.revision);
        else await kv.create(key, data);
        return;
      } catch (e) {
        if (!isKvConflict(e)) throw e;
      }
    }
  }
}

export function runtimeOfDoc(doc: CampaignDoc): CampaignRuntime {
  return runtimeOf({ ...doc, campaignId: doc._id }, doc.status, doc._rev);
}

export function runtimeOfState(state: Exclude<CampaignState, { status: 'none' }>, revision: number): CampaignRuntime {
  return runtimeOf(state.campaign, state.status, revision);
}

function runtimeOf(c: CampaignData, status: string, revision: number): CampaignRuntime {
  return {
    campaignId: c.campaignId,
    clientId: c.clientId,
    status,
    fromNumber: c.fromNumber,
    ...(c.fromNumbers ? { fromNumbers: c.fromNumbers } : {}),
    ...(c.wssUrl ? { wssUrl: c.wssUrl } : {}),
    ...(c.answerUrl ? { answerUrl: c.answerUrl } : {}),
    ...(c.agentId ? { agentId: c.agentId } : {}),
    settings: c.settings,
    revision,
  };
}
