import { MongoClient } from 'mongodb';
import { testMongoUrl, uniqueName } from '@libs/testing/test-env';
import { ContactDoc, ContactsReadModel } from './contacts.read-model';

const ADDED_AT = '2026-11-21T10:00:00.000Z';

describe('ContactsReadModel (real MongoDB-wire server)', () => {
  let mongo: MongoClient;
  let contacts: ContactsReadModel;

  beforeAll(async () => {
    mongo = await new MongoClient(testMongoUrl()).connect();
  });
  afterAll(async () => mongo?.close());
  beforeEach(async () => {
    contacts = new ContactsReadModel(mongo.db(uniqueName('contacts')));
    const phones = Array.from({ length: 40 }, (_, i) => ({ contactId: `k${i}`, phoneNumber: `+1415555${String(i).padStart(4, '0')}`, priority: 0 }));
    await contacts.addBatch('c1', 'cl', phones, 1, ADDED_AT);
  });

  const read = (ids: string[]): Promise<ContactDoc[]> => contacts.collection.find({ _id: { $in: ids } }).sort({ order: 1 }).toArray();
  const statusOf = async (id: string) => (await contacts.get(id))!.status;

  it('marks every contact read as pending', async () => {
    const batch = await read(['k0', 'k1', 'k2']);
    const marked = await contacts.markQueued(batch, '2026-11-21T10:00:01.000Z');
    expect(marked.map((c) => [c._id, c.status])).toEqual([['k0', 'queued'], ['k1', 'queued'], ['k2', 'queued']]);
    expect(await Promise.all(['k0', 'k1', 'k2'].map(statusOf))).toEqual(['queued', 'queued', 'queued']);
  });

  it('returns only the contacts it marked: not one another feed took, nor one that moved on since it was read', async () => {
    const batch = await read(['k0', 'k1', 'k2', 'k3']);
    await contacts.markQueued([batch[1]], '2026-11-21T10:00:01.000Z'); // another feed
    await contacts.collection.updateOne({ _id: 'k3' }, { $set: { attempts: 1 } }); // called meanwhile: the read is stale
    const marked = await contacts.markQueued(batch, '2026-11-21T10:00:02.000Z');
    expect(marked.map((c) => c._id)).toEqual(['k0', 'k2']);
    expect(await statusOf('k3')).toBe('pending');
  });

  it('gives each contact to one of two feeds marking overlapping contacts at once', async () => {
    const all = await read(Array.from({ length: 40 }, (_, i) => `k${i}`));
    const [a, b] = await Promise.all([
      contacts.markQueued(all.slice(0, 30), '2026-11-21T10:00:01.000Z'),
      contacts.markQueued(all.slice(10), '2026-11-21T10:00:01.001Z'),
    ]);
    const ids = [...a, ...b].map((c) => c._id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(all.map((c) => c._id).sort());
  });

  it('applies the call events of many contacts at once, each exactly once, and never a stale one', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `k${i}`);
    await contacts.collection.updateOne({ _id: 'k11' }, { $set: { attempts: 2, status: 'completed' } }); // already past attempt 1
    const requested = await Promise.all(ids.map((id) => contacts.callRequested(id, `${id}-a1`, 1, ADDED_AT)));
    expect(requested).toEqual([...Array(11).fill(0), undefined]); // the calls made before: none; k11's request is stale
    expect(await Promise.all(ids.map(statusOf))).toEqual([...Array(11).fill('calling'), 'completed']);

    const ended = () => Promise.all(ids.slice(0, 11).map((id) => contacts.callEnded(id, `${id}-a1`, 1, 'completed', { status: 'completed' }, ADDED_AT)));
    expect(await ended()).toEqual(Array(11).fill(true));
    // Redelivered: nothing applies twice.
    expect(await ended()).toEqual(Array(11).fill(false));
    const docs = await read(ids.slice(0, 11));
    expect(docs.map((d) => [d.status, d.calls])).toEqual(Array(11).fill(['completed', 1]));
  });
});
