// The Call API's answers (auth, validation, retrieve, hangup) and the /__sim/
// endpoints, against a real simulator and webhook receiver.
import pino from 'pino';
import { SimulatorClient } from '../src/client';
import { DEFAULT_CONFIG } from '../src/config';
import { createSimulator, Simulator } from '../src/server';
import { ReceivedWebhook, Reply, startWebhookReceiver, waitFor, WebhookReceiver } from './webhook-receiver';

const AUTH_ID = 'MAAPITEST';
const AUTH_TOKEN = 'api-test-token';
const basic = (id: string, token: string) => `Basic ${Buffer.from(`${id}:${token}`).toString('base64')}`;

describe('plivo simulator Call API and /__sim/ endpoints', () => {
  let receiver: WebhookReceiver;
  let simulator: Simulator;
  let client: SimulatorClient;
  let baseUrl: string;
  let reply: (hook: ReceivedWebhook) => Reply = () => ({ body: '<Response/>' });

  const placeCall = (params: Record<string, string>, auth = basic(AUTH_ID, AUTH_TOKEN), authId = AUTH_ID) =>
    fetch(`${baseUrl}/v1/Account/${authId}/Call/`, {
      method: 'POST',
      headers: { Authorization: auth, 'Content-Type': 'application/json' },
      body: JSON.stringify(params),
    });
  const callParams = (tag: string, extra: Record<string, string> = {}) => ({
    from: '14155550000',
    to: '14155550123',
    answer_url: `${receiver.baseUrl}/answer?t=${tag}`,
    hangup_url: `${receiver.baseUrl}/hangup?t=${tag}`,
    ...extra,
  });
  const hooksFor = (tag: string) => receiver.received.filter((h) => h.params.t === tag);

  beforeAll(async () => {
    receiver = await startWebhookReceiver(AUTH_TOKEN, (hook) => reply(hook));
    const config = { ...DEFAULT_CONFIG, authId: AUTH_ID, authToken: AUTH_TOKEN, timeScale: 0.02 };
    simulator = createSimulator(config, { logger: pino({ level: 'silent' }) });
    baseUrl = await simulator.listen(0, '127.0.0.1');
    client = new SimulatorClient(baseUrl);
  });

  beforeEach(async () => {
    reply = () => ({ body: '<Response/>' });
    await client.reset();
    await client.configure({ outcomes: 'answer=100', timeScale: 0.02, talkMs: '500-1500', outcomeByNumber: {} });
  });

  afterAll(async () => {
    await simulator?.close();
    await receiver?.close();
  });

  it('refuses bad credentials with 401', async () => {
    for (const response of [
      await placeCall(callParams('x'), basic(AUTH_ID, 'wrong')),
      await placeCall(callParams('x'), basic('OTHER', AUTH_TOKEN)),
      await placeCall(callParams('x'), basic(AUTH_ID, AUTH_TOKEN), 'OTHER'),
      await placeCall(callParams('x'), ''),
    ]) {
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ api_id: expect.any(String), error: expect.any(String) });
    }
    expect((await client.stats()).total).toBe(0);
  });

  it('refuses missing or invalid parameters with 400 naming the problem', async () => {
    const { answer_url: _dropped, ...noAnswerUrl } = callParams('x');
    const cases: [Record<string, string>, string][] = [
      [noAnswerUrl, 'answer_url'],
      [callParams('x', { to: '12ab' }), 'to'],
      [callParams('x', { from: '' }), 'from'],
    ];
    for (const [params, mentioned] of cases) {
      const response = await placeCall(params);
      expect(response.status).toBe(400);
      const body = await response.json();
      expect(body).toEqual({ api_id: expect.any(String), error: expect.stringContaining(mentioned) });
    }
  });

  it('retrieves a call by CallUUID or request_uuid, and 404s an unknown one', async () => {
    const { request_uuid } = (await (await placeCall(callParams('get'))).json()) as { request_uuid: string };
    await waitFor(async () => (await client.stats()).live === 0);
    const [record] = await client.calls();
    for (const id of [record.callUuid, request_uuid]) {
      const response = await fetch(`${baseUrl}/v1/Account/${AUTH_ID}/Call/${id}/`, { headers: { Authorization: basic(AUTH_ID, AUTH_TOKEN) } });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        call_uuid: record.callUuid,
        call_direction: 'outbound',
        call_status: 'completed',
        to_number: '14155550123',
        hangup_cause_code: 4000,
      });
    }
    const missing = await fetch(`${baseUrl}/v1/Account/${AUTH_ID}/Call/nope/`, { headers: { Authorization: basic(AUTH_ID, AUTH_TOKEN) } });
    expect(missing.status).toBe(404);
  });

  it('hangs up a live call on DELETE', async () => {
    await client.configure({ talkMs: '60000', timeScale: 1, ringMs: '0' });
    await placeCall(callParams('del'));
    await waitFor(() => hooksFor('del').some((h) => h.path === '/answer'));
    const [record] = await client.calls();
    const url = `${baseUrl}/v1/Account/${AUTH_ID}/Call/${record.callUuid}/`;
    expect((await fetch(url, { method: 'DELETE', headers: { Authorization: basic(AUTH_ID, AUTH_TOKEN) } })).status).toBe(204);
    await waitFor(() => hooksFor('del').some((h) => h.path === '/hangup'));
    expect(hooksFor('del').find((h) => h.path === '/hangup')?.params).toMatchObject({ CallStatus: 'completed', HangupSource: 'API Request' });
    expect((await fetch(url, { method: 'DELETE', headers: { Authorization: basic(AUTH_ID, AUTH_TOKEN) } })).status).toBe(404);
  });

  it('ends the call when answer_url fails, recording the failed delivery', async () => {
    reply = (hook) => (hook.path === '/answer' ? { status: 500, body: 'boom' } : {});
    await placeCall(callParams('fail'));
    await waitFor(() => hooksFor('fail').some((h) => h.path === '/hangup'));
    // The receiver sees the hangup before the simulator has recorded the answer to it.
    await waitFor(async () => (await client.calls())[0].webhooks.every((w) => w.status !== null));
    const [record] = await client.calls();
    expect(record.answerXml).toBeNull();
    expect(record.webhooks.map((w) => [w.kind, w.status])).toEqual([['answer', 500], ['hangup', 200]]);
    expect(record.hangup).toMatchObject({ callStatus: 'completed', source: 'Error' });
  });

  it('records an unreachable webhook target without retrying', async () => {
    await placeCall(callParams('down', { ring_url: 'http://127.0.0.1:1/ring' }));
    await waitFor(async () => (await client.stats()).live === 0);
    const [record] = await client.calls();
    const ring = record.webhooks.filter((w) => w.kind === 'ring');
    expect(ring).toHaveLength(1);
    expect(ring[0]).toMatchObject({ status: null, error: expect.any(String) });
    expect(record.webhooks.map((w) => w.kind)).toEqual(['ring', 'answer', 'hangup']);
  });

  it('calls answer_url with GET when asked, still signed', async () => {
    await placeCall(callParams('get-method', { answer_method: 'GET' }));
    await waitFor(() => hooksFor('get-method').some((h) => h.path === '/hangup'));
    const answer = hooksFor('get-method').find((h) => h.path === '/answer') as ReceivedWebhook;
    expect(answer.method).toBe('GET');
    expect(answer.signatureValid).toBe(true);
    expect(answer.params).toMatchObject({ Event: 'StartApp', t: 'get-method' });
  });

  it('uses a per-number outcome and ring_timeout for no-answer', async () => {
    await client.configure({ outcomeByNumber: { '+14155550123': 'no-answer' }, timeScale: 0.01 });
    const started = Date.now();
    await placeCall(callParams('na', { ring_timeout: '30' }));
    await waitFor(() => hooksFor('na').some((h) => h.path === '/hangup'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(300); // 30 s scaled by 0.01
    expect(hooksFor('na').map((h) => h.path)).toEqual(['/hangup']);
    expect(hooksFor('na')[0].params).toMatchObject({ CallStatus: 'no-answer', HangupCause: 'NO_ANSWER' });
  });

  it('reads and patches the configuration, refusing bad values by name', async () => {
    const patched = await client.configure({ ringMs: '10-20', outcomes: { busy: 1 } });
    expect(patched).toMatchObject({ ringMs: { min: 10, max: 20 }, outcomes: { busy: 1, answer: 0 }, authId: AUTH_ID });
    expect(patched).not.toHaveProperty('authToken');
    expect(await client.config()).toEqual(patched);
    const bad = await fetch(`${baseUrl}/__sim/config`, { method: 'POST', body: JSON.stringify({ timeScale: -1 }) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ field: 'timeScale' });
  });

  it('reset cancels live calls and clears the records', async () => {
    await client.configure({ talkMs: '60000', timeScale: 1, ringMs: '0' });
    await placeCall(callParams('reset'));
    await waitFor(() => hooksFor('reset').some((h) => h.path === '/answer'));
    expect((await client.stats()).live).toBe(1);
    await client.reset();
    expect(await client.stats()).toMatchObject({ total: 0, live: 0, maxLive: 0 });
    expect(await client.calls()).toEqual([]);
    expect(simulator.core.liveCalls).toBe(0);
  });
});
