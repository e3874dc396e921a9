import { phoneNumbers } from '@libs/testing/api-client';
import { Stack } from '@libs/testing/stack';
import { newClient, startTestStack } from '@libs/testing/test-stack';
import { waitFor } from '@libs/testing/wait-for';
import { SimulatorClient } from '../../tools/plivo-simulator/src/client';
import { maxLiveByScope, overLimit } from './dialer-scopes';
import { createCampaign, startCampaign } from './dialer-test-campaigns';

// 1000 in the issue; the default keeps the run under ~3 minutes on a 2-core box, where the campaigns
// service's projections (FerretDB), not the dialers, set how fast a campaign completes.
const CONTACTS = Number(process.env.DIALER_CHAOS_CONTACTS ?? 300);
const LIMIT = 15;
const DIALERS = ['dialer-1', 'dialer-2', 'dialer-3'];
// Long enough that no placed call outlives it on a busy machine (that would be a timeout and a retry).
const CALL_TIMEOUT_MS = 8_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const between = (min: number, max: number) => min + Math.random() * (max - min);

/**
 * Dialers killed with SIGKILL at random moments, again and again, and started again, while a campaign
 * runs (DIALER_CHAOS_CONTACTS contacts, default 300): the campaign completes without anyone stepping
 * in, the simulator saw every contact called exactly once, and no limit was ever exceeded. An attempt
 * claimed by a dialer that died before its request is ended by the call timeout and retried; one whose
 * request left is ended by its own webhooks.
 */
describe('dialer: random kill -9 of dialers during a campaign', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startTestStack({
      dialerReplicas: DIALERS.length,
      env: {
        GLOBAL_MAX_CALLS: '40',
        CALL_TIMEOUT_MINUTES: String(CALL_TIMEOUT_MS / 60_000),
        TIMEOUT_SWEEP_MS: '250',
        DIAL_ACK_WAIT_MS: '2000',
        // A deeper dial queue than the default, so the campaign's pace is set by the dialers, not the feed.
        FEED_DEPTH_PER_SLOT: '10',
      },
      onLine: process.env.TEST_STACK_LOGS === '1' ? (name, line) => process.stderr.write(`[${name}] ${line}\n`) : () => undefined,
      simulatorEnv: { SIM_RING_MS: '10-30', SIM_TALK_MS: '50-150', SIM_TIME_SCALE: '1' },
    });
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('calls every contact exactly once and completes, whatever dies when', async () => {
    const { id: clientId, api } = await newClient(stack, 30);
    const numbers = phoneNumbers(CONTACTS, 1000);
    const id = await createCampaign(api, { limit: LIMIT, settings: { retryFailedCalls: true, maxRetryAttempts: 5, retryDelayMinutes: 0 } }, numbers);
    await startCampaign(api, id);

    // Kills go on while calls are being placed (judged by the simulator, which costs the system nothing).
    const simulator = new SimulatorClient(stack.simulatorUrl!);
    let kills = 0;
    const startedAt = Date.now();
    while ((await simulator.stats()).total < CONTACTS * 0.9 && Date.now() - startedAt < 150_000) {
      await sleep(between(1_500, 4_000));
      const victim = DIALERS[Math.floor(Math.random() * DIALERS.length)];
      await stack.kill(victim, 'SIGKILL');
      kills++;
      await sleep(between(300, 1_500));
      await stack.restart(victim);
    }
    const progress = async () => (await api.get(`/campaigns/${id}/progress`)).body.campaign;
    await waitFor(async () => (await progress()).status === 'completed', { timeoutMs: Number(process.env.DIALER_CHAOS_COMPLETION_MS ?? 150_000), intervalMs: 3_000, description: 'the campaign to complete' }).catch(
      async (e) => {
        const stats = await api.get(`/campaigns/${id}/stats`);
        throw new Error(`${(e as Error).message}; progress ${JSON.stringify(await progress())}; stats ${JSON.stringify(stats.body)}; simulator ${JSON.stringify(await simulator.stats())}`);
      },
    );
    expect(kills).toBeGreaterThanOrEqual(3);

    const final = await progress();
    expect(final).toMatchObject({ status: 'completed', totalContacts: CONTACTS, completedCalls: CONTACTS, progress: 100 });
    const record = await waitFor(
      async () => {
        const calls = await simulator.calls({ answerUrlContains: id });
        return calls.every((c) => c.liveTo !== null) ? calls : undefined;
      },
      { timeoutMs: 10_000, description: 'every simulated call to end' },
    );
    const calledTwice = record.length - new Set(record.map((c) => c.request.to)).size;
    expect(calledTwice).toBe(0);
    expect(record.map((c) => c.request.to).sort()).toEqual(numbers);
    const limits = new Map([[`campaign.${id}`, LIMIT], [`client.${clientId}`, 30], ['global', 40]]);
    expect(overLimit(maxLiveByScope(record, () => clientId), limits)).toEqual([]);
    await waitFor(
      async () => {
        const active = (await api.get(`/calls/active?campaignId=${id}`)).body;
        return active.global.active === 0 && active.client.active === 0 && (active.campaigns[0]?.active ?? 0) === 0;
      },
      { timeoutMs: CALL_TIMEOUT_MS + 10_000, intervalMs: 250, description: 'every slot to be given back' },
    );
  }, 1_200_000);
});
