import { Stack } from '@libs/testing/stack';
import { startTestStack } from '@libs/testing/test-stack';
import { waitFor } from '@libs/testing/wait-for';
import { SimulatorClient } from '../../tools/plivo-simulator/src/client';
import { csvText, newUploader, Uploader, usNumber } from './contacts-upload.helpers';

/**
 * Reusable contact lists, every service as its own process: create, page, fill from JSON and CSV with
 * duplicates skipped; a client sees only its own lists; a campaign created with `listId` takes the
 * list's contacts and calls each of them once (judged by the simulator's record).
 */
describe('contact lists', () => {
  let stack: Stack;
  let owner: Uploader;
  let stranger: Uploader;

  beforeAll(async () => {
    // Chunks of 20 rows: a list filled by one upload of 60 rows has three batches to copy into a campaign.
    stack = await startTestStack({ env: { IMPORT_CHUNK_ROWS: '20' }, simulatorEnv: { SIM_RING_MS: '20-50', SIM_TALK_MS: '50-150' } });
    [owner, stranger] = await Promise.all([newUploader(stack, 'Owner'), newUploader(stack, 'Stranger')]);
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  const campaignBody = (listId?: string) => ({ name: 'From a list', fromNumber: '+14155550100', wssUrl: 'wss://bot.example.com/s', ...(listId ? { listId } : {}), settings: { concurrentCallsLimit: 5 } });

  it('creates, reads and pages lists; another client sees none of them', async () => {
    const created = await owner.api.post('/lists', { name: 'Renewals' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.any(String), name: 'Renewals', createdAt: expect.any(String), contactCount: 0 });
    const id = created.body.id;
    expect((await owner.api.get(`/lists/${id}`)).body).toMatchObject({ id, name: 'Renewals' });
    await owner.api.post('/lists', { name: 'Second' });
    await owner.api.post('/lists', { name: 'Third' });

    const page = await waitFor(async () => {
      const p = await owner.api.get('/lists?limit=2&page=1');
      return p.body.total === 3 ? p.body : undefined;
    }, { description: 'three lists in the read model' });
    expect(page.items).toHaveLength(2);
    expect((await owner.api.get('/lists?limit=2&page=2')).body.items).toHaveLength(1);

    expect((await stranger.api.get(`/lists/${id}`)).status).toBe(404);
    expect((await stranger.api.get('/lists')).body).toMatchObject({ items: [], total: 0 });
    expect((await stranger.api.post(`/lists/${id}/contacts`, { contacts: [{ phoneNumber: usNumber(1) }] })).status).toBe(404);
    expect((await stranger.csv(`/lists/${id}/contacts`, csvText('phoneNumber', [usNumber(1)]))).status).toBe(404);
    expect((await owner.api.get('/lists/not-a-list')).status).toBe(404);
    expect((await owner.api.post('/lists', { name: '' })).status).toBe(400);
  }, 60_000);

  it('fills a list from JSON and CSV, skipping numbers it already has', async () => {
    const id = (await owner.api.post('/lists', { name: 'Fill' })).body.id;
    const json = await owner.api.post(`/lists/${id}/contacts`, { contacts: [{ phoneNumber: usNumber(1), name: 'Ann' }, { phoneNumber: '12' }, { phoneNumber: usNumber(2) }] });
    expect(json.body).toEqual({ accepted: 2, duplicates: 0, rejectedCount: 1, rejected: [{ row: 2, phoneNumber: '12', reason: expect.any(String) }] });
    const csv = await owner.multipart(`/lists/${id}/contacts`, csvText('phoneNumber,name,plan', [`${usNumber(2)},Bo,gold`, `${usNumber(3)},Cy,silver`, `${usNumber(3)},Cy,silver`]));
    expect(csv.body).toEqual({ accepted: 1, duplicates: 2, rejectedCount: 0, rejected: [] });

    const list = await waitFor(async () => {
      const l = await owner.api.get(`/lists/${id}`);
      return l.body.contactCount === 3 ? l.body : undefined;
    }, { description: 'the list to count 3 contacts' });
    expect(list.name).toBe('Fill');
    const contacts = (await owner.api.get(`/lists/${id}/contacts`)).body;
    expect(contacts.items.map((c: { phoneNumber: string; name: string }) => [c.phoneNumber, c.name])).toEqual([
      [usNumber(1), 'Ann'],
      [usNumber(2), undefined],
      [usNumber(3), 'Cy'],
    ]);
    expect(contacts.items[2].customData).toEqual({ plan: 'silver' });
  }, 60_000);

  it('refuses a campaign with an unknown or foreign listId (404), and takes the list of its own client', async () => {
    const listId = (await owner.api.post('/lists', { name: 'Campaign source' })).body.id;
    const numbers = Array.from({ length: 60 }, (_, i) => usNumber(10_000 + i));
    const added = await owner.csv(`/lists/${listId}/contacts`, csvText('phoneNumber,name', numbers.map((n, i) => `${n},Contact ${i}`)));
    expect(added.body).toMatchObject({ accepted: 60, duplicates: 0 });

    expect((await stranger.api.post('/campaigns', campaignBody(listId))).status).toBe(404);
    expect((await owner.api.post('/campaigns', campaignBody('00000000-0000-4000-8000-000000000000'))).status).toBe(404);
    expect((await owner.api.post('/campaigns', campaignBody('no-such-list'))).status).toBe(404);

    const created = await owner.api.post('/campaigns', campaignBody(listId));
    expect(created.status).toBe(201);
    expect(created.body.listId).toBe(listId);
    const id = created.body.id;
    // A number the campaign has from its list is a duplicate when added directly.
    const direct = await owner.api.post(`/campaigns/${id}/contacts`, { contacts: [{ phoneNumber: numbers[0] }, { phoneNumber: usNumber(20_000) }] });
    expect(direct.body).toMatchObject({ accepted: 1, duplicates: 1 });

    await waitFor(async () => (await owner.api.get(`/campaigns/${id}/contacts?limit=1`)).body.total === 61, {
      timeoutMs: 30_000,
      description: 'the campaign to have the list contacts and the direct one',
    });
    expect((await owner.api.post(`/campaigns/${id}/start`)).status).toBe(200);
    let progress: unknown;
    await waitFor(async () => {
      progress = (await owner.api.get(`/campaigns/${id}/progress`)).body;
      return (progress as { campaign: { status: string } }).campaign.status === 'completed';
    }, {
      timeoutMs: 120_000,
      intervalMs: 500,
      description: 'the campaign to complete',
    }).catch((e) => {
      throw new Error(`${(e as Error).message}; progress: ${JSON.stringify(progress)}`);
    });
    const record = await new SimulatorClient(stack.simulatorUrl!).calls({ answerUrlContains: id });
    const called = record.map((c) => c.request.to);
    expect(called).toHaveLength(61);
    expect(new Set(called)).toEqual(new Set([...numbers, usNumber(20_000)]));
  }, 240_000);

  it('answers bad keys 401, a client key on an admin route 403, bad campaign input and queries 400 naming the field, and another client\'s campaign 404', async () => {
    expect((await owner.api.withKey('').get('/lists')).status).toBe(401);
    expect((await owner.api.withKey('not-a-key').get('/lists')).status).toBe(401);
    expect((await owner.api.withKey('not-a-key').get('/clients/any')).status).toBe(401);
    const notAdmin = await owner.api.post('/clients', { name: 'x' });
    expect(notAdmin).toMatchObject({ status: 403, body: { message: expect.stringContaining('admin API key') } });

    const refused = async (body: object, field: string) => {
      const answer = await owner.api.post('/campaigns', { ...campaignBody(), ...body });
      expect(answer.status).toBe(400);
      expect(JSON.stringify(answer.body)).toContain(field);
    };
    // Arrays where one object belongs: taken before, and a callWindow array then stopped the campaign's feeding.
    await refused({ settings: [{ concurrentCallsLimit: 5 }] }, 'settings must be an object');
    await refused({ settings: { callWindow: [] } }, 'callWindow must be an object');
    await refused({ settings: { callWindow: [{ start: '09:00', end: '17:00', timezone: 'UTC' }] } }, 'callWindow must be an object');

    const id = (await owner.api.post('/campaigns', campaignBody())).body.id as string;
    await waitFor(async () => (await owner.api.get(`/campaigns/${id}`)).status === 200, { description: 'the campaign to be readable' });
    const badQueries: [string, string][] = [
      ['/campaigns?status=bogus', 'status must be one of'],
      ['/campaigns?status=deleted', 'status must be one of'],
      [`/campaigns/${id}/contacts?status=bogus`, 'status must be one of'],
      ['/campaigns?page=1e20', 'page must not be greater than'],
      ['/lists?page=100001', 'page must not be greater than'],
      [`/campaigns/${id}/calls?page=0`, 'page must not be less than'],
    ];
    for (const [path, message] of badQueries) {
      const answer = await owner.api.get(path);
      expect({ path, status: answer.status, body: JSON.stringify(answer.body) }).toMatchObject({ path, status: 400, body: expect.stringContaining(message) });
    }
    expect((await owner.api.get('/campaigns?status=draft')).body.items.map((c: { id: string }) => c.id)).toContain(id);
    expect((await owner.api.get(`/campaigns/${id}/contacts?status=pending`)).status).toBe(200);
    // Live calls of one campaign: only of one's own.
    expect((await owner.api.get(`/calls/active?campaignId=${id}`)).status).toBe(200);
    expect((await stranger.api.get(`/calls/active?campaignId=${id}`)).status).toBe(404);
    expect((await owner.api.get('/calls/active?campaignId=00000000-0000-4000-8000-000000000000')).status).toBe(404);
  }, 60_000);
});
