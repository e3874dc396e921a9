import { phoneNumbers } from '@libs/testing/api-client';
import { Stack } from '@libs/testing/stack';
import { newClient, startTestStack } from '@libs/testing/test-stack';
import { SimulatorClient } from '../../tools/plivo-simulator/src/client';
import { createCampaign, startCampaign, waitUntilCompleted } from './dialer-test-campaigns';

const CPS = 5;
const DIALERS = 3;

/** The most requests any sliding one-second window [t, t + 1000) holds. */
export function busiestSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] >= 1000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

/**
 * Account-wide pacing across dialer instances: three dialers work two campaigns whose limits would
 * allow far more than PLIVO_MAX_CPS call starts per second; by the simulator's own request timestamps
 * no sliding second ever holds more than PLIVO_MAX_CPS Call API requests.
 */
describe('dialer: pacing to PLIVO_MAX_CPS across dialers', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startTestStack({
      dialerReplicas: DIALERS,
      env: { PLIVO_MAX_CPS: String(CPS), GLOBAL_MAX_CALLS: '50' },
      simulatorEnv: { SIM_RING_MS: '10-30', SIM_TALK_MS: '100-300', SIM_TIME_SCALE: '1' },
    });
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('checks the window measure itself', () => {
    expect(busiestSecond([0, 999, 1000, 1999])).toBe(2);
    expect(busiestSecond([0, 100, 200, 300, 400, 500])).toBe(6);
    expect(busiestSecond([0, 1000, 2000])).toBe(1);
  });

  it(`never sends more than ${CPS} Call API requests in any second`, async () => {
    const { api } = await newClient(stack, 40);
    const ids = [
      await createCampaign(api, { limit: 20 }, phoneNumbers(40, 5000)),
      await createCampaign(api, { limit: 20 }, phoneNumbers(40, 5100)),
    ];
    await Promise.all(ids.map((id) => startCampaign(api, id)));
    for (const id of ids) await waitUntilCompleted(api, id, 90_000);

    const record = await new SimulatorClient(stack.simulatorUrl!).calls();
    const times = record.map((c) => c.requestedAt);
    expect(record.length).toBe(80);
    expect(new Set(record.map((c) => c.request.to)).size).toBe(80);
    expect(busiestSecond(times)).toBeLessThanOrEqual(CPS);
    // The pacer, not something else, set the pace: busy seconds reach the limit and the average is
    // close to it (a request counts from its admission to a second after its answer).
    expect(busiestSecond(times)).toBeGreaterThanOrEqual(CPS - 1);
    const spanSeconds = (Math.max(...times) - Math.min(...times)) / 1000;
    expect(record.length / spanSeconds).toBeGreaterThan(CPS * 0.75);
  }, 150_000);
});
