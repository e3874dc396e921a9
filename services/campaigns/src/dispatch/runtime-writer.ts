import { KV } from 'nats';
import { CampaignRuntime, ClientRuntime } from '@contracts/dialing/runtime';
import { CampaignDoc } from '../read-models/campaigns.read-model';

const encoder = new TextEncoder();

/** Keeps the KV entries dialers and call-tracking read: what to dial and within which limits. */
export class RuntimeWriter {
  constructor(
    private readonly campaigns: KV,
    private readonly clients: KV,
  ) {}

  async putCampaign(doc: CampaignDoc): Promise<void> {
    const runtime: CampaignRuntime = {
      campaignId: doc._id,
      clientId: doc.clientId,
      status: doc.status,
      fromNumber: doc.fromNumber,
      ...(doc.fromNumbers ? { fromNumbers: doc.fromNumbers } : {}),
      ...(doc.wssUrl ? { wssUrl: doc.wssUrl } : {}),
      ...(doc.answerUrl ? { answerUrl: doc.answerUrl } : {}),
      ...(doc.agentId ? { agentId: doc.agentId } : {}),
      settings: doc.settings,
      revision: doc._rev,
    };
    await this.campaigns.put(doc._id, encoder.encode(JSON.stringify(runtime)));
  }

  async putClient(runtime: ClientRuntime): Promise<void> {
    await this.clients.put(runtime.clientId, encoder.encode(JSON.stringify(runtime)));
  }
}
