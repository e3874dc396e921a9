// The chaos knobs against a real simulator and a real webhook receiver: what the receiver gets,
// and what the call record says happened.
import pino from 'pino';
import { SimulatorClient } from '../src/client';
import { DEFAULT_CONFIG } from '../src/config';
import { createSimulator, Simulator } from '../src/server';
import { CallRecord, ConfigPatch } from '../src/types';
import { ReceivedWebhook, startWebhookReceiver, waitFor, WebhookReceiver } from './webhook-receiver';

const AUTH_ID = 'MACHAOS';
const AUTH_TOKEN = 'chaos-token';
const auth = `Basic ${Buffer.from(`${AUTH_ID}:${AUTH_TOKEN}`).toString('base64')}`;
const QUIET: ConfigPatch = {
  outcomes: 'answer=100',
  timeScale: 1,
  ringMs: '20',
  talkMs: '60',
  duplicateRate: 0,
  reorderRate: 0,
  dropHangupRate: 0,
  webhookDelayMs: 0,
  apiErrorRate: 0,
  machineDetection: 'auto',
};

describe('plivo simulator chaos knobs', () => {
  let receiver: WebhookReceiver;
  let simulator: Simulator;
  let client: SimulatorClient;
  let baseUrl: string;
  let n = 0;

  const placeCall = async (extra: Record<string, string> = {}) => {
    const tag = `t${++n}`;
    const response = await fetch(`${baseUrl}/v1/Account/${AUTH_ID}/Call/`, {
      method: 'POST',
      headers: { Authorization: auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        from: '14155550000',
        to: '14155550123',
        answer_url: `${receiver.baseUrl}/answer?t=${tag}`,
        ring_url: `${receiver.baseUrl}/ring?t=${tag}`,
        hangup_url: `${receiver.baseUrl}/hangup?t=${tag}`,
        ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, v.replace('{base}', receiver.baseUrl).replace('{tag}', tag)])),
      }),
    });
    return { tag, response, body: await response.json() };
  };
  const hooksOf = (tag: string) => receiver.received.filter((h) => h.params.t === tag).sort((a, b) => a.receivedAt - b.receivedAt);
  const paths = (hooks: ReceivedWebhook[]) => hooks.map((h) => h.path.slice(1));
  const recordOf = async (tag: string): Promise<CallRecord> => (await client.calls({ answerUrlContains: `t=${tag}` }))[0];
  const settled = async (tag: string, expectedHooks: number) => {
    await waitFor(async () => (await client.stats()).live === 0 && hooksOf(tag).length >= expectedHooks, 10_000);
    await new Promise((r) => setTimeout(r, 100)); // nothing more is coming
    return { hooks: hooksOf(tag), record: await recordOf(tag) };
  };

  beforeAll(async () => {
    receiver = await startWebhookReceiver(AUTH_TOKEN, (hook) => ({ body: hook.path === '/answer' ? '<Response/>' : 'ok' }));
    simulator = createSimulator({ ...DEFAULT_CONFIG, authId: AUTH_ID, authToken: AUTH_TOKEN }, { logger: pino({ level: 'silent' }) });
    baseUrl = await simulator.listen(0, '127.0.0.1');
    client = new SimulatorClient(baseUrl);
  });
  beforeEach(async () => {
    await client.reset();
    await client.configure(QUIET);
  });
  afterAll(async () => {
    await simulator?.close();
    await receiver?.close();
  });

  it('without chaos, sends ring, answer, hangup once each, in order', async () => {
    const { tag } = await placeCall();
    const { hooks, record } = await settled(tag, 3);
    expect(paths(hooks)).toEqual(['ring', 'answer', 'hangup']);
    expect(record.chaos).toEqual({ reordered: false, hangupDropped: false, duplicateRate: 0, webhookDelayMs: { min: 0, max: 0 }, machineDetection: 'off' });
  });

  it('duplicateRate=1 delivers every webhook twice, each copy validly signed, and records the copies', async () => {
    await client.configure({ duplicateRate: 1 });
    const { tag } = await placeCall();
    const { hooks, record } = await settled(tag, 6);
    expect(paths(hooks).sort()).toEqual(['answer', 'answer', 'hangup', 'hangup', 'ring', 'ring']);
    expect(hooks.every((h) => h.signatureValid)).toBe(true);
    expect(record.webhooks.filter((w) => w.chaos === 'duplicate').map((w) => w.kind)).toEqual(['ring', 'answer', 'hangup']);
    expect(record.chaos.duplicateRate).toBe(1);
  });

  it('reorderRate=1 delivers the ring (and a repeated answer) after the hangup', async () => {
    await client.configure({ reorderRate: 1 });
    const answered = await placeCall();
    const a = await settled(answered.tag, 4);
    expect(paths(a.hooks)).toEqual(['answer', 'hangup', 'ring', 'answer']);
    expect(a.record.chaos.reordered).toBe(true);
    expect(a.record.webhooks.map((w) => [w.kind, w.chaos ?? null])).toEqual([['answer', null], ['hangup', null], ['ring', 'late'], ['answer', 'late']]);
    expect(a.record.liveTo).toBe(a.record.webhooks[1].sentAt);
  });

  it('reorderRate=1 on an unanswered call sends only the ring late', async () => {
    await client.configure({ reorderRate: 1, outcomes: 'busy=100' });
    const { tag } = await placeCall();
    const { hooks, record } = await settled(tag, 2);
    expect(paths(hooks)).toEqual(['hangup', 'ring']);
    expect(record.hangup?.callStatus).toBe('busy');
  });

  it('dropHangupRate=1 never sends the hangup, yet the call ends in the record', async () => {
    await client.configure({ dropHangupRate: 1 });
    const { tag } = await placeCall();
    const { hooks, record } = await settled(tag, 2);
    expect(paths(hooks)).toEqual(['ring', 'answer']);
    expect(record.chaos.hangupDropped).toBe(true);
    expect(record.webhooks.some((w) => w.kind === 'hangup')).toBe(false);
    expect(record.hangup).toMatchObject({ callStatus: 'completed', causeCode: '4000' });
    expect(record.liveTo).toEqual(expect.any(Number));
    expect(await client.stats()).toMatchObject({ total: 1, live: 0 });
  });

  it('webhookDelayMs slows every webhook by the configured delay (time scale applied)', async () => {
    await client.configure({ webhookDelayMs: '150', timeScale: 1 });
    const { tag } = await placeCall();
    const { record } = await settled(tag, 3);
    expect(record.chaos.webhookDelayMs).toEqual({ min: 150, max: 150 });
    expect(record.webhooks.map((w) => w.delayedMs)).toEqual([150, 150, 150]);
    // ring after ringMs + delay; then every step waits its delay behind the previous one
    expect(record.webhooks[0].sentAt - record.requestedAt).toBeGreaterThanOrEqual(20 + 150 - 5);
    expect(record.webhooks[2].sentAt - record.requestedAt).toBeGreaterThanOrEqual(3 * 150);
  });

  it('apiErrorRate=1 refuses Call API requests with Plivo-shaped errors and places no call', async () => {
    await client.configure({ apiErrorRate: 1, apiErrorStatuses: '429' });
    const refused = await placeCall();
    expect(refused.response.status).toBe(429);
    expect(refused.body).toEqual({ api_id: expect.any(String), error: expect.any(String) });
    await client.configure({ apiErrorStatuses: [500, 503] });
    const statuses = new Set<number>();
    for (let i = 0; i < 12; i++) statuses.add((await placeCall()).response.status);
    expect([...statuses].every((s) => s === 500 || s === 503)).toBe(true);

    await client.configure({ apiErrorRate: 0 });
    const placed = await placeCall();
    expect(placed.response.status).toBe(201);
    await settled(placed.tag, 3);

    const errors = await client.apiErrors();
    expect(errors).toHaveLength(13);
    expect(errors[0]).toMatchObject({ status: 429, request: { to: '14155550123', answer_url: expect.stringContaining(`t=${refused.tag}`) } });
    expect(await client.stats()).toMatchObject({ total: 1, apiErrors: 13 });
    expect(receiver.received.filter((h) => h.params.t === refused.tag)).toHaveLength(0);
  });

  it('apiErrorRate=0.5 refuses some requests and places the others', async () => {
    await client.configure({ apiErrorRate: 0.5, apiErrorStatuses: '503', talkMs: '0', ringMs: '0' });
    const statuses = [];
    for (let i = 0; i < 40; i++) statuses.push((await placeCall()).response.status);
    const refused = statuses.filter((s) => s === 503).length;
    expect(refused).toBeGreaterThan(0);
    expect(refused).toBeLessThan(40);
    expect(statuses.filter((s) => s === 201).length).toBe(40 - refused);
    expect((await client.stats()).total).toBe(40 - refused);
  });

  describe('machine detection modes', () => {
    const voicemail = { machine_detection: 'true', machine_detection_url: '{base}/machine?t={tag}' };

    it('auto with a machine_detection_url reports asynchronously', async () => {
      await client.configure({ outcomes: 'voicemail=100' });
      const { tag } = await placeCall(voicemail);
      const { hooks, record } = await settled(tag, 4);
      expect(paths(hooks)).toEqual(['ring', 'answer', 'machine', 'hangup']);
      expect(hooks[1].params.Machine).toBeUndefined();
      expect(hooks[2].params).toMatchObject({ Machine: 'true', Event: 'MachineDetection' });
      expect(record.chaos.machineDetection).toBe('async');
    });

    it('sync puts Machine on the answer callback and sends no machine callback', async () => {
      await client.configure({ outcomes: 'voicemail=100', machineDetection: 'sync' });
      const { tag } = await placeCall(voicemail);
      const { hooks, record } = await settled(tag, 3);
      expect(paths(hooks)).toEqual(['ring', 'answer', 'hangup']);
      expect(hooks[1].params.Machine).toBe('true');
      expect(record.chaos.machineDetection).toBe('sync');
    });

    it('sync says Machine=false when a person answers', async () => {
      await client.configure({ outcomes: 'answer=100', machineDetection: 'sync' });
      const { tag } = await placeCall(voicemail);
      const { hooks } = await settled(tag, 3);
      expect(hooks[1].params.Machine).toBe('false');
    });

    it('async without a machine_detection_url reports nothing', async () => {
      await client.configure({ outcomes: 'voicemail=100', machineDetection: 'async' });
      const { tag } = await placeCall({ machine_detection: 'true' });
      const { hooks, record } = await settled(tag, 3);
      expect(paths(hooks)).toEqual(['ring', 'answer', 'hangup']);
      expect(hooks[1].params.Machine).toBeUndefined();
      expect(record.chaos.machineDetection).toBe('async');
    });
  });
});
