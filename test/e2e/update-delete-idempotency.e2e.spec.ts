import { connect } from 'nats';
import { Subjects } from '@contracts/subjects';
import { ApiClient, phoneNumbers } from '@libs/testing/api-client';
import { Stack } from '@libs/testing/stack';
import { newClient, startTestStack } from '@libs/testing/test-stack';
import { testNatsUrl, uniqueName } from '@libs/testing/test-env';
import { waitFor } from '@libs/testing/wait-for';
import { maxConcurrent, SimulatorClient } from '../../tools/plivo-simulator/src/client';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('changing, deleting and retrying requests', () => {
  let stack: Stack;
  let api: ApiClient;
  let simulator: SimulatorClient;

  beforeAll(async () => {
    stack = await startTestStack({
      simulatorEnv: { SIM_RING_MS: '20-40', SIM_TALK_MS: '400-600' },
    });
    ({ api } = await newClient(stack, 20));
    simulator = new SimulatorClient(stack.simulatorUrl!);
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  const body = (limit: number) => ({ name: 'live limits', fromNumber: '+14155550100', wssUrl: 'wss://bot.example.com/s', settings: { concurrentCallsLimit: limit } });
  const liveIn = (calls: { liveFrom: number; liveTo: number | null }[], from: number, to: number) =>
    maxConcurrent(calls.filter((c) => c.liveTo !== null && c.liveTo > from && c.liveFrom < to).map((c) => ({ from: Math.max(c.liveFrom, from), to: Math.min(c.liveTo!, to) })));

  it('applies a new concurrentCallsLimit to a running campaign at once, up and down', async () => {
    const id = (await api.post('/campaigns', body(1))).body.id;
    await api.post(`/campaigns/${id}/contacts`, { contacts: phoneNumbers(60, 6000).map((phoneNumber) => ({ phoneNumber })) });
    await api.post(`/campaigns/${id}/start`);
    await sleep(2_000);

    const beforeRaise = Date.now();
    expect((await api.patch(`/campaigns/${id}`, { settings: { concurrentCallsLimit: 4 } })).body.settings.concurrentCallsLimit).toBe(4);
    const raisedAt = Date.now();
    await sleep(2_500);
    await api.patch(`/campaigns/${id}`, { settings: { concurrentCallsLimit: 2 } });
    const loweredAt = Date.now();
    await waitFor(async () => (await api.get(`/campaigns/${id}/progress`)).body.campaign.status === 'completed', { timeoutMs: 90_000 });

    const calls = await simulator.calls({ answerUrlContains: id });
    expect(calls).toHaveLength(60);
    expect(liveIn(calls, 0, beforeRaise)).toBe(1);
    expect(liveIn(calls, raisedAt + 1_000, loweredAt)).toBe(4);
    // Calls started under the higher limit run out; from the end of the last of them, never more than 2.
    const lastOldCallEnds = Math.max(...calls.filter((c) => c.liveFrom < loweredAt).map((c) => c.liveTo!));
    expect(liveIn(calls, lastOldCallEnds, Date.now())).toBe(2);
  }, 180_000);

  it('deletes a campaign that is not running, and only then', async () => {
    const id = (await api.post('/campaigns', body(1))).body.id;
    await api.post(`/campaigns/${id}/contacts`, { contacts: phoneNumbers(10, 7000).map((phoneNumber) => ({ phoneNumber })) });
    await api.post(`/campaigns/${id}/start`);
    expect((await api.request('DELETE', `/campaigns/${id}`)).status).toBe(409);
    await api.post(`/campaigns/${id}/pause`);
    expect((await api.request('DELETE', `/campaigns/${id}`)).status).toBe(204);
    expect((await api.request('DELETE', `/campaigns/${id}`)).status).toBe(404);
    await waitFor(async () => (await api.get(`/campaigns/${id}`)).status === 404, { timeoutMs: 10_000, description: 'the read model to drop it' });
    expect((await api.post(`/campaigns/${id}/resume`)).status).toBe(404);
    await waitFor(async () => !(await api.get('/campaigns?limit=100')).body.items.some((c: { id: string }) => c.id === id), { timeoutMs: 10_000 });
  }, 60_000);

  it('applies a POST with an Idempotency-Key once and answers a repeat with the first answer', async () => {
    const headers = { 'idempotency-key': uniqueName('key') };
    const [first, second] = await Promise.all([api.post('/campaigns', body(3), headers), api.post('/campaigns', body(3), headers)]);
    const third = await api.post('/campaigns', body(3), headers);
    expect(first.status).toBe(201);
    expect(second).toEqual(first);
    expect(third).toEqual(first);
    expect((await api.post('/campaigns', body(4), headers)).status).toBe(422);
    const all = await waitFor(async () => {
      const list = (await api.get('/campaigns?limit=100')).body;
      return list.items.some((c: { id: string }) => c.id === first.body.id) ? list : undefined;
    });
    expect(all.items.filter((c: { name: string; settings: { concurrentCallsLimit: number } }) => c.settings.concurrentCallsLimit === 3)).toHaveLength(1);
  }, 60_000);

  it('creates one campaign for a key sent again after the gateway forgot it (an answer lost to a timeout)', async () => {
    const headers = { 'idempotency-key': uniqueName('lost') };
    const first = await api.post('/campaigns', { ...body(2), name: headers['idempotency-key'] }, headers);
    expect(first.status).toBe(201);
    // What a timeout leaves: the command was applied, but the gateway forgot the key.
    const nc = await connect({ servers: testNatsUrl() });
    try {
      const kv = await nc.jetstream().views.kv(new Subjects(stack.natsNamespace).buckets.idempotency);
      for await (const key of await kv.keys()) await kv.delete(key);
    } finally {
      await nc.close();
    }
    const again = await api.post('/campaigns', { ...body(2), name: headers['idempotency-key'] }, headers);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect((await api.get(`/campaigns/${first.body.id}`)).status).toBe(200);
    const named = await waitFor(async () => {
      const list = (await api.get('/campaigns?limit=100')).body.items as { id: string; name: string }[];
      return list.some((c) => c.id === first.body.id) ? list.filter((c) => c.name === headers['idempotency-key']) : undefined;
    });
    expect(named).toHaveLength(1);
  }, 60_000);

  it("answers a repeated client registration without the new client's API key, which is shown once", async () => {
    const admin = new ApiClient(stack.gatewayUrl, stack.env.ADMIN_API_KEY);
    const headers = { 'idempotency-key': uniqueName('client') };
    const first = await admin.post('/clients', { name: 'once' }, headers);
    expect(first).toMatchObject({ status: 201, body: { apiKey: expect.any(String) } });
    const again = await admin.post('/clients', { name: 'once' }, headers);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.apiKey).toBeUndefined();
  }, 30_000);

  it('reports live calls per scope, equal to what the simulator sees at a quiet moment', async () => {
    await simulator.configure({ talkMs: '4000-4000' });
    try {
      const id = (await api.post('/campaigns', body(3))).body.id;
      await api.post(`/campaigns/${id}/contacts`, { contacts: phoneNumbers(6, 8000).map((phoneNumber) => ({ phoneNumber })) });
      await api.post(`/campaigns/${id}/start`);
      const live = await waitFor(async () => {
        const calls = (await simulator.calls({ answerUrlContains: id })).filter((c) => c.liveTo === null);
        return calls.length === 3 ? calls : undefined;
      }, { timeoutMs: 20_000, description: '3 live calls' });
      await sleep(300);
      const active = (await api.get(`/calls/active?campaignId=${id}&includeCalls=true`)).body;
      expect(active.campaigns).toEqual([{ campaignId: id, status: 'running', active: 3, limit: 3, utilisation: 100, calls: expect.any(Array) }]);
      const liveCallIds = live.map((c) => c.request.answer_url.split('/').slice(-2)[0]).sort();
      expect([...active.campaigns[0].calls].sort()).toEqual(liveCallIds);
      expect(active.client).toMatchObject({ active: 3, limit: 20, utilisation: 15 });
      expect(active.global.active).toBe(3);
      expect((await api.get('/calls/active?campaignId=not-a-uuid')).status).toBe(400);

      // The same, and the consumers' lag, for Prometheus: no API key.
      const scraped = await fetch(`${stack.gatewayUrl}/api/v1/metrics`);
      expect(scraped.status).toBe(200);
      expect(scraped.headers.get('content-type')).toContain('text/plain');
      const metrics = await scraped.text();
      const value = (series: RegExp) => Number(new RegExp(`^${series.source} (\\S+)$`, 'm').exec(metrics)?.[1]);
      expect(value(/dialer_slots_active\{scope="global"\}/)).toBe(3);
      expect(value(/dialer_slots_limit\{scope="global"\}/)).toBe(active.global.limit);
      expect(value(/nats_consumer_pending_messages\{stream="[^"]*CALLS",consumer="dialer-slot-release"\}/)).toBeGreaterThanOrEqual(0);
      expect(value(/nats_consumer_ack_pending_messages\{stream="[^"]*DIAL",consumer="[^"]+"\}/)).toBeGreaterThanOrEqual(0);
      expect(value(/platform_metrics_unread/)).toBe(0);
      await api.post(`/campaigns/${id}/cancel`);
    } finally {
      await simulator.configure({ talkMs: '400-600' });
    }
  }, 60_000);
});
