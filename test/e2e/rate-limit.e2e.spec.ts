import { ApiClient, registerClient } from '@libs/testing/api-client';
import { Stack } from '@libs/testing/stack';
import { startTestStack } from '@libs/testing/test-stack';

const LIMIT = 20;

/** The gateway's rate limit (RATE_LIMIT_PER_MINUTE) with every service as its own process. */
describe('rate limit', () => {
  let stack: Stack;
  let admin: ApiClient;

  beforeAll(async () => {
    stack = await startTestStack({ env: { RATE_LIMIT_PER_MINUTE: String(LIMIT) } });
    admin = new ApiClient(stack.gatewayUrl, stack.env.ADMIN_API_KEY);
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('answers 429 with Retry-After once a key has made its requests of the minute; other keys and health go on', async () => {
    const { api } = await registerClient(admin, 'busy');
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 5; i++) statuses.push((await api.get('/lists')).status);
    // The registration's own polls count too: some of the limit may be gone before these.
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(LIMIT);
    expect(new Set(statuses)).toEqual(new Set([200, 429]));
    expect(statuses.indexOf(429)).toBeGreaterThan(statuses.lastIndexOf(200));

    const refused = await fetch(`${stack.gatewayUrl}/api/v1/lists`, { headers: { authorization: `Bearer ${api.apiKey}` } });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ statusCode: 429, error: 'Too Many Requests', message: expect.any(String) });

    const { api: other } = await registerClient(admin, 'calm');
    expect((await other.get('/lists')).status).toBe(200);
    for (let i = 0; i < LIMIT + 5; i++) expect((await fetch(`${stack.gatewayUrl}/api/v1/health`)).status).toBe(200);
  }, 60_000);

  it('counts requests with an unknown key too, and refuses them without asking the campaigns service', async () => {
    const stranger = admin.withKey('ck_not-a-key-of-anyone');
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 2; i++) statuses.push((await stranger.get('/lists')).status);
    expect(statuses.slice(0, LIMIT)).toEqual(Array(LIMIT).fill(401));
    expect(statuses.slice(LIMIT)).toEqual([429, 429]);
  }, 60_000);
});
