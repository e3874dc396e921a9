import { ApiClient, phoneNumbers } from '@libs/testing/api-client';
import { Stack } from '@libs/testing/stack';
import { newClient, startTestStack } from '@libs/testing/test-stack';
import { waitFor } from '@libs/testing/wait-for';
import { SimulatorClient } from '../../tools/plivo-simulator/src/client';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Lifecycle against the running system, judged by the simulator's record: no call is requested after
 * a pause or cancel is acknowledged; resume continues with every contact called exactly once.
 */
describe('pause, resume and cancel', () => {
  let stack: Stack;
  let api: ApiClient;
  let simulator: SimulatorClient;

  beforeAll(async () => {
    stack = await startTestStack({
      simulatorEnv: { SIM_RING_MS: '50-100', SIM_TALK_MS: '300-600', SIM_TIME_SCALE: '1' },
    });
    ({ api } = await newClient(stack, 10));
    simulator = new SimulatorClient(stack.simulatorUrl!);
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  async function startCampaign(contacts: string[], limit: number): Promise<string> {
    const created = await api.post('/campaigns', {
      name: 'lifecycle',
      fromNumber: '+14155550100',
      wssUrl: 'wss://bot.example.com/stream',
      settings: { concurrentCallsLimit: limit },
    });
    const id = created.body.id as string;
    await api.post(`/campaigns/${id}/contacts`, { contacts: contacts.map((phoneNumber) => ({ phoneNumber })) });
    expect((await api.post(`/campaigns/${id}/start`)).status).toBe(200);
    return id;
  }

  const progress = async (id: string) => (await api.get(`/campaigns/${id}/progress`)).body;
  const callsOf = (id: string) => simulator.calls({ answerUrlContains: id });

  it('pauses at once and resumes exactly where it stopped', async () => {
    const numbers = phoneNumbers(30, 3000);
    const id = await startCampaign(numbers, 2);
    await waitFor(async () => (await progress(id)).campaign.completedCalls >= 4, { timeoutMs: 60_000, description: '4 completed calls' });

    const paused = await api.post(`/campaigns/${id}/pause`);
    const pausedAt = Date.now();
    expect(paused.status).toBe(200);
    expect(paused.body.status).toBe('paused');
    expect((await api.post(`/campaigns/${id}/pause`)).status).toBe(409);

    await sleep(2_500);
    const duringPause = await callsOf(id);
    expect(duringPause.filter((c) => c.requestedAt > pausedAt)).toEqual([]);
    const p = await waitFor(async () => {
      const now = await progress(id);
      return now.campaign.activeCalls === 0 ? now : undefined;
    }, { timeoutMs: 20_000, description: 'calls in flight to finish' });
    expect(p.campaign.status).toBe('paused');
    expect(p.campaign.completedCalls).toBe(duringPause.length);
    expect(p.campaign.queuedCalls).toBe(numbers.length - duringPause.length);

    expect((await api.post(`/campaigns/${id}/resume`)).body.status).toBe('running');
    const done = await waitFor(async () => {
      const now = await progress(id);
      return now.campaign.status === 'completed' ? now : undefined;
    }, { timeoutMs: 90_000, description: 'the resumed campaign to complete' });
    expect(done.campaign).toMatchObject({ totalContacts: 30, completedCalls: 30, progress: 100 });

    const all = await callsOf(id);
    expect(all.map((c) => c.request.to).sort()).toEqual([...numbers].sort());
  }, 240_000);

  it('cancels: nothing is dialled after the cancel is acknowledged and uncalled contacts end cancelled', async () => {
    const numbers = phoneNumbers(20, 4000);
    const id = await startCampaign(numbers, 1);
    await waitFor(async () => (await progress(id)).campaign.completedCalls >= 1, { timeoutMs: 60_000, description: 'a completed call' });

    const cancelled = await api.post(`/campaigns/${id}/cancel`);
    const cancelledAt = Date.now();
    expect(cancelled.body.status).toBe('cancelled');
    expect((await api.post(`/campaigns/${id}/cancel`)).status).toBe(409);
    expect((await api.post(`/campaigns/${id}/resume`)).status).toBe(409);

    await sleep(2_500);
    const calls = await callsOf(id);
    expect(calls.filter((c) => c.requestedAt > cancelledAt)).toEqual([]);
    const stats = await waitFor(async () => {
      const s = (await api.get(`/campaigns/${id}/stats`)).body.contactsByStatus;
      return (s.cancelled ?? 0) + (s.completed ?? 0) === numbers.length ? s : undefined;
    }, { timeoutMs: 20_000, description: 'every contact to be final' });
    expect(stats.completed).toBe(calls.length);
    expect(stats.cancelled).toBe(numbers.length - calls.length);
    expect((await progress(id)).campaign.status).toBe('cancelled');
  }, 240_000);
});
