import { connect, NatsConnection } from 'nats';
import { Subjects } from '@contracts/subjects';
import { ApiClient, phoneNumbers } from '@libs/testing/api-client';
import { Stack } from '@libs/testing/stack';
import { newClient, startTestStack } from '@libs/testing/test-stack';
import { waitFor } from '@libs/testing/wait-for';
import { CallRecord, SimulatorClient } from '../../tools/plivo-simulator/src/client';

const CONTACTS = 40;
const LIMIT = 5;
const CALL_STATUS_BY_SIM_OUTCOME: Record<CallRecord['outcome'], string> = {
  answer: 'completed',
  voicemail: 'voicemail',
  busy: 'busy',
  'no-answer': 'no-answer',
  failed: 'failed',
};

/**
 * The whole system while Plivo misbehaves: the simulator delivers half the webhooks twice (concurrently),
 * sends the ring (and a repeated answer) of 40% of the calls after their hangup, and slows webhooks down.
 * Every call still ends exactly once, with the outcome the telephony side reported, and the counters,
 * the call log and the CALLS stream agree with the simulator's record.
 */
describe('webhooks duplicated, reordered and slow, end to end', () => {
  let stack: Stack;
  let api: ApiClient;
  let simulator: SimulatorClient;
  let nats: NatsConnection;

  beforeAll(async () => {
    stack = await startTestStack({
      simulatorEnv: {
        SIM_RING_MS: '30-80',
        SIM_TALK_MS: '100-300',
        SIM_TIME_SCALE: '1',
        SIM_OUTCOMES: 'answer=40,voicemail=15,busy=15,no-answer=15,failed=15',
        SIM_DUPLICATE_RATE: '0.5',
        SIM_REORDER_RATE: '0.4',
        SIM_WEBHOOK_DELAY_MS: '0-60',
      },
    });
    ({ api } = await newClient(stack, 10));
    simulator = new SimulatorClient(stack.simulatorUrl!);
    nats = await connect({ servers: stack.env.NATS_URL });
  }, 180_000);

  afterAll(async () => {
    await nats?.close();
    await stack?.stop();
  });

  it('counts every call once, with the outcome the simulator reported', async () => {
    const created = await api.post('/campaigns', {
      name: 'chaos',
      fromNumber: '+14155550100',
      wssUrl: 'wss://bot.example.com/stream',
      settings: { concurrentCallsLimit: LIMIT, machineDetection: 'true' },
    });
    expect(created.status).toBe(201);
    const campaignId: string = created.body.id;
    const numbers = phoneNumbers(CONTACTS, 6000);
    const added = await api.post(`/campaigns/${campaignId}/contacts`, { contacts: numbers.map((phoneNumber) => ({ phoneNumber })) });
    expect(added).toMatchObject({ body: { accepted: CONTACTS } });
    expect((await api.post(`/campaigns/${campaignId}/start`)).status).toBe(200);

    const progress = await waitFor(
      async () => {
        const p = (await api.get(`/campaigns/${campaignId}/progress`)).body;
        return p.campaign.status === 'completed' ? p : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 250, description: 'the campaign to complete' },
    );

    // Ground truth: what the telephony side did, once the last (possibly late) webhooks are out.
    const record = await waitFor(
      async () => {
        const calls = await simulator.calls({ answerUrlContains: campaignId });
        const done = calls.length === CONTACTS && calls.every((c) => c.liveTo !== null && c.webhooks.every((w) => w.status !== null || w.error));
        return done ? calls : undefined;
      },
      { timeoutMs: 30_000, description: 'every simulated call and its webhooks to finish' },
    );
    expect(new Set(record.map((c) => c.request.to))).toEqual(new Set(numbers));
    // The chaos really happened (otherwise this test proves nothing).
    const deliveries = record.flatMap((c) => c.webhooks);
    expect(deliveries.filter((w) => w.chaos === 'duplicate').length).toBeGreaterThan(10);
    expect(record.filter((c) => c.chaos.reordered).length).toBeGreaterThan(3);
    expect(deliveries.filter((w) => w.chaos === 'late').length).toBeGreaterThan(3);
    expect(deliveries.filter((w) => w.status !== 200)).toEqual([]);

    const simCount = (o: CallRecord['outcome']) => record.filter((c) => c.outcome === o).length;
    expect(progress.campaign).toMatchObject({
      totalContacts: CONTACTS,
      completedCalls: simCount('answer'),
      voicemailCalls: simCount('voicemail'),
      failedCalls: simCount('busy') + simCount('no-answer') + simCount('failed'),
      activeCalls: 0,
      progress: 100,
    });

    // The call log: one entry per call, each with the simulator's outcome (no late ringing/answer wins).
    const statusByNumber = new Map(record.map((c) => [c.request.to, CALL_STATUS_BY_SIM_OUTCOME[c.outcome]]));
    const log = await waitFor(
      async () => {
        const page = (await api.get(`/campaigns/${campaignId}/calls?limit=500`)).body;
        const settled = page.total === CONTACTS && page.items.every((c: { to: string; status: string }) => c.status === statusByNumber.get(c.to));
        return settled ? page : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250, description: 'the call log to show every outcome' },
    );
    expect(log.items).toHaveLength(CONTACTS);
    expect(new Set(log.items.map((c: { callId: string }) => c.callId)).size).toBe(CONTACTS);

    // The CALLS stream holds exactly one CallEnded per call.
    const subjects = new Subjects(stack.natsNamespace);
    const jsm = await nats.jetstreamManager();
    const info = await jsm.streams.info(subjects.streams.calls, { subjects_filter: subjects.callEvent(campaignId, '*', 'ended') });
    const ends = Object.values(info.state.subjects ?? {});
    expect(ends).toHaveLength(CONTACTS);
    expect(ends.every((count) => count === 1)).toBe(true);
    const rings = await jsm.streams.info(subjects.streams.calls, { subjects_filter: subjects.callEvent(campaignId, '*', 'ringing') });
    expect(Object.values(rings.state.subjects ?? {}).every((count) => count === 1)).toBe(true);
  }, 200_000);
});
