import { Stack } from '@libs/testing/stack';
import { startTestStack } from '@libs/testing/test-stack';
import { waitFor } from '@libs/testing/wait-for';
import { SimulatorClient } from '../../tools/plivo-simulator/src/client';
import { csvText, newUploader, Uploader, usNumber } from './contacts-upload.helpers';

/**
 * The per-client do-not-call list, every service as its own process: the API (JSON and CSV, paging,
 * check, remove, one client's list never another's), and a running campaign with a limit of 1 and
 * slow calls, where numbers listed before the start and one listed while its job is already queued
 * are never called (the simulator's record) and end `skipped` with reason `dnc`.
 */
describe('do-not-call list', () => {
  let stack: Stack;
  let client: Uploader;
  let other: Uploader;
  let simulator: SimulatorClient;

  beforeAll(async () => {
    stack = await startTestStack({ simulatorEnv: { SIM_RING_MS: '20-50', SIM_TALK_MS: '1500-2000' } });
    [client, other] = await Promise.all([newUploader(stack, 'Listed'), newUploader(stack, 'Other')]);
    simulator = new SimulatorClient(stack.simulatorUrl!);
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('adds (JSON or CSV), checks, pages and removes numbers, per client', async () => {
    const added = await client.api.post('/dnc', { numbers: ['+1 (415) 555-2671', '12', '+14155552671', usNumber(900)] });
    expect(added.status).toBe(200);
    expect(added.body).toEqual({ accepted: 2, duplicates: 1, rejectedCount: 1, rejected: [{ row: 2, phoneNumber: '12', reason: expect.stringMatching(/not a valid phone number/) }] });
    const csv = await client.csv('/dnc', csvText('name,phoneNumber', [`A,${usNumber(901)}`, `B,${usNumber(902)}`, 'C,']));
    expect(csv.body).toMatchObject({ accepted: 2, rejectedCount: 1, rejected: [{ row: 4, reason: 'phoneNumber is required' }] });
    expect((await client.csv('/dnc', 'number\n+14155552671\n')).status).toBe(400);

    // Applied before the answer: the check sees it at once, in any spelling of the number.
    expect((await client.api.get('/dnc/+14155552671')).body).toEqual({ phoneNumber: '+14155552671', listed: true, addedAt: expect.any(String) });
    expect((await client.api.get(`/dnc/${encodeURIComponent('+1 415 555 2671')}`)).body.listed).toBe(true);
    expect((await other.api.get('/dnc/+14155552671')).body).toEqual({ phoneNumber: '+14155552671', listed: false });
    expect((await client.api.get('/dnc/not-a-number')).status).toBe(400);

    const first = (await client.api.get('/dnc?limit=3&page=1')).body;
    const second = (await client.api.get('/dnc?limit=3&page=2')).body;
    expect(first.total).toBe(4);
    expect([...first.items, ...second.items].map((i: { phoneNumber: string }) => i.phoneNumber).sort()).toEqual(
      ['+14155552671', usNumber(900), usNumber(901), usNumber(902)].sort(),
    );
    expect((await other.api.get('/dnc')).body).toMatchObject({ items: [], total: 0 });

    expect((await client.api.request('DELETE', '/dnc/+14155552671')).status).toBe(204);
    expect((await client.api.get('/dnc/+14155552671')).body.listed).toBe(false);
    expect((await client.multipart('/dnc/remove', csvText('phoneNumber', [usNumber(900), usNumber(901)]))).body).toMatchObject({ accepted: 2 });
    expect((await client.api.get('/dnc')).body.items.map((i: { phoneNumber: string }) => i.phoneNumber)).toEqual([usNumber(902)]);
  }, 60_000);

  it('never calls a listed number, also one listed while its job is queued, and completes the campaign', async () => {
    const numbers = Array.from({ length: 8 }, (_, i) => usNumber(5_000 + i));
    const listedBefore = [numbers[2], numbers[5]];
    const listedWhileRunning = numbers[6];
    await client.api.post('/dnc', { numbers: listedBefore });

    const created = await client.api.post('/campaigns', { name: 'DNC', fromNumber: '+14155550100', wssUrl: 'wss://bot.example.com/s', settings: { concurrentCallsLimit: 1 } });
    const id = created.body.id;
    expect((await client.api.post(`/campaigns/${id}/contacts`, { contacts: numbers.map((phoneNumber) => ({ phoneNumber })) })).body.accepted).toBe(8);
    expect((await client.api.post(`/campaigns/${id}/start`)).status).toBe(200);

    // The first call is live (and lasts about 2 s): every other contact is still waiting in the queue.
    await waitFor(async () => (await simulator.calls({ answerUrlContains: id })).length > 0, { timeoutMs: 30_000, description: 'the first call' });
    expect((await client.api.post('/dnc', { numbers: [listedWhileRunning] })).body.accepted).toBe(1);
    const calledBeforeTheAdd = (await simulator.calls({ answerUrlContains: id })).map((c) => c.request.to);
    expect(calledBeforeTheAdd).not.toContain(listedWhileRunning);

    await waitFor(async () => (await client.api.get(`/campaigns/${id}/progress`)).body.campaign.status === 'completed', {
      timeoutMs: 90_000,
      intervalMs: 500,
      description: 'the campaign to complete',
    });
    const called = (await simulator.calls({ answerUrlContains: id })).map((c) => c.request.to);
    const neverCalled = [...listedBefore, listedWhileRunning];
    expect(called.sort()).toEqual(numbers.filter((n) => !neverCalled.includes(n)).sort());

    const contacts = (await client.api.get(`/campaigns/${id}/contacts?limit=20`)).body.items as { phoneNumber: string; status: string; skipReason?: string }[];
    const byNumber = new Map(contacts.map((c) => [c.phoneNumber, c]));
    for (const n of neverCalled) expect(byNumber.get(n)).toMatchObject({ status: 'skipped', skipReason: 'dnc' });
    for (const n of numbers.filter((x) => !neverCalled.includes(x))) expect(byNumber.get(n)?.status).toBe('completed');
    const calls = (await client.api.get(`/campaigns/${id}/calls?limit=50`)).body;
    expect(calls.items.map((c: { to: string }) => c.to).sort()).toEqual(called.sort());
  }, 150_000);
});
