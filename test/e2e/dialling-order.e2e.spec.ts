import { ApiClient, phoneNumbers } from '@libs/testing/api-client';
import { Stack } from '@libs/testing/stack';
import { newClient, startTestStack } from '@libs/testing/test-stack';
import { waitFor } from '@libs/testing/wait-for';
import { SimulatorClient } from '../../tools/plivo-simulator/src/client';

/**
 * Which contact is dialled when, judged by the order of the simulator's call requests: fifo and
 * priority mode (also for contacts added while running), and call windows per contact time zone.
 */
describe('dialling order', () => {
  let stack: Stack;
  let api: ApiClient;
  let simulator: SimulatorClient;

  beforeAll(async () => {
    stack = await startTestStack({
      // A queue only 2 jobs deep, so that contacts added while running take their place quickly.
      env: { FEED_MIN_DEPTH: '2', FEED_DEPTH_PER_SLOT: '1' },
      simulatorEnv: { SIM_RING_MS: '10-30', SIM_TALK_MS: '150-250' },
    });
    ({ api } = await newClient(stack, 10));
    simulator = new SimulatorClient(stack.simulatorUrl!);
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  async function createCampaign(settings: Record<string, unknown>, contacts: Record<string, unknown>[]): Promise<string> {
    const created = await api.post('/campaigns', { name: 'order', fromNumber: '+14155550100', wssUrl: 'wss://bot.example.com/stream', settings });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const added = await api.post(`/campaigns/${id}/contacts`, { contacts });
    expect([added.status, added.body.accepted]).toEqual([200, contacts.length]);
    return id;
  }

  const progress = async (id: string) => (await api.get(`/campaigns/${id}/progress`)).body;
  const completed = (id: string, timeoutMs = 90_000) =>
    waitFor(async () => ((await progress(id)).campaign.status === 'completed' ? true : undefined), { timeoutMs, description: 'completion' });
  /**
   * The queue hands jobs out in order, but a dialer lane that got a job may lose the race for the next
   * free slot to a lane holding the job after it: order holds up to that (a displacement of 2 at most).
   */
  function expectOrder(actual: string[], expected: string[]) {
    expect([...actual].sort()).toEqual([...expected].sort());
    const displaced = actual.map((n, i) => ({ n, by: Math.abs(i - expected.indexOf(n)) })).filter((d) => d.by > 2);
    expect(displaced).toEqual([]);
  }

  const dialledOrder = async (id: string) =>
    (await simulator.calls({ answerUrlContains: id })).sort((a, b) => a.requestedAt - b.requestedAt).map((c) => c.request.to);

  it('fifo dials in the order added', async () => {
    const numbers = phoneNumbers(12, 7000);
    const id = await createCampaign({ concurrentCallsLimit: 1, priorityMode: 'fifo' }, numbers.map((phoneNumber, i) => ({ phoneNumber, priority: i % 3 })));
    await api.post(`/campaigns/${id}/start`);
    await completed(id);
    expectOrder(await dialledOrder(id), numbers);
  }, 120_000);

  it('priority mode dials higher priority first, then in order added, also for contacts added while running', async () => {
    const numbers = phoneNumbers(16, 7100);
    const priorities = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3];
    const contacts = numbers.map((phoneNumber, i) => ({ phoneNumber, priority: priorities[i] }));
    const id = await createCampaign({ concurrentCallsLimit: 1, priorityMode: 'priority' }, contacts);
    const expected = [...contacts].map((c, i) => ({ ...c, i })).sort((a, b) => b.priority - a.priority || a.i - b.i).map((c) => c.phoneNumber);

    await api.post(`/campaigns/${id}/start`);
    await waitFor(async () => ((await dialledOrder(id)).length >= 3 ? true : undefined), { timeoutMs: 30_000, description: '3 calls' });
    const late = phoneNumbers(2, 7200);
    expect((await api.post(`/campaigns/${id}/contacts`, { contacts: late.map((phoneNumber) => ({ phoneNumber, priority: 100 })) })).body.accepted).toBe(2);
    const dialledBeforeAdd = (await dialledOrder(id)).length;
    await completed(id);

    const order = await dialledOrder(id);
    expectOrder(
      order.filter((n) => !late.includes(n)),
      expected,
    );
    // The late, urgent contacts overtake what was not yet queued when their batch was projected (the
    // queue is 2 deep; calls go on meanwhile): at least half of the contacts still waiting at the add.
    const waitingAtAdd = numbers.length - dialledBeforeAdd;
    for (const n of late) expect(order.indexOf(n)).toBeLessThanOrEqual(dialledBeforeAdd + Math.floor(waitingAtAdd / 2));
  }, 120_000);

  it('calls no contact outside its local call window, counts the waiting ones as delayed, and dials them when it opens', async () => {
    // The window opens at the next full minute, UTC; for contacts one hour ahead (Etc/GMT-1) it is already open.
    const now = new Date();
    const opensAt = new Date(now);
    opensAt.setUTCSeconds(0, 0);
    opensAt.setUTCMinutes(opensAt.getUTCMinutes() + (now.getUTCSeconds() > 45 ? 2 : 1));
    const hhmm = (d: Date) => d.toISOString().slice(11, 16);
    const window = { start: hhmm(opensAt), end: hhmm(new Date(opensAt.getTime() + 3 * 3_600_000)), timezone: 'UTC' };

    const ahead = phoneNumbers(4, 7300).map((phoneNumber) => ({ phoneNumber, timezone: 'Etc/GMT-1' }));
    const utc = phoneNumbers(3, 7400).map((phoneNumber) => ({ phoneNumber, timezone: 'UTC' }));
    const campaignZone = phoneNumbers(2, 7500).map((phoneNumber) => ({ phoneNumber }));
    const id = await createCampaign({ concurrentCallsLimit: 2, callWindow: window }, [...ahead, ...utc, ...campaignZone]);
    await api.post(`/campaigns/${id}/start`);

    await waitFor(async () => ((await simulator.calls({ answerUrlContains: id })).filter((c) => c.liveTo).length === 4 ? true : undefined), {
      timeoutMs: 30_000,
      description: 'the contacts whose window is open to be called',
    });
    if (Date.now() < opensAt.getTime() - 1_000) {
      const p = await progress(id);
      expect(p.queue).toMatchObject({ delayed: 5, waiting: 0 });
      expect(p.campaign.status).toBe('running');
    }

    await completed(id, 150_000);
    const calls = await simulator.calls({ answerUrlContains: id });
    expect(calls).toHaveLength(9);
    const waited = new Set([...utc, ...campaignZone].map((c) => c.phoneNumber));
    for (const call of calls) {
      if (waited.has(call.request.to)) {
        expect(call.requestedAt).toBeGreaterThanOrEqual(opensAt.getTime());
        expect(call.requestedAt).toBeLessThan(opensAt.getTime() + 10_000);
      } else {
        expect(call.requestedAt).toBeLessThan(opensAt.getTime());
      }
    }
  }, 200_000);

  it('refuses a call window with an unknown time zone', async () => {
    const created = await api.post('/campaigns', {
      name: 'bad window',
      fromNumber: '+14155550100',
      wssUrl: 'wss://bot.example.com/stream',
      settings: { callWindow: { start: '09:00', end: '20:00', timezone: 'Mars/Olympus' } },
    });
    expect(created.status).toBe(400);
    expect(JSON.stringify(created.body)).toMatch(/timezone/);
  });
});
