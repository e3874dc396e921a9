import { ApiClient, phoneNumbers } from '@libs/testing/api-client';
import { Stack } from '@libs/testing/stack';
import { newClient, startTestStack } from '@libs/testing/test-stack';
import { waitFor } from '@libs/testing/wait-for';
import { CallRecord, SimulatorClient } from '../../tools/plivo-simulator/src/client';
import { dropReadModels } from '../../scripts/rebuild/read-models';

const RETRY_DELAY_MINUTES = 0.02; // 1.2 s

/**
 * Retries against the running system, judged by the simulator's record: a contact is called at most
 * 1 + maxRetryAttempts times, never before its retry delay, voicemail is not retried when excluded,
 * and the final counters are exact, also when the campaigns and scheduler services restart mid-campaign.
 */
describe('retries', () => {
  let stack: Stack;
  let api: ApiClient;
  let simulator: SimulatorClient;
  const numbers = phoneNumbers(40, 6000);
  const busy = numbers.slice(0, 6);
  const noAnswer = numbers.slice(6, 10);
  const voicemail = numbers.slice(10, 13);
  const answered = numbers.slice(13);

  beforeAll(async () => {
    const outcomeByNumber = Object.fromEntries([
      ...busy.map((n) => [n, 'busy']),
      ...noAnswer.map((n) => [n, 'no-answer']),
      ...voicemail.map((n) => [n, 'voicemail']),
    ]);
    stack = await startTestStack({
      simulatorEnv: { SIM_RING_MS: '20-60', SIM_TALK_MS: '100-300', SIM_OUTCOME_BY_NUMBER: JSON.stringify(outcomeByNumber) },
    });
    ({ api } = await newClient(stack, 10));
    simulator = new SimulatorClient(stack.simulatorUrl!);
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  async function createCampaign(settings: Record<string, unknown>, contacts = numbers): Promise<string> {
    const created = await api.post('/campaigns', {
      name: 'retries',
      fromNumber: '+14155550100',
      wssUrl: 'wss://bot.example.com/stream',
      settings: { concurrentCallsLimit: 4, retryFailedCalls: true, maxRetryAttempts: 2, retryDelayMinutes: RETRY_DELAY_MINUTES, machineDetection: 'true', ...settings },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const added = await api.post(`/campaigns/${id}/contacts`, { contacts: contacts.map((phoneNumber) => ({ phoneNumber })) });
    expect([added.status, added.body.accepted]).toEqual([200, contacts.length]);
    return id;
  }

  const progress = async (id: string) => (await api.get(`/campaigns/${id}/progress`)).body;
  const completed = (id: string) =>
    waitFor(async () => {
      const p = await progress(id);
      return p.campaign.status === 'completed' ? p : undefined;
    }, { timeoutMs: 120_000, description: `campaign ${id} to complete` });

  function callsByNumber(calls: CallRecord[]): Map<string, CallRecord[]> {
    const by = new Map<string, CallRecord[]>();
    for (const c of calls) by.set(c.request.to, [...(by.get(c.request.to) ?? []), c]);
    return by;
  }

  function expectCallCounts(by: Map<string, CallRecord[]>, expected: [string[], number][]) {
    for (const [group, n] of expected) for (const number of group) expect([number, by.get(number)?.length ?? 0]).toEqual([number, n]);
  }

  async function contactStatuses(id: string): Promise<Record<string, string>> {
    const page = await api.get(`/campaigns/${id}/contacts?limit=500`);
    return Object.fromEntries(page.body.items.map((c: { phoneNumber: string; status: string }) => [c.phoneNumber, c.status]));
  }

  it('calls each failing contact 1 + maxRetryAttempts times, after the delay, and never retries voicemail', async () => {
    const id = await createCampaign({});
    expect((await api.post(`/campaigns/${id}/start`)).status).toBe(200);
    const done = await completed(id);

    const by = callsByNumber(await simulator.calls({ answerUrlContains: id }));
    expectCallCounts(by, [[busy, 3], [noAnswer, 3], [voicemail, 1], [answered, 1]]);
    for (const number of [...busy, ...noAnswer]) {
      const calls = by.get(number)!.sort((a, b) => a.requestedAt - b.requestedAt);
      for (let i = 1; i < calls.length; i++) {
        // The next call is requested no earlier than the delay after the previous one ended.
        expect(calls[i].requestedAt - calls[i - 1].liveTo!).toBeGreaterThanOrEqual(RETRY_DELAY_MINUTES * 60_000 - 50);
      }
    }
    expect(done.campaign).toMatchObject({ totalContacts: 40, completedCalls: 27, failedCalls: 10, voicemailCalls: 3, progress: 100 });
    expect(done.queue).toMatchObject({ waiting: 0, active: 0, delayed: 0 });

    const statuses = await contactStatuses(id);
    for (const n of [...busy, ...noAnswer]) expect(statuses[n]).toBe('failed');
    for (const n of voicemail) expect(statuses[n]).toBe('voicemail');

    // The call log has every attempt.
    const log = await api.get(`/campaigns/${id}/calls?limit=500`);
    expect(log.body.total).toBe(10 * 3 + 3 + 27);

    // POST /retry on the completed campaign: failed contacts (and voicemail on request) run again with a fresh budget.
    const retried = await api.post(`/campaigns/${id}/retry`, { includeVoicemail: true });
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ requeued: 13, status: 'running' });
    await waitFor(async () => (await progress(id)).campaign.status === 'running', { timeoutMs: 10_000, description: 'the campaign to run again' });
    await completed(id);
    const again = callsByNumber(await simulator.calls({ answerUrlContains: id }));
    expectCallCounts(again, [[busy, 6], [noAnswer, 6], [voicemail, 2], [answered, 1]]);
  }, 240_000);

  it('applies changed retry settings to the calls that end from about a second after the change', async () => {
    const id = await createCampaign({ concurrentCallsLimit: 1, retryFailedCalls: false }, busy);
    expect((await api.post(`/campaigns/${id}/start`)).status).toBe(200);
    await waitFor(async () => (await simulator.calls({ answerUrlContains: id })).filter((c) => c.liveTo).length >= 2, {
      timeoutMs: 30_000,
      description: 'two calls to end',
    });
    expect((await api.post(`/campaigns/${id}/pause`)).status).toBe(200);
    // Every call placed so far has ended and its contact is settled under the old settings.
    const endedBefore = await waitFor(async () => {
      const calls = await simulator.calls({ answerUrlContains: id });
      const statuses = await contactStatuses(id);
      const numbers = calls.map((c) => c.request.to);
      return calls.every((c) => c.liveTo) && numbers.every((n) => statuses[n] === 'failed') ? numbers : undefined;
    }, { timeoutMs: 30_000, description: 'the calls placed before the pause to end' });

    expect((await api.patch(`/campaigns/${id}`, { settings: { retryFailedCalls: true, maxRetryAttempts: 1 } })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await api.post(`/campaigns/${id}/resume`)).status).toBe(200);
    await completed(id);

    const by = callsByNumber(await simulator.calls({ answerUrlContains: id }));
    const endedAfter = busy.filter((n) => !endedBefore.includes(n));
    expect(endedAfter.length).toBeGreaterThan(0);
    expectCallCounts(by, [[endedBefore, 1], [endedAfter, 2]]);
  }, 120_000);

  it('refuses a retry of a draft campaign and validates the body', async () => {
    const id = await createCampaign({});
    expect((await api.post(`/campaigns/${id}/retry`, { includeVoicemail: 'yes' })).status).toBe(400);
    const none = await api.post(`/campaigns/${id}/retry`, {});
    expect(none.status).toBe(200);
    expect(none.body.requeued).toBe(0);
    expect((await api.post('/campaigns/00000000-0000-4000-8000-000000000000/retry', {})).status).toBe(404);
  });

  it('keeps exact attempt counts and counters when campaigns and scheduler restart mid-campaign', async () => {
    const id = await createCampaign({ retryDelayMinutes: 0.05 }); // 3 s: retries fall due while the services are down
    expect((await api.post(`/campaigns/${id}/start`)).status).toBe(200);
    await waitFor(async () => (await simulator.calls({ answerUrlContains: id })).some((c) => busy.includes(c.request.to) && c.liveTo), {
      timeoutMs: 30_000,
      description: 'a first busy call to end',
    });
    await Promise.all([stack.kill('campaigns'), stack.kill('scheduler')]);
    await new Promise((r) => setTimeout(r, 4_000));
    await Promise.all([stack.restart('campaigns'), stack.restart('scheduler')]);

    const done = await completed(id);
    const by = callsByNumber(await simulator.calls({ answerUrlContains: id }));
    expectCallCounts(by, [[busy, 3], [noAnswer, 3], [voicemail, 1], [answered, 1]]);
    expect(done.campaign).toMatchObject({ totalContacts: 40, completedCalls: 27, failedCalls: 10, voicemailCalls: 3, progress: 100 });
    const stats = await api.get(`/campaigns/${id}/stats`);
    expect(stats.body.contactsByStatus).toEqual({ completed: 27, failed: 10, voicemail: 3 });

    // A full rebuild of the campaigns read models from the streams gives the same contacts and counters.
    const before = await contactRows(id);
    expect(before).toHaveLength(40);
    await stack.kill('campaigns');
    const dropped = await dropReadModels('campaigns', {
      natsUrl: stack.env.NATS_URL,
      natsNamespace: stack.natsNamespace,
      mongoUrl: stack.env.MONGO_URL,
      mongoDb: stack.mongoDb,
    });
    expect(dropped).toEqual(expect.arrayContaining([expect.stringMatching(/contacts$/), expect.stringMatching(/campaigns-call-outcomes$/)]));
    await stack.restart('campaigns');
    let after: unknown[] = [];
    await waitFor(
      async () => {
        after = await contactRows(id).catch(() => []);
        return JSON.stringify(after) === JSON.stringify(before) ? true : undefined;
      },
      { timeoutMs: 60_000, description: 'the rebuilt contacts to equal the originals' },
    ).catch(() => expect(after).toEqual(before));
    expect((await api.get(`/campaigns/${id}/stats`)).body.contactsByStatus).toEqual({ completed: 27, failed: 10, voicemail: 3 });
    expect((await progress(id)).campaign).toMatchObject({ status: 'completed', completedCalls: 27, failedCalls: 10, voicemailCalls: 3 });
    expect((await simulator.calls({ answerUrlContains: id })).length).toBe(10 * 3 + 3 + 27);
  }, 300_000);

  async function contactRows(id: string) {
    const page = await api.get(`/campaigns/${id}/contacts?limit=500`);
    if (page.status !== 200) throw new Error(`contacts: ${page.status}`);
    return page.body.items
      .map((c: Record<string, unknown>) => ({ id: c.id, status: c.status, attempts: c.attempts, calls: c.calls, lastOutcome: c.lastOutcome }))
      .sort((a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id));
  }
});
