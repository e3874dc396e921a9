import { Collection, Db } from 'mongodb';
import { isDuplicateKey } from '@libs/mongo/mongo';
import { ContactStatus, FINAL_CONTACT_STATUSES } from '@contracts/campaigns/settings';
import { CallOutcome } from '@contracts/calls/events';
import { NormalizedContact } from '../contacts/normalize-contacts';

export interface ContactDoc extends Omit<NormalizedContact, 'contactId'> {
  _id: string;
  campaignId: string;
  clientId: string;
  status: ContactStatus;
  /** Position in the order added: stream sequence of the batch * 1e5 + index in the batch. */
  order: number;
  attempts: number;
  lastCallId?: string;
  lastOutcome?: CallOutcome;
  queuedBySeq?: number;
  addedAt: string;
  updatedAt: string;
}

const OPEN_STATUSES: ContactStatus[] = ['pending', 'queued', 'calling'];

/** Contact status per campaign, projected from contact batches and call events. */
export class ContactsReadModel {
  readonly collection: Collection<ContactDoc>;

  constructor(db: Db) {
    this.collection = db.collection<ContactDoc>('contacts');
  }

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ campaignId: 1, status: 1, order: 1 });
    await this.collection.createIndex({ campaignId: 1, order: 1 });
  }

  /** Inserts a batch; a contact already present (replay, duplicate add) is left untouched. */
  async addBatch(campaignId: string, clientId: string, contacts: NormalizedContact[], batchSeq: number, at: string) {
    if (contacts.length === 0) return;
    const known = await this.existingIds(contacts.map((c) => c.contactId));
    const docs: ContactDoc[] = contacts
      .map(({ contactId, ...c }, i) => ({
        ...c,
        _id: contactId,
        campaignId,
        clientId,
        status: 'pending' as ContactStatus,
        order: batchSeq * 100_000 + i,
        attempts: 0,
        addedAt: at,
        updatedAt: at,
      }))
      .filter((d) => !known.has(d._id));
    if (docs.length === 0) return;
    await this.collection.insertMany(docs, { ordered: false }).catch((e) => {
      if (!isDuplicateKey(e)) throw e;
    });
  }

  async existingIds(ids: string[]): Promise<Set<string>> {
    const docs = await this.collection.find({ _id: { $in: ids } }, { projection: { _id: 1 } }).toArray();
    return new Set(docs.map((d) => d._id));
  }

  /** The next pending contacts of a campaign, in dialling order. */
  async pending(campaignId: string, limit: number): Promise<ContactDoc[]> {
    return this.collection.find({ campaignId, status: 'pending' }).sort({ order: 1 }).limit(limit).toArray();
  }

  async pendingIn(ids: string[]): Promise<ContactDoc[]> {
    return this.collection.find({ _id: { $in: ids }, status: 'pending' }).sort({ order: 1 }).toArray();
  }

  /**
   * Marks contacts queued *before* their dial jobs are published, so that no call event can touch a
   * contact while this write runs. `bySeq` (the stream sequence of the message doing it) lets a
   * redelivery of that message find and re-publish what it marked before a crash.
   */
  async markQueued(ids: string[], bySeq: number, at: string): Promise<void> {
    await this.collection.updateMany({ _id: { $in: ids }, status: 'pending' }, { $set: { status: 'queued', queuedBySeq: bySeq, updatedAt: at } });
  }

  /** Contacts not called yet become cancelled (those calling keep their call's outcome). */
  async cancelOpen(campaignId: string, at: string): Promise<void> {
    await this.collection.updateMany({ campaignId, status: { $in: ['pending', 'queued'] } }, { $set: { status: 'cancelled', updatedAt: at } });
  }

  /** Contacts a message marked queued and that no call has touched yet. */
  async queuedBy(campaignId: string, bySeq: number): Promise<ContactDoc[]> {
    return this.collection.find({ campaignId, status: 'queued', queuedBySeq: bySeq }).sort({ order: 1 }).toArray();
  }

  /** Attempt `attempt` started. Order-tolerant: a late request never reopens a finished attempt. */
  async callRequested(contactId: string, callId: string, attempt: number, at: string): Promise<void> {
    await this.collection.updateOne(
      { _id: contactId, $or: [{ attempts: { $lt: attempt } }, { attempts: attempt, status: { $in: ['pending', 'queued'] } }] },
      { $set: { status: 'calling', attempts: attempt, lastCallId: callId, updatedAt: at } },
    );
  }

  /** Attempt `attempt` ended; the contact takes its final status unless a later attempt already ran. */
  async callEnded(contactId: string, callId: string, attempt: number, outcome: CallOutcome, at: string): Promise<void> {
    await this.collection.updateOne(
      { _id: contactId, $or: [{ attempts: { $lt: attempt } }, { attempts: attempt, status: { $in: OPEN_STATUSES } }] },
      { $set: { status: contactStatusOf(outcome), attempts: attempt, lastCallId: callId, lastOutcome: outcome, updatedAt: at } },
    );
  }

  /**
   * Attempt `attempt` was handed back undialled: the contact is queued again for attempt+1 (its job is
   * published by the caller), or cancelled when its campaign is. Returns the contact as it now is.
   */
  async handBack(contactId: string, attempt: number, cancelled: boolean, at: string): Promise<ContactDoc | null> {
    await this.collection.updateOne(
      { _id: contactId, attempts: { $lte: attempt }, status: { $in: OPEN_STATUSES } },
      { $set: { status: cancelled ? 'cancelled' : 'queued', attempts: attempt, updatedAt: at } },
    );
    return this.collection.findOne({ _id: contactId, attempts: attempt });
  }

  async countsByStatus(campaignId: string): Promise<Partial<Record<ContactStatus, number>>> {
    const rows = await this.collection
      .aggregate<{ _id: ContactStatus; n: number }>([{ $match: { campaignId } }, { $group: { _id: '$status', n: { $sum: 1 } } }])
      .toArray();
    return Object.fromEntries(rows.map((r) => [r._id, r.n]));
  }

  async countOpen(campaignId: string): Promise<number> {
    return this.collection.countDocuments({ campaignId, status: { $nin: [...FINAL_CONTACT_STATUSES] } });
  }

  async count(campaignId: string): Promise<number> {
    return this.collection.countDocuments({ campaignId });
  }

  async list(campaignId: string, query: { status?: string; page: number; limit: number }) {
    const filter = { campaignId, ...(query.status ? { status: query.status as ContactStatus } : {}) };
    const [items, total] = await Promise.all([
      this.collection
        .find(filter)
        .sort({ order: 1 })
        .skip((query.page - 1) * query.limit)
        .limit(query.limit)
        .toArray(),
      this.collection.countDocuments(filter),
    ]);
    return { items, total, page: query.page, limit: query.limit };
  }
}

/** Without retries (a later issue), the outcome of the only attempt is final. */
export function contactStatusOf(outcome: CallOutcome): ContactStatus {
  switch (outcome) {
    case 'completed':
      return 'completed';
    case 'voicemail':
      return 'voicemail';
    case 'cancelled':
      return 'cancelled';
    case 'busy':
    case 'no-answer':
    case 'failed':
    case 'timeout':
      return 'failed';
    default: {
      const unknown: never = outcome;
      return unknown;
    }
  }
}
