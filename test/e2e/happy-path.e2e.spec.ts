import { Stack } from '@libs/testing/stack';
import { newClient, startTestStack } from '@libs/testing/test-stack';
import { waitFor } from '@libs/testing/wait-for';
import { maxConcurrent, SimulatorClient } from '../../tools/plivo-simulator/src/client';
import { phoneNumbers } from '@libs/testing/api-client';

const CONTACTS = 200;
const LIMIT = 5;

/**
 * The walking skeleton's happy path, every service as its own process: a client creates a campaign,
 * adds 200 contacts and starts it; the campaign completes by itself with exact counters, one call per
 * contact, and the simulator (the telephony side's own record) never saw more than 5 live calls.
 */
describe('one campaign end to end', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startTestStack({
      env: { GLOBAL_MAX_CALLS: '50' },
      simulatorEnv: { SIM_RING_MS: '50-150', SIM_TALK_MS: '100-400', SIM_TIME_SCALE: '1' },
    });
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('runs a 200-contact campaign with a limit of 5 to completion', async () => {
    const { api } = await newClient(stack, 10);

    const created = await api.post('/campaigns', {
      name: 'Renewals',
      fromNumber: '+14155550100',
      wssUrl: 'wss://bot.example.com/stream',
      settings: { concurrentCallsLimit: LIMIT },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'draft', settings: { concurrentCallsLimit: LIMIT } });
    const campaignId: string = created.body.id;

    const numbers = phoneNumbers(CONTACTS);
    const added = await api.post(`/campaigns/${campaignId}/contacts`, {
      contacts: numbers.map((phoneNumber, i) => ({ phoneNumber, name: `Contact ${i}`, customData: { row: i } })),
    });
    expect(added.body).toEqual({ accepted: CONTACTS, rejected: [], rejectedCount: 0, duplicates: 0 });

    const started = await api.post(`/campaigns/${campaignId}/start`);
    expect(started.status).toBe(200);
    expect(started.body.status).toBe('running');

    const progress = await waitFor(
      async () => {
        const p = await api.get(`/campaigns/${campaignId}/progress`);
        return p.body.campaign.status === 'completed' ? p.body : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 250, description: 'the campaign to complete' },
    );
    expect(progress.campaign).toMatchObject({
      status: 'completed',
      totalContacts: CONTACTS,
      queuedCalls: 0,
      activeCalls: 0,
      completedCalls: CONTACTS,
      failedCalls: 0,
      voicemailCalls: 0,
      progress: 100,
      successRate: 100,
    });
    expect(progress.queue).toEqual({ waiting: 0, active: 0, completed: CONTACTS, failed: 0, delayed: 0 });

    // The call log is call-tracking's read model: eventually consistent, so wait for it to catch up.
    const calls = await waitFor(
      async () => {
        const page = await api.get(`/campaigns/${campaignId}/calls?limit=500`);
        return page.body.items.every((c: { status: string }) => c.status === 'completed') && page.body.total === CONTACTS ? page : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250, description: 'the call log to list every call as completed' },
    );
    expect(calls.body.total).toBe(CONTACTS);
    expect(new Set(calls.body.items.map((c: { to: string }) => c.to))).toEqual(new Set(numbers));
    expect(calls.body.items.every((c: { status: string }) => c.status === 'completed')).toBe(true);

    const simulator = new SimulatorClient(stack.simulatorUrl!);
    const record = await simulator.calls({ answerUrlContains: campaignId });
    expect(record).toHaveLength(CONTACTS);
    expect(new Set(record.map((c) => c.request.to)).size).toBe(CONTACTS);
    const live = maxConcurrent(record.map((c) => ({ from: c.liveFrom, to: c.liveTo! })));
    expect(live).toBeLessThanOrEqual(LIMIT);
    expect(live).toBeGreaterThanOrEqual(2);
    for (const call of record) {
      expect(call.answerXml).toContain('<Stream bidirectional="true" keepCallAlive="true"');
      expect(call.answerXml).toContain('wss://bot.example.com/stream');
      expect(call.answerXml).toContain(`campaignId=${campaignId}`);
    }
  }, 180_000);
});
