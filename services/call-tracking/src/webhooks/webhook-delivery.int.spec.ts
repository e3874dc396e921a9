// Plivo delivers callbacks twice, concurrently, late and out of order. Through the real app on real
// NATS and MongoDB-wire: each call event is stored once, the first final outcome stands, and the call
// log never shows a call twice nor a final status replaced by a late ringing or answer.
import { CallEnded } from '@contracts/calls/events';
import { encodeEvent } from '@libs/event-store/codec';
import { CallsReadModel } from '../read-models/calls.read-model';
import { postWebhook } from '../../test/signed-webhook';
import {
  projectionCaughtUp,
  publishCallRequested,
  putCampaignRuntime,
  startTrackingApp,
  storedKinds,
  TEST_AUTH_TOKEN,
  TrackingApp,
} from '../../test/tracking-app';

const PUBLIC_BASE = 'https://calls.example.com';
const CAMPAIGN = 'camp-order';

describe('webhook deliveries: duplicated, late and reordered (real app, NATS, MongoDB-wire)', () => {
  let tracking: TrackingApp;
  let n = 0;

  const ring = { CallUUID: 'u', CallStatus: 'ringing', Event: 'Ring' };
  const answer = { CallUUID: 'u', CallStatus: 'in-progress', Event: 'StartApp' };
  const completed = { CallUUID: 'u', CallStatus: 'completed', Event: 'Hangup', HangupCause: 'NORMAL_CLEARING', HangupCauseCode: '4000', Duration: '7', BillDuration: '7' };
  const busy = { CallUUID: 'u', CallStatus: 'busy', Event: 'Hangup', HangupCause: 'USER_BUSY', HangupCauseCode: '3000', Duration: '0', BillDuration: '0' };

  async function newCall(request: { machineDetection?: boolean } = {}) {
    const callId = `k${++n}-a1`;
    await publishCallRequested(tracking.nats, { campaignId: CAMPAIGN, callId, ...request });
    const send = (kind: 'ring' | 'answer' | 'hangup' | 'machine', params: Record<string, string>) => {
      const path = `/plivo/${CAMPAIGN}/${callId}/${kind}`;
      return postWebhook(`${tracking.url}${path}`, params, TEST_AUTH_TOKEN, { signedUrl: `${PUBLIC_BASE}${path}` });
    };
    return { callId, send };
  }
  const callLog = async () => {
    await projectionCaughtUp(tracking.nats);
    return tracking.app.get(CallsReadModel).list('client-1', CAMPAIGN, 1, 100);
  };
  const logEntry = async (callId: string) => (await callLog()).items.filter((c) => c.callId === callId);

  beforeAll(async () => {
    tracking = await startTrackingApp({ PUBLIC_BASE_URL: PUBLIC_BASE });
    await putCampaignRuntime(tracking.nats, { campaignId: CAMPAIGN });
  });
  afterAll(async () => tracking?.close());

  it('stores each event once when every callback arrives 8 times at once', async () => {
    const call = await newCall();
    for (const [kind, params] of [['ring', ring], ['answer', answer], ['hangup', completed]] as const) {
      const responses = await Promise.all(Array.from({ length: 8 }, () => call.send(kind, params)));
      expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200));
    }
    expect(await storedKinds(tracking.nats, CAMPAIGN, call.callId)).toEqual({ requested: 1, ringing: 1, answered: 1, ended: 1 });
    const entries = await logEntry(call.callId);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ status: 'completed', duration: 7, hangupCauseCode: '4000' });
  });

  it('ends a call voicemail when its machine callback came before a hangup that does not say so', async () => {
    // Requests that asked for machine detection, and older ones that do not say (no `machineDetection` field).
    for (const request of [{ machineDetection: true }, {}]) {
      const call = await newCall(request);
      await call.send('answer', answer);
      await call.send('machine', { CallUUID: 'u', Machine: 'true' });
      await call.send('hangup', completed);
      expect((await logEntry(call.callId))[0]).toMatchObject({ status: 'voicemail', machineDetected: true });
    }
    // A request that asked for no machine detection has no machine callback to look up before its end.
    const plain = await newCall({ machineDetection: false });
    await plain.send('machine', { CallUUID: 'u', Machine: 'true' });
    await plain.send('hangup', completed);
    expect((await logEntry(plain.callId))[0]).toMatchObject({ status: 'completed' });
  });

  it('ends a short call voicemail when its machine callback comes with or just after the hangup', async () => {
    // Plivo hangs up on a machine (machineDetection "hangup") and sends both callbacks at once.
    const short = { ...completed, Duration: '3', BillDuration: '3' };
    const together = await newCall({ machineDetection: true });
    await together.send('answer', answer);
    await Promise.all([together.send('hangup', short), together.send('machine', { CallUUID: 'u', Machine: 'true' })]);
    expect((await logEntry(together.callId))[0]).toMatchObject({ status: 'voicemail', machineDetected: true });

    const late = await newCall({ machineDetection: true });
    await late.send('answer', answer);
    const hangup = late.send('hangup', short);
    await new Promise((r) => setTimeout(r, 400));
    await late.send('machine', { CallUUID: 'u', Machine: 'true' });
    expect((await hangup).status).toBe(200);
    expect((await logEntry(late.callId))[0]).toMatchObject({ status: 'voicemail', machineDetected: true });

    // A person who hung up at once: completed, once the wait for a machine result is over.
    const person = await newCall({ machineDetection: true });
    await person.send('answer', answer);
    const started = Date.now();
    await person.send('hangup', short);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
    expect((await logEntry(person.callId))[0]).toMatchObject({ status: 'completed' });
    // A longer call does not wait: its machine result would have come long before.
    const talked = await newCall({ machineDetection: true });
    await talked.send('answer', answer);
    const at = Date.now();
    await talked.send('hangup', { ...completed, Duration: '60', BillDuration: '60' });
    expect(Date.now() - at).toBeLessThan(1_000);
    expect((await logEntry(talked.callId))[0]).toMatchObject({ status: 'completed' });
  });

  it('answers every duplicate of the answer callback with the same XML', async () => {
    const call = await newCall();
    const responses = await Promise.all(Array.from({ length: 5 }, () => call.send('answer', answer)));
    expect(new Set(responses.map((r) => r.body)).size).toBe(1);
    expect(responses[0].body).toContain('<Stream');
  });

  it('keeps a final status when ringing and answer arrive after the hangup', async () => {
    const call = await newCall();
    expect((await call.send('hangup', completed)).status).toBe(200);
    expect((await call.send('ring', ring)).status).toBe(200);
    expect((await call.send('answer', answer)).status).toBe(200);
    expect(await storedKinds(tracking.nats, CAMPAIGN, call.callId)).toEqual({ requested: 1, ended: 1, ringing: 1, answered: 1 });
    const [entry] = await logEntry(call.callId);
    expect(entry).toMatchObject({ status: 'completed', ringingAt: expect.any(String), answeredAt: expect.any(String) });
  });

  it('keeps the first outcome when a second, different hangup arrives', async () => {
    const call = await newCall();
    await call.send('ring', ring);
    await call.send('hangup', busy);
    const late = await call.send('hangup', completed);
    expect(late.status).toBe(200); // acknowledged, so Plivo stops retrying
    expect(await storedKinds(tracking.nats, CAMPAIGN, call.callId)).toMatchObject({ ended: 1 });
    expect((await logEntry(call.callId))[0]).toMatchObject({ status: 'busy', hangupCauseCode: '3000' });
  });

  it('adds no second CallEnded after the duplicate window: an end published under another message id stays the only one', async () => {
    const call = await newCall();
    const timeout: CallEnded = {
      id: `${call.callId}:timeout-elsewhere`,
      type: 'CallEnded',
      version: 1,
      occurredAt: new Date().toISOString(),
      data: { callId: call.callId, campaignId: CAMPAIGN, contactId: call.callId.replace(/-a1$/, ''), attempt: 1, clientId: 'client-1', outcome: 'timeout', endedAt: new Date().toISOString() },
      metadata: { aggregateId: 'x', campaignId: CAMPAIGN, clientId: 'client-1', correlationId: 'test' },
    };
    await tracking.nats.js.publish(tracking.nats.subjects.callEvent(CAMPAIGN, call.callId, 'ended'), encodeEvent(timeout), { msgID: timeout.id });
    expect((await call.send('hangup', completed)).status).toBe(200);
    expect(await storedKinds(tracking.nats, CAMPAIGN, call.callId)).toEqual({ requested: 1, ended: 1 });
    expect((await logEntry(call.callId))[0].status).toBe('timeout');
  });

  it('never lists a call twice, whatever arrives in whatever order', async () => {
    const calls = await Promise.all(Array.from({ length: 6 }, () => newCall()));
    const orders = [
      ['hangup', 'ring', 'answer'],
      ['answer', 'hangup', 'ring', 'hangup'],
      ['ring', 'ring', 'hangup', 'answer', 'answer'],
    ] as const;
    await Promise.all(
      calls.map(async (call, i) => {
        for (const kind of orders[i % orders.length]) {
          await call.send(kind, kind === 'ring' ? ring : kind === 'answer' ? answer : completed);
        }
      }),
    );
    const log = await callLog();
    for (const call of calls) {
      const entries = log.items.filter((c) => c.callId === call.callId);
      expect(entries).toHaveLength(1);
      expect(entries[0].status).toBe('completed');
      expect(await storedKinds(tracking.nats, CAMPAIGN, call.callId)).toMatchObject({ ended: 1 });
    }
    expect(new Set(log.items.map((c) => c.callId)).size).toBe(log.items.length);
  });
});
