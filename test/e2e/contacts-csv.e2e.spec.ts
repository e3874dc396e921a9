import { Stack } from '@libs/testing/stack';
import { startTestStack } from '@libs/testing/test-stack';
import { csvText, newUploader, streamedBody, Uploader, usNumber } from './contacts-upload.helpers';

const MAX_UPLOAD_BYTES = 200 * 1024;
const LISTED_REJECTIONS = 5;

/**
 * Contacts as CSV, every service as its own process: a text/csv body and a multipart file, streamed
 * and sent on in chunks of 500 rows; bad rows named by line, duplicates skipped across chunks and
 * uploads, the answer's rejection list bounded, and oversized or unusable uploads refused.
 */
describe('contacts as CSV', () => {
  let stack: Stack;
  let client: Uploader;

  beforeAll(async () => {
    stack = await startTestStack({ env: { MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES), LISTED_REJECTIONS: String(LISTED_REJECTIONS) } });
    client = await newUploader(stack);
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  const newCampaign = async () =>
    (await client.api.post('/campaigns', { name: 'CSV', fromNumber: '+14155550100', wssUrl: 'wss://bot.example.com/s' })).body.id as string;
  const contactsOf = async (id: string) => {
    const page = await client.api.get(`/campaigns/${id}/contacts?limit=500`);
    return page.body as { items: Record<string, any>[]; total: number };
  };

  it('imports a CSV body: known columns, the rest as customData, bad rows by line number', async () => {
    const id = await newCampaign();
    const text =
      'phoneNumber,Name,email,priority,timezone,plan\n' +
      '+1 (415) 555-2671,Ann,ann@example.com,5,America/Los_Angeles,gold\n' + // line 2
      '12,Bad,,,,\n' + // line 3: not a number
      '\n' + // line 4: empty, skipped
      '+442079460958,"Smith, Bo",not-an-email,,,silver\n' + // line 5: bad email
      '+442079460959,"Quoted ""Cy""",,x,,\n' + // line 6: bad priority
      '+442079460960,Di,,,,bronze,extra\n' + // line 7: too many fields
      '+14155552671,Ann again,,,,\n' + // line 8: duplicate of line 2
      '442079460961,Ed\n'; // line 9: no plus, fewer fields
    const res = await client.csv(`/campaigns/${id}/contacts`, text);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      accepted: 2,
      duplicates: 1,
      rejectedCount: 4,
      rejected: [
        { row: 3, phoneNumber: '12', reason: expect.stringMatching(/not a valid phone number/) },
        { row: 5, phoneNumber: '+442079460958', reason: 'email is not a valid address' },
        { row: 6, phoneNumber: '+442079460959', reason: 'priority must be an integer' },
        { row: 7, phoneNumber: '+442079460960', reason: 'row has 1 more field(s) than the header has columns' },
      ],
    });
    const { items } = await waitForContacts(id, 2);
    expect(items.map((c) => [c.phoneNumber, c.name, c.customData])).toEqual([
      ['+14155552671', 'Ann', { plan: 'gold' }],
      ['+442079460961', 'Ed', undefined],
    ]);
    expect(items[0]).toMatchObject({ email: 'ann@example.com', priority: 5, timezone: 'America/Los_Angeles', status: 'pending' });
  }, 60_000);

  it('skips duplicates across chunks of one upload and across uploads, and bounds the rejection list', async () => {
    const id = await newCampaign();
    // 1,300 rows: 700 numbers, then the first 600 again (chunks of 500, so most repeats are in later chunks).
    const numbers = Array.from({ length: 700 }, (_, i) => usNumber(i));
    const first = await client.csv(`/campaigns/${id}/contacts`, csvText('phoneNumber,name', [...numbers, ...numbers.slice(0, 600)].map((n, i) => `${n},row ${i}`)));
    expect(first.body).toEqual({ accepted: 700, duplicates: 600, rejectedCount: 0, rejected: [] });

    // A multipart upload: 50 known numbers, 50 new ones, 20 bad rows; only 5 rejections are listed.
    const rows = [...numbers.slice(650), ...Array.from({ length: 50 }, (_, i) => usNumber(1000 + i)), ...Array.from({ length: 20 }, () => 'nope')];
    const second = await client.multipart(`/campaigns/${id}/contacts`, csvText('phoneNumber', rows));
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ accepted: 50, duplicates: 50, rejectedCount: 20 });
    expect(second.body.rejected.map((r: { row: number }) => r.row)).toEqual([102, 103, 104, 105, 106]);

    const again = await client.api.post(`/campaigns/${id}/contacts`, { contacts: [{ phoneNumber: numbers[0] }, { phoneNumber: usNumber(5000) }] });
    expect(again.body).toEqual({ accepted: 1, duplicates: 1, rejectedCount: 0, rejected: [] });
    expect((await waitForContacts(id, 751)).total).toBe(751);
  }, 120_000);

  it('refuses uploads it cannot use, with a clear status and message', async () => {
    const id = await newCampaign();
    const noPhone = await client.csv(`/campaigns/${id}/contacts`, 'phone,name\n+14155552671,Ann\n');
    expect(noPhone).toMatchObject({ status: 400, body: { message: expect.stringMatching(/must have a phoneNumber column/) } });
    expect((await client.csv(`/campaigns/${id}/contacts`, '')).status).toBe(400);
    const broken = await client.csv(`/campaigns/${id}/contacts`, 'phoneNumber,name\n+14155552671,"Ann"x\n');
    expect(broken).toMatchObject({ status: 400, body: { message: expect.stringMatching(/malformed CSV at line 2/) } });
    const noFile = await client.multipart(`/campaigns/${id}/contacts`, csvText('phoneNumber', [usNumber(1)]), 'upload');
    expect(noFile).toMatchObject({ status: 400, body: { message: expect.stringMatching(/field named "file"/) } });
    const xml = await client.send('POST', `/campaigns/${id}/contacts`, '<contacts/>', { 'content-type': 'application/xml' });
    expect(xml.status).toBe(415);
    const unknown = await client.csv('/campaigns/00000000-0000-4000-8000-000000000000/contacts', csvText('phoneNumber', [usNumber(1)]));
    expect(unknown.status).toBe(404);
    expect((await contactsOf(id)).total).toBe(0);
  }, 60_000);

  it('answers 413 for an upload over MAX_UPLOAD_BYTES, declared or streamed, and keeps serving', async () => {
    const id = await newCampaign();
    const rows = Array.from({ length: 12_000 }, (_, i) => `${usNumber(i)},someone with a longish name ${i}`);
    const text = csvText('phoneNumber,name', rows);
    expect(Buffer.byteLength(text)).toBeGreaterThan(MAX_UPLOAD_BYTES * 2);

    const declared = await client.csv(`/campaigns/${id}/contacts`, text);
    expect(declared.status).toBe(413);
    expect(declared.body.message).toMatch(/larger than the limit of 204800 bytes \(MAX_UPLOAD_BYTES\)/);
    expect((await contactsOf(id)).total).toBe(0);

    // Without Content-Length the limit is found while reading: what came before it stays imported, and the answer says so.
    const streamed = await client.send('POST', `/campaigns/${id}/contacts`, streamedBody(text), { 'content-type': 'text/csv' });
    expect(streamed.status).toBe(413);
    expect(streamed.body.message).toMatch(/MAX_UPLOAD_BYTES.*rows up to \d+ were handled/);
    const { accepted, lastRow } = streamed.body.details;
    expect(accepted).toBeGreaterThan(0);
    expect(lastRow).toBe(accepted + 1);
    expect((await waitForContacts(id, accepted)).total).toBe(accepted);

    expect((await client.api.get(`/campaigns/${id}`)).status).toBe(200);
  }, 60_000);

  async function waitForContacts(id: string, count: number) {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const page = await contactsOf(id);
      if (page.total >= count || Date.now() > deadline) return page;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
});
