import { ApiClient, phoneNumbers } from '@libs/testing/api-client';
import { freePort } from '@libs/testing/free-port';
import { Stack } from '@libs/testing/stack';
import { newClient, startTestStack } from '@libs/testing/test-stack';
import { waitFor } from '@libs/testing/wait-for';
import { SimulatorClient } from '../../tools/plivo-simulator/src/client';
import { addContacts, createCampaign, startCampaign, waitUntilCompleted } from './dialer-test-campaigns';
import { ProxyAction, RunningServer, startPlivoFaultProxy, startWarmupServer, WarmupAnswer } from './dialer-test-servers';

const WARMUP = { tries: 3, timeoutMs: 300, backoffMs: 50 };
const CALL_TIMEOUT_MS = 6_000;

interface CallLogEntry {
  callId: string;
  status: string;
  to: string;
  from: string;
  requestUuid?: string;
  endedAt?: string;
  requestedAt?: string;
  failureReason?: string;
  warmupAttempts?: number;
  warmupDurationMs?: number;
}

/**
 * The dialer's way from a claimed attempt to a Plivo call, every service as its own process: bot
 * warm-up before each call (a warm-up server that fails or hangs on purpose), Plivo API errors (a proxy
 * in front of the simulator that answers 429, 503 or 400 on purpose) and caller-id rotation. The
 * simulator's record is the ground truth of which calls were placed.
 */
