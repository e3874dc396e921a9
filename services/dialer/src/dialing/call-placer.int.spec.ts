import { connect, KV, NatsConnection } from 'nats';
import pino from 'pino';
import { DialJob } from '@contracts/dialing/dial-job';
import { CampaignRuntime } from '@contracts/dialing/runtime';
import { holdsOn } from '@libs/testing/signal-holds';
import { testNatsUrl, uniqueName } from '@libs/testing/test-env';
import { sleep } from '../shared/sleep';
import { BotWarmup, noWarmup } from '../warmup/bot-warmup';
import { CallPlacer, CallPlacerDeps } from './call-placer';
import { PacedRequest, Pacer } from './pacer';
import { decodeWindow, emptyWindow, RateWindow, size } from './rate-window';

const job: DialJob = { campaignId: 'c1', clientId: 'k1', contactId: 'ct1', attempt: 1, phoneNumber: '+14155550100', priority: 0, correlationId: 'x' };
const campaign = { campaignId: 'c1', clientId: 'k1', status: 'running', fromNumber: '+14155550000', settings: { machineDetection: 'false' } } as unknown as CampaignRuntime;
/** A warm-up is configured (it succeeds at once): the admission waits for it. */
const configuredWarmup: BotWarmup = { enabled: true, warm: async () => ({ ok: true, attempts: 1, durationMs: 0 }) as never };

/**
 * The placer's own logic around the pacer, against a real Pacer on real NATS KV; the claim, the Call
 * API and the slots are stubs that record what they were asked.
 */
describe('CallPlacer and the pacer (real NATS KV)', () => {
  let nc: NatsConnection;
  const pacers: Pacer[] = [];
  beforeAll(async () => {
    nc = await connect({ servers: testNatsUrl() });
  });
  afterAll(async () => {
    await Promise.all(pacers.map((p) => p.stop()));
    await nc.close();
  });

  /** cps 1 and a long in-flight expiry: an admission not given back blocks the next one for a minute. */
  async function setUp(deps: Partial<CallPlacerDeps> = {}, pacerNow?: () => number) {
    const kv = await nc.jetstream().views.kv(uniqueName('placer'), { history: 1 });
    const pacer = new Pacer(kv, 'pacer', { cps: 1, inFlightExpiryMs: 60_000 }, pacerNow);
    await pacer.start();
    pacers.push(pacer);
    const requests: string[] = [];
    const placer = new CallPlacer({
      warmup: noWarmup,
      pacer,
      plivo: { createCall: async (r: { to: string }) => (requests.push(r.to), { requestUuid: `uuid-${requests.length}` }) } as never,
      events: { claim: async () => true, initiated: async () => undefined, failed: async () => undefined } as never,
      ledger: { release: async () => undefined } as never,
      statusNow: async () => 'running',
      hasEnded: async () => false,
      admissionUseWithinMs: 1_000,
      leaseMs: 60_000,
      publicBaseUrl: 'http://localhost',
      log: pino({ level: 'silent' }),
      ...deps,
    });
    return { kv, pacer, placer, requests };
  }

  /** Whether the pacer admits one more request within `ms`: with cps 1, only if the window is empty. */
  async function admitsWithin(pacer: Pacer, ms: number): Promise<boolean> {
    const request = await pacer.admit(AbortSignal.timeout(ms));
    await request?.withdrawn();
    return request !== undefined;
  }

  async function windowOf(kv: KV): Promise<RateWindow> {
    const entry = await kv.get('pacer');
    return entry ? decodeWindow(JSON.parse(new TextDecoder().decode(entry.value))) : emptyWindow();
  }

  it('asks the pacer for its admission in the head start; one discarded at once or once admitted is given back', async () => {
    const { pacer, placer } = await setUp();
    const atOnce = placer.headStart(job);
    atOnce.discard();
    expect(await admitsWithin(pacer, 1_000)).toBe(true);

    const admitted = placer.headStart(job);
    expect(await admitted.admit(new AbortController().signal)).toBeDefined();
    expect(await admitsWithin(pacer, 300)).toBe(false); // the head start's admission fills the window
    admitted.discard();
    expect(await admitsWithin(pacer, 1_000)).toBe(true);
  });

  it('places the call on the admission of its head start, and gives it back when the waits were cut short', async () => {
    const { kv, pacer, placer, requests } = await setUp();
    const attempt = { job, callId: 'ct1-a1', from: campaign.fromNumber, campaign, holder: 'ct1-a1@t.1', scopeKeys: ['campaign.c1'], acquiredAt: Date.now() };
    const queued = { keepAlive: () => undefined, ack: () => undefined, giveBack: () => undefined };

    const started = placer.headStart(job);
    await placer.place(attempt, queued, undefined, started);
    expect(requests).toEqual([job.phoneNumber]);
    expect(size(await windowOf(kv))).toBe(1); // one admission, the one sent

    const stopping = new AbortController();
    const cutShort = placer.headStart(job);
    stopping.abort();
    await placer.place(attempt, queued, stopping.signal, cutShort);
    expect(requests).toHaveLength(1);
    await sleep(1_100); // the sent request stops counting a second after its answer
    expect(await admitsWithin(pacer, 1_000)).toBe(true);
  });

  it("leaves nothing on the dialer's stop signal once a call is placed (it lives as long as the campaign dials)", async () => {
    const { placer, requests } = await setUp();
    const attempt = { job, callId: 'ct1-a1', from: campaign.fromNumber, campaign, holder: 'ct1-a1@t.1', scopeKeys: ['campaign.c1'], acquiredAt: Date.now() };
    const stop = new AbortController();
    await placer.place(attempt, { keepAlive: () => undefined, ack: () => undefined, giveBack: () => undefined }, stop.signal);
    expect(requests).toEqual([job.phoneNumber]);
    expect(holdsOn(stop.signal)).toBe(0);
  });

  it('with a warm-up to wait for, asks the pacer for nothing before the warm-up is over', async () => {
    const { pacer, placer } = await setUp({ warmup: configuredWarmup });
    const started = placer.headStart(job);
    expect(await admitsWithin(pacer, 1_000)).toBe(true);
    started.discard();
  });

  it('does not send a request on an admission older than admissionUseWithinMs: it takes a new one', async () => {
    let lag = 1_500; // the first admission is stamped 1.5 s back, as if the claim had taken that long
    const { kv, pacer, placer, requests } = await setUp({}, () => Date.now() - lag);
    const admissions = jest.spyOn(pacer, 'admit');
    const attempt = { job, callId: 'ct1-a1', from: campaign.fromNumber, campaign, holder: 'ct1-a1@t.1', scopeKeys: ['campaign.c1'], acquiredAt: Date.now() };
    const started = placer.headStart(job);
    await started.admit(new AbortController().signal);
    lag = 0;
    await placer.place(attempt, { keepAlive: () => undefined, ack: () => undefined, giveBack: () => undefined }, undefined, started);
    expect(requests).toEqual([job.phoneNumber]);
    const window = await windowOf(kv);
    expect(admissions).toHaveBeenCalledTimes(2); // the request went out on a new admission
    const renewed = (await admissions.mock.results[1].value) as PacedRequest;
    expect(Date.now() - renewed.admittedAt).toBeLessThan(1_000);
    expect(size(window)).toBe(1); // and the old one was given back
  });
});
