import { connect, NatsConnection } from 'nats';
import { CampaignEvent } from '@contracts/campaigns/events';
import { Subjects } from '@contracts/subjects';
import { JetStreamEventStore } from '@libs/event-store/jetstream-event-store';
import { ApiClient, phoneNumbers } from '@libs/testing/api-client';
import { Stack } from '@libs/testing/stack';
import { newClient, startTestStack } from '@libs/testing/test-stack';
import { testNatsUrl, uniqueName } from '@libs/testing/test-env';
import { waitFor } from '@libs/testing/wait-for';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();

/** Scheduled starts with two scheduler instances: on time, exactly once, and caught up after downtime. */
describe('scheduled campaigns', () => {
  const namespace = uniqueName('sched');
  let stack: Stack;
  let api: ApiClient;
  let clientId: string;
  let nc: NatsConnection;
  let store: JetStreamEventStore;
  const subjects = new Subjects(namespace);

  beforeAll(async () => {
    stack = await startTestStack({
      natsNamespace: namespace,
      extraSchedulers: 1,
      simulatorEnv: { SIM_RING_MS: '10-20', SIM_TALK_MS: '50-100' },
    });
    ({ api, id: clientId } = await newClient(stack, 10));
    nc = await connect({ servers: testNatsUrl() });
    store = new JetStreamEventStore(nc.jetstream(), await nc.jetstreamManager(), subjects.streams.campaigns);
  }, 180_000);

  afterAll(async () => {
    await nc?.close();
    await stack?.stop();
  });

  async function create(scheduledTime: string, contacts = 3): Promise<string> {
    const created = await api.post('/campaigns', { name: 'scheduled', fromNumber: '+14155550100', wssUrl: 'wss://bot.example.com/s', scheduledTime });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'scheduled', scheduledBy: clientId });
    await api.post(`/campaigns/${created.body.id}/contacts`, { contacts: phoneNumbers(contacts, 5000 + Math.floor(Math.random() * 4000)).map((phoneNumber) => ({ phoneNumber })) });
    return created.body.id;
  }

  const started = (id: string) =>
    waitFor(
      async () => {
        const c = (await api.get(`/campaigns/${id}`)).body;
        return c.startedAt ? c : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 50, description: `campaign ${id} to start` },
    );

  const startEvents = async (id: string) =>
    (await store.read<CampaignEvent>(subjects.campaignEvents(id))).events.filter((e) => e.type === 'CampaignStarted');

  it('starts within a second of its time, exactly once with two schedulers, and honours a reschedule', async () => {
    const id = await create(inMs(3_000));
    const moved = await create(inMs(60_000));
    const rescheduled = await api.post(`/campaigns/${moved}/schedule`, { scheduledTime: inMs(4_000) });
    expect(rescheduled.body.status).toBe('scheduled');
    expect((await api.post(`/campaigns/${moved}/schedule`, { scheduledTime: inMs(-1_000) })).status).toBe(400);

    for (const campaignId of [id, moved]) {
      const campaign = await started(campaignId);
      const late = Date.parse(campaign.startedAt) - Date.parse(campaign.scheduledTime);
      expect(late).toBeGreaterThanOrEqual(0);
      expect(late).toBeLessThan(1_000);
    }
    await sleep(1_500);
    expect(await startEvents(id)).toHaveLength(1);
    expect(await startEvents(moved)).toHaveLength(1);
    expect((await startEvents(moved))[0].data.startedBy).toBe('scheduler');
    await waitFor(async () => (await api.get(`/campaigns/${id}/progress`)).body.campaign.status === 'completed', {
      timeoutMs: 30_000,
      description: 'the scheduled campaign to complete',
    });
  }, 120_000);

  it('starts a scheduled campaign on time after its name and settings were changed', async () => {
    const id = await create(inMs(2_500));
    const updated = await api.patch(`/campaigns/${id}`, { name: 'renamed', settings: { concurrentCallsLimit: 2 } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ status: 'scheduled', name: 'renamed' });
    const campaign = await started(id);
    expect(Date.parse(campaign.startedAt) - Date.parse(campaign.scheduledTime)).toBeLessThan(1_000);
    expect(await startEvents(id)).toHaveLength(1);
  }, 60_000);

  it('never starts a cancelled scheduled campaign', async () => {
    const id = await create(inMs(2_000));
    expect((await api.post(`/campaigns/${id}/cancel`)).body.status).toBe('cancelled');
    await sleep(3_500);
    expect((await api.get(`/campaigns/${id}`)).body.status).toBe('cancelled');
    expect(await startEvents(id)).toHaveLength(0);
  }, 60_000);

  it('starts a campaign whose time passed while every scheduler was down as soon as one is back', async () => {
    await stack.kill('scheduler');
    await stack.kill('scheduler-2');
    const id = await create(inMs(1_500));
    await sleep(3_000);
    expect((await api.get(`/campaigns/${id}`)).body.status).toBe('scheduled');
    const restartedAt = Date.now();
    await stack.restart('scheduler');
    const campaign = await started(id);
    expect(Date.parse(campaign.startedAt) - restartedAt).toBeLessThan(10_000);
    expect(await startEvents(id)).toHaveLength(1);
  }, 90_000);
});