describe('dialer: from claimed attempt to Plivo call', () => {
  let stack: Stack;
  let api: ApiClient;
  let simulator: SimulatorClient;
  let warmup: Awaited<ReturnType<typeof startWarmupServer>>;
  let proxy: Awaited<ReturnType<typeof startPlivoFaultProxy>>;
  const warmupByCampaign = new Map<string, (n: number) => WarmupAnswer>();
  const plivoByNumber = new Map<string, (n: number) => ProxyAction>();
  const servers: RunningServer[] = [];

  beforeAll(async () => {
    warmup = await startWarmupServer((campaignId, n) => warmupByCampaign.get(campaignId)?.(n) ?? 'ok');
    const simulatorPort = await freePort();
    proxy = await startPlivoFaultProxy(
      () => `http://127.0.0.1:${simulatorPort}`,
      (to, n) => plivoByNumber.get(to)?.(n) ?? { kind: 'forward' },
    );
    servers.push(warmup, proxy);
    stack = await startTestStack({
      simulatorPort,
      env: {
        PLIVO_API_URL: proxy.url,
        BOT_WARMUP_URL: warmup.url,
        BOT_WARMUP_RETRIES: String(WARMUP.tries),
        BOT_WARMUP_TIMEOUT: String(WARMUP.timeoutMs),
        BOT_WARMUP_BACKOFF_MS: String(WARMUP.backoffMs),
        // An attempt whose Call API request may have been placed stays open until its webhooks or this timeout.
        CALL_TIMEOUT_MINUTES: String(CALL_TIMEOUT_MS / 60_000),
        TIMEOUT_SWEEP_MS: '250',
      },
      simulatorEnv: { SIM_RING_MS: '20-50', SIM_TALK_MS: '50-100', SIM_TIME_SCALE: '1' },
    });
    ({ api } = await newClient(stack, 10));
    simulator = new SimulatorClient(stack.simulatorUrl!);
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    await Promise.all(servers.map((s) => s.close()));
  });

  async function run(id: string, numbers: string[]): Promise<void> {
    await addContacts(api, id, numbers);
    await startCampaign(api, id);
    await waitUntilCompleted(api, id, 60_000);
  }

  /** The call log once every attempt in it has its final status. */
  const callLog = (id: string, count: number) =>
    waitFor(
      async () => {
        const page = await api.get(`/campaigns/${id}/calls?limit=100`);
        const items = page.body.items as CallLogEntry[];
        const final = items.filter((c) => !['queued', 'initiated', 'ringing', 'in-progress'].includes(c.status));
        return final.length === count ? items : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200, description: `${count} final calls in the call log of ${id}` },
    );

  const activeCalls = async (id: string) => (await api.get(`/calls/active?campaignId=${id}`)).body.campaigns[0]?.active ?? 0;

  describe('bot warm-up', () => {
    it('retries a failing warm-up with backoff, then calls, recording tries and time', async () => {
      const id = await createCampaign(api, { limit: 3 }, []);
      warmupByCampaign.set(id, (n) => (n <= 2 ? 'fail' : 'ok'));
      const numbers = phoneNumbers(3, 4100);
      await run(id, numbers);

      const record = await simulator.calls({ answerUrlContains: id });
      expect(record.map((c) => c.request.to).sort()).toEqual(numbers);
      const log = await callLog(id, 3);
      for (const call of log) {
        expect(call).toMatchObject({ status: 'completed', warmupAttempts: 3 });
        expect(call.warmupDurationMs).toBeGreaterThanOrEqual(WARMUP.backoffMs * 3); // 50 + 100 ms of backoff
        const tries = warmup.tries.filter((t) => t.callId === call.callId);
        expect(tries.map((t) => t.answer)).toEqual(['fail', 'fail', 'ok']);
        expect(tries[1].at - tries[0].at).toBeGreaterThanOrEqual(WARMUP.backoffMs - 5);
        expect(tries[2].at - tries[1].at).toBeGreaterThanOrEqual(2 * WARMUP.backoffMs - 5);
        // The bot was warm before the Call API request.
        const placed = record.find((c) => c.request.answer_url.includes(call.callId))!;
        expect(tries[2].at).toBeLessThanOrEqual(placed.requestedAt);
      }
    }, 120_000);

    it('bounds each try by BOT_WARMUP_TIMEOUT', async () => {
      const id = await createCampaign(api, { limit: 3 }, []);
      warmupByCampaign.set(id, (n) => (n === 1 ? 'hang' : 'ok'));
      await run(id, phoneNumbers(2, 4200));
      const log = await callLog(id, 2);
      for (const call of log) {
        expect(call).toMatchObject({ status: 'completed', warmupAttempts: 2 });
        expect(call.warmupDurationMs).toBeGreaterThanOrEqual(WARMUP.timeoutMs + WARMUP.backoffMs - 5);
      }
      expect(await simulator.calls({ answerUrlContains: id })).toHaveLength(2);
    }, 120_000);

    it('fails the attempt as bot_warmup_failed after the last try: no call, slots freed', async () => {
      const id = await createCampaign(api, { limit: 3 }, []);
      warmupByCampaign.set(id, () => 'fail');
      await run(id, phoneNumbers(2, 4300));
      const log = await callLog(id, 2);
      for (const call of log) {
        expect(call).toMatchObject({ status: 'failed', failureReason: 'bot_warmup_failed', warmupAttempts: WARMUP.tries });
        expect(warmup.tries.filter((t) => t.callId === call.callId)).toHaveLength(WARMUP.tries);
      }
      expect(await simulator.calls({ answerUrlContains: id })).toEqual([]);
      expect(await activeCalls(id)).toBe(0);
    }, 120_000);
  });

  describe('Plivo API errors', () => {
    it('retries 429 and 503, never retries 400 or a request that may have been placed, and places at most one call each', async () => {
      const [throttled, unavailable, invalid, dropped, serverError, normal] = phoneNumbers(6, 4400);
      plivoByNumber.set(throttled, (n) => (n === 1 ? { kind: 'answer', status: 429, body: { api_id: 'x', error: 'too many requests' } } : { kind: 'forward' }));
      plivoByNumber.set(unavailable, (n) => (n === 1 ? { kind: 'answer', status: 503, body: { api_id: 'x', error: 'unavailable' } } : { kind: 'forward' }));
      plivoByNumber.set(invalid, () => ({ kind: 'answer', status: 400, body: { api_id: 'x', error: "invalid 'to' number" } }));
      // The call is placed, but the answer never comes back: the dialer must not send it again.
      plivoByNumber.set(dropped, () => ({ kind: 'forward-then-drop' }));
      // A 500 may hide a placed call (none here): not sent again; the attempt ends by the call timeout.
      plivoByNumber.set(serverError, () => ({ kind: 'answer', status: 500, body: { api_id: 'x', error: 'internal error' } }));
      const id = await createCampaign(api, { limit: 3 }, []);
      const numbers = [throttled, unavailable, invalid, dropped, serverError, normal];
      await run(id, numbers);

      const requestsFor = (to: string) => proxy.requests.filter((r) => r.to === to);
      expect(requestsFor(throttled).map((r) => r.status)).toEqual([429, 201]);
      expect(requestsFor(unavailable).map((r) => r.status)).toEqual([503, 201]);
      expect(requestsFor(invalid).map((r) => r.status)).toEqual([400]);
      expect(requestsFor(dropped).map((r) => r.status)).toEqual([201]);
      expect(requestsFor(serverError).map((r) => r.status)).toEqual([500]);
      expect(requestsFor(normal).map((r) => r.status)).toEqual([201]);
      // The retry waited for its backoff (500 ms) and its own pacing turn.
      expect(requestsFor(throttled)[1].at - requestsFor(throttled)[0].at).toBeGreaterThanOrEqual(450);

      const record = await simulator.calls({ answerUrlContains: id });
      const placed = (to: string) => record.filter((c) => c.request.to === to);
      expect(record.map((c) => c.request.to).sort()).toEqual([throttled, unavailable, dropped, normal].sort());

      const log = await callLog(id, numbers.length);
      const entry = (to: string) => log.find((c) => c.to === to)!;
      for (const to of [throttled, unavailable, normal]) {
        expect(entry(to)).toMatchObject({ status: 'completed', requestUuid: placed(to)[0].requestUuid });
      }
      expect(entry(invalid)).toMatchObject({ status: 'failed', failureReason: 'plivo_rejected_400' });
      // No CallInitiated (the answer was lost), but the call's own webhooks complete it.
      expect(entry(dropped).status).toBe('completed');
      expect(entry(dropped).requestUuid).toBeUndefined();
      // Its slots were kept until the timeout, not given back at the failed request.
      expect(entry(serverError)).toMatchObject({ status: 'timeout' });
      expect(Date.parse(entry(serverError).endedAt!) - Date.parse(entry(serverError).requestedAt!)).toBeGreaterThanOrEqual(CALL_TIMEOUT_MS);
      expect(await activeCalls(id)).toBe(0);
    }, 120_000);
  });

  describe('caller-id rotation', () => {
    it('spreads the calls of a campaign evenly over its fromNumbers', async () => {
      const fromNumbers = ['+14155550101', '+14155550102', '+14155550103'];
      const id = await createCampaign(api, { limit: 4, fromNumbers }, []);
      await run(id, phoneNumbers(31, 4500));
      const record = await simulator.calls({ answerUrlContains: id });
      expect(record).toHaveLength(31);
      const counts = fromNumbers.map((from) => record.filter((c) => c.request.from === from).length);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(31);
      // Round robin over the campaign's own delivery order: 11/10/10 in some order.
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    }, 120_000);
  });
});
