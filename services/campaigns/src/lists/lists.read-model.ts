import { Collection, Db } from 'mongodb';
import { ContactListEvent, ListContactsAdded } from '@contracts/lists/events';
import { isDuplicateKey } from '@libs/mongo/mongo';

export interface ContactListDoc {
  _id: string;
  clientId: string;
  name: string;
  createdAt: string;
  contactCount: number;
  /** Stream sequence of the last contact batch counted: a redelivered batch is not counted twice. */
  countedSeq: number;
}

export interface ListContactDoc {
  _id: string;
  listId: string;
  phoneNumber: string;
  name?: string;
  email?: string;
  priority: number;
  timezone?: string;
  customData?: Record<string, unknown>;
  /** Position in the order added: stream sequence of the batch * 1e5 + index in the batch. */
  order: number;
  addedAt: string;
}

/** Lists and their contacts for queries, projected from the LISTS stream in order. */
export class ListsReadModel {
  readonly lists: Collection<ContactListDoc>;
  readonly contacts: Collection<ListContactDoc>;

  constructor(db: Db) {
    this.lists = db.collection<ContactListDoc>('lists');
    this.contacts = db.collection<ListContactDoc>('list_contacts');
  }

  async ensureIndexes(): Promise<void> {
    await this.lists.createIndex({ clientId: 1, createdAt: -1 });
    await this.contacts.createIndex({ listId: 1, order: 1 });
  }

  async apply(event: ContactListEvent | ListContactsAdded, seq: number): Promise<void> {
    switch (event.type) {
      case 'ContactListCreated': {
        const { listId, clientId, name, createdAt } = event.data;
        await this.lists.insertOne({ _id: listId, clientId, name, createdAt, contactCount: 0, countedSeq: 0 }).catch(ignoreDuplicate);
        return;
      }
      case 'ListContactsAdded':
        return this.addBatch(event, seq);
      default: {
        const unknown: never = event;
        return unknown;
      }
    }
  }

  /** Inserts the batch (a contact already there stays as it is) and counts it once. */
  private async addBatch(event: ListContactsAdded, seq: number): Promise<void> {
    const { listId, contacts } = event.data;
    if (contacts.length === 0) return;
    const docs = contacts.map(({ contactId, ...c }, i): ListContactDoc => ({ ...c, _id: contactId, listId, order: seq * 100_000 + i, addedAt: event.occurredAt }));
    await this.contacts.insertMany(docs, { ordered: false }).catch(ignoreDuplicate);
    await this.lists.updateOne({ _id: listId, countedSeq: { $lt: seq } }, { $inc: { contactCount: contacts.length }, $set: { countedSeq: seq } });
  }

  /** A list of another client is not found. */
  get(clientId: string, listId: string): Promise<ContactListDoc | null> {
    return this.lists.findOne({ _id: listId, clientId });
  }

  async list(clientId: string, query: { page: number; limit: number }) {
    const [items, total] = await Promise.all([
      this.lists
        .find({ clientId })
        .sort({ createdAt: -1, _id: 1 })
        .skip((query.page - 1) * query.limit)
        .limit(query.limit)
        .toArray(),
      this.lists.countDocuments({ clientId }),
    ]);
    return { items, total, page: query.page, limit: query.limit };
  }

  async listContacts(listId: string, query: { page: number; limit: number }) {
    const [items, total] = await Promise.all([
      this.contacts
        .find({ listId })
        .sort({ order: 1 })
        .skip((query.page - 1) * query.limit)
        .limit(query.limit)
        .toArray(),
      this.contacts.countDocuments({ listId }),
    ]);
    return { items, total, page: query.page, limit: query.limit };
  }
}

function ignoreDuplicate(e: unknown): void {
  if (!isDuplicateKey(e)) throw e;
}
