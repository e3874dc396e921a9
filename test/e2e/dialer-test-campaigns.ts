// Campaign set-up shared by the dialer's end-to-end tests.
import { ApiClient } from '@libs/testing/api-client';
import { waitFor } from '@libs/testing/wait-for';

export interface CampaignSpec {
  name?: string;
  limit: number;
  fromNumbers?: string[];
  settings?: Record<string, unknown>;
}

/**
 * Creates a campaign and adds its contacts (not started). The campaign becomes visible to reads a
 * moment after the create answers (read model), so contacts are added once GET finds it.
 */
export async function createCampaign(api: ApiClient, spec: CampaignSpec, numbers: string[]): Promise<string> {
  const created = await api.post('/campaigns', {
    name: spec.name ?? 'dialer test',
    fromNumber: '+14155550100',
    ...(spec.fromNumbers ? { fromNumbers: spec.fromNumbers } : {}),
    wssUrl: 'wss://bot.example.com/stream',
    settings: { concurrentCallsLimit: spec.limit, ...spec.settings },
  });
  if (created.status !== 201) throw new Error(`campaign creation failed: ${created.status} ${JSON.stringify(created.body)}`);
  const id = created.body.id as string;
  await waitFor(async () => (await api.get(`/campaigns/${id}`)).status === 200, { timeoutMs: 10_000, intervalMs: 50, description: `campaign ${id} to be readable` });
  await addContacts(api, id, numbers);
  return id;
}

export async function addContacts(api: ApiClient, id: string, numbers: string[]): Promise<void> {
  for (let i = 0; i < numbers.length; i += 1000) {
    const batch = numbers.slice(i, i + 1000);
    const added = await api.post(`/campaigns/${id}/contacts`, { contacts: batch.map((phoneNumber) => ({ phoneNumber })) });
    if (added.body?.accepted !== batch.length) throw new Error(`adding contacts failed: ${added.status} ${JSON.stringify(added.body)}`);
  }
}

export async function startCampaign(api: ApiClient, id: string): Promise<void> {
  const started = await api.post(`/campaigns/${id}/start`);
  if (started.status !== 200) throw new Error(`start failed: ${started.status} ${JSON.stringify(started.body)}`);
}

export async function waitUntilCompleted(api: ApiClient, id: string, timeoutMs: number): Promise<void> {
  await waitFor(async () => (await api.get(`/campaigns/${id}/progress`)).body.campaign.status === 'completed', {
    timeoutMs,
    intervalMs: 250,
    description: `campaign ${id} to complete`,
  });
}
