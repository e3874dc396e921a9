import { ApiClient, phoneNumbers } from '@libs/testing/api-client';
import { Stack } from '@libs/testing/stack';
import { newClient, startTestStack } from '@libs/testing/test-stack';
import { SimulatorClient } from '../../tools/plivo-simulator/src/client';
import { maxLiveByScope, overLimit } from './dialer-scopes';
import { createCampaign, startCampaign, waitUntilCompleted } from './dialer-test-campaigns';

const GLOBAL_LIMIT = 8;
const CONTACTS = 40;

/**
 * Concurrency limits with three dialers: two clients, five campaigns, limits that bind at every level
 * (the campaign limits of a client add up to more than the client's, the clients' to more than the
 * global one). Ground truth is the simulator's record of live calls: at no instant does any campaign,
 * client or the account have more live calls than its limit.
 */
describe('dialer: limits across three dialers', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startTestStack({
      dialerReplicas: 3,
      env: { GLOBAL_MAX_CALLS: String(GLOBAL_LIMIT) },
      simulatorEnv: { SIM_RING_MS: '20-50', SIM_TALK_MS: '100-300', SIM_TIME_SCALE: '1' },
    });
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('never has more live calls than a campaign, client or global limit allows', async () => {
    const limits = new Map<string, number>([['global', GLOBAL_LIMIT]]);
    const clientOf = new Map<string, string>();
    const campaigns: { id: string; api: ApiClient }[] = [];
    let firstNumber = 7000;
    for (const spec of [
      { max: 5, campaignLimits: [3, 4] },
      { max: 6, campaignLimits: [2, 5, 1] },
    ]) {
      const client = await newClient(stack, spec.max);
      limits.set(`client.${client.id}`, spec.max);
      for (const limit of spec.campaignLimits) {
        const id = await createCampaign(client.api, { limit }, phoneNumbers(CONTACTS, (firstNumber += 100)));
        limits.set(`campaign.${id}`, limit);
        clientOf.set(id, client.id);
        campaigns.push({ id, api: client.api });
      }
    }
    await Promise.all(campaigns.map(({ id, api }) => startCampaign(api, id)));
    for (const { id, api } of campaigns) await waitUntilCompleted(api, id, 120_000);

    const record = await new SimulatorClient(stack.simulatorUrl!).calls();
    expect(record.length).toBe(campaigns.length * CONTACTS);
    expect(new Set(record.map((c) => c.request.to)).size).toBe(record.length);
    const maxLive = maxLiveByScope(record, (campaignId) => clientOf.get(campaignId)!);
    expect(overLimit(maxLive, limits)).toEqual([]);
    // The limits were reached, so they were what held the calls back.
    expect(maxLive.get('global')).toBeGreaterThanOrEqual(GLOBAL_LIMIT - 1);
    expect([...clientOf.values()].every((client) => maxLive.get(`client.${client}`)! >= limits.get(`client.${client}`)! - 1)).toBe(true);
  }, 180_000);
});
