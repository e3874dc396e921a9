// 20 calls with a mixed outcome configuration against a real simulator and a real
// webhook receiver: signatures, per-outcome sequences, recording and stats.
import pino from 'pino';
import { maxConcurrent, SimulatorClient } from '../src/client';
import { DEFAULT_CONFIG } from '../src/config';
import { createSimulator, Simulator } from '../src/server';
import { CallRecord, Outcome, SimConfig } from '../src/types';
import { startWebhookReceiver, waitFor, WebhookReceiver } from './webhook-receiver';

const AUTH_ID = 'MAINTEGRATION';
const AUTH_TOKEN = 'integration-token';
const CALLS = 20;
const number = (i: number) => `+1415555${String(100 + i).padStart(4, '0')}`;
const answerXml = (i: number) => `<Response><Speak>hello c${String(i).padStart(2, '0')}</Speak></Response>`;

// The first five numbers pin each outcome; the rest come from the mix.
const PINNED: Record<string, Outcome> = {
  [number(0)]: 'answer',
  [number(1)]: 'voicemail',
  [number(2)]: 'busy',
  [number(3)]: 'no-answer',
  [number(4)]: 'failed',
};

describe('plivo simulator, 20 mixed calls', () => {
  let receiver: WebhookReceiver;
  let simulator: Simulator;
  let client: SimulatorClient;
  let baseUrl: string;
  let records: CallRecord[];
  const requestsByIndex = new Map<number, Record<string, string>>();

  beforeAll(async () => {
    receiver = await startWebhookReceiver(AUTH_TOKEN, (hook) => {
      const call = hook.params.call;
      return hook.path === '/answer' ? { body: answerXml(Number(call.slice(1))) } : { body: 'ok' };
    });
    const config: SimConfig = {
      ...DEFAULT_CONFIG,
      authId: AUTH_ID,
      authToken: AUTH_TOKEN,
      outcomes: { answer: 40, voicemail: 20, busy: 15, 'no-answer': 15, failed: 10 },
      outcomeByNumber: PINNED,
      timeScale: 0.05,
    };
    simulator = createSimulator(config, { logger: pino({ level: 'silent' }) });
    baseUrl = await simulator.listen(0, '127.0.0.1');
    client = new SimulatorClient(baseUrl);

    const auth = `Basic ${Buffer.from(`${AUTH_ID}:${AUTH_TOKEN}`).toString('base64')}`;
    await Promise.all(
      Array.from({ length: CALLS }, async (_, i) => {
        const tag = `c${String(i).padStart(2, '0')}`;
        const params: Record<string, string> = {
          from: '+14155550000',
          to: number(i),
          answer_url: `${receiver.baseUrl}/answer?call=${tag}&campaign=camp-1`,
          ring_url: `${receiver.baseUrl}/ring?call=${tag}`,
          hangup_url: `${receiver.baseUrl}/hangup?call=${tag}`,
          ring_timeout: '5',
        };
        if (i % 3 !== 2) params.machine_detection = 'true';
        if (i % 3 === 0) params.machine_detection_url = `${receiver.baseUrl}/machine?call=${tag}`;
        requestsByIndex.set(i, params);
        const asForm = i % 2 === 0;
        const response = await fetch(`${baseUrl}/v1/Account/${AUTH_ID}/Call/`, {
          method: 'POST',
          headers: { Authorization: auth, 'Content-Type': asForm ? 'application/x-www-form-urlencoded' : 'application/json' },
          body: asForm ? new URLSearchParams(params).toString() : JSON.stringify(params),
        });
        expect(response.status).toBe(201);
        const body = await response.json();
        expect(body).toEqual({ api_id: expect.any(String), message: 'call fired', request_uuid: expect.any(String) });
      }),
    );
    await waitFor(async () => {
      const stats = await client.stats();
      return stats.total === CALLS && stats.live === 0;
    });
    // The receiver counts a webhook when it arrives; the simulator records its status when the answer
    // is back, a moment later. Wait for both.
    await waitFor(() => receiver.received.filter((h) => h.path === '/hangup').length === CALLS);
    await waitFor(async () => {
      records = await client.calls();
      return records.every((record) => record.webhooks.every((delivery) => delivery.status !== null || delivery.error !== undefined));
    });
  });

  afterAll(async () => {
    await simulator?.close();
    await receiver?.close();
  });

  const indexOf = (record: CallRecord) => Number(new URL(record.request.answer_url).searchParams.get('call')?.slice(1));

  it('records every call with its request, outcome and live interval', () => {
    expect(records).toHaveLength(CALLS);
    for (const record of records) {
      const i = indexOf(record);
      expect(record.request).toEqual(requestsByIndex.get(i));
      if (PINNED[number(i)]) expect(record.outcome).toBe(PINNED[number(i)]);
      expect(record.liveFrom).toBe(record.requestedAt);
      expect(record.liveTo).not.toBeNull();
      const hangup = record.webhooks.find((w) => w.kind === 'hangup');
      expect(record.liveTo).toBe(hangup?.sentAt);
    }
  });

  it('signs every webhook so the plivo SDK validates it', () => {
    expect(receiver.received.length).toBeGreaterThanOrEqual(CALLS * 2);
    for (const hook of receiver.received) {
      expect(hook.signatureValid).toBe(true);
      expect(hook.method).toBe('POST');
      expect(hook.headers['content-type']).toBe('application/x-www-form-urlencoded');
    }
  });

  it('sends the right webhook sequence for each outcome', () => {
    for (const record of records) {
      const i = indexOf(record);
      const request = requestsByIndex.get(i) as Record<string, string>;
      const hooks = receiver.forCall(record.callUuid).sort((a, b) => a.receivedAt - b.receivedAt);
      const answered = record.outcome === 'answer' || record.outcome === 'voicemail';
      const asyncMachine = record.outcome === 'voicemail' && Boolean(request.machine_detection_url);
      const expected = answered ? (asyncMachine ? ['/ring', '/answer', '/machine', '/hangup'] : ['/ring', '/answer', '/hangup']) : ['/ring', '/hangup'];
      expect({ outcome: record.outcome, paths: hooks.map((h) => h.path) }).toEqual({ outcome: record.outcome, paths: expected });
      expect(record.webhooks.map((w) => w.kind)).toEqual(expected.map((p) => p.slice(1)));

      for (const hook of hooks) {
        expect(hook.params).toMatchObject({
          CallUUID: record.callUuid,
          RequestUUID: record.requestUuid,
          From: '+14155550000',
          To: number(i),
          Direction: 'outbound',
        });
      }
      const byPath = (p: string) => hooks.find((h) => h.path === p)?.params ?? {};
      expect(byPath('/ring')).toMatchObject({ Event: 'Ring', CallStatus: 'ringing' });
      const hangup = byPath('/hangup');
      expect(hangup).toMatchObject({ Event: 'Hangup', StartTime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/) });
      expect(hangup.EndTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      const expectedHangup = {
        answer: { CallStatus: 'completed', HangupCause: 'NORMAL_CLEARING', HangupCauseCode: '4000' },
        voicemail: { CallStatus: 'completed', HangupCause: 'NORMAL_CLEARING', HangupCauseCode: '4000' },
        busy: { CallStatus: 'busy', HangupCause: 'USER_BUSY' },
        'no-answer': { CallStatus: 'no-answer', HangupCause: 'NO_ANSWER' },
        failed: { CallStatus: 'failed', HangupCauseCode: '2010' },
      }[record.outcome];
      expect(hangup).toMatchObject(expectedHangup);
      expect(hangup.HangupSource).toEqual(expect.any(String));

      if (answered) {
        const answer = byPath('/answer');
        expect(answer).toMatchObject({ Event: 'StartApp', CallStatus: 'in-progress' });
        const syncDetection = request.machine_detection === 'true' && !request.machine_detection_url;
        if (syncDetection) expect(answer.Machine).toBe(String(record.outcome === 'voicemail'));
        else expect(answer.Machine).toBeUndefined();
        if (asyncMachine) expect(byPath('/machine')).toMatchObject({ Event: 'MachineDetection', Machine: 'true', CallStatus: 'in-progress' });
        expect(record.answerXml).toBe(answerXml(i));
        expect(record.answerLatencyMs).toEqual(expect.any(Number));
        expect(hangup.AnswerTime).toMatch(/^\d{4}-/);
        expect(Number(hangup.Duration)).toBeGreaterThanOrEqual(1);
        expect(hangup.BillDuration).toBe(hangup.Duration);
      } else {
        expect(record.answerXml).toBeNull();
        expect(hangup).toMatchObject({ Duration: '0', BillDuration: '0', AnswerTime: '' });
      }
    }
  });

  it('records each delivery with status, latency and response body', () => {
    for (const record of records) {
      for (const delivery of record.webhooks) {
        expect(delivery).toMatchObject({ status: 200, method: 'POST', latencyMs: expect.any(Number) });
        expect(delivery.sentAt).toBeGreaterThanOrEqual(record.requestedAt);
        expect(delivery.url.startsWith(receiver.baseUrl)).toBe(true);
        if (delivery.kind !== 'answer') expect(delivery.responseBody).toBe('ok');
      }
    }
    expect(records.some((r) => r.outcome === 'answer')).toBe(true);
  });

  it('filters calls by answer URL and agrees with the stats', async () => {
    const one = await client.calls({ answerUrlContains: 'call=c07' });
    expect(one).toHaveLength(1);
    expect(indexOf(one[0])).toBe(7);

    const stats = await client.stats();
    expect(stats.total).toBe(CALLS);
    expect(stats.live).toBe(0);
    const counted = Object.fromEntries(['answer', 'voicemail', 'busy', 'no-answer', 'failed'].map((o) => [o, records.filter((r) => r.outcome === o).length]));
    expect(stats.byOutcome).toEqual(counted);

    const intervals = records.map((r) => ({ from: r.liveFrom, to: r.liveTo as number }));
    // The live counter sees real event order; the sweep treats same-millisecond end/start as apart.
    expect(stats.maxLive).toBeGreaterThanOrEqual(maxConcurrent(intervals));
    expect(stats.maxLive).toBeLessThanOrEqual(maxConcurrent(intervals.map((x) => ({ from: x.from, to: x.to + 1 }))));
    expect(stats.maxLive).toBeGreaterThan(1);
  });
});
