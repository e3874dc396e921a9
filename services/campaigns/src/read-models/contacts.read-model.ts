import { Collection, Db } from 'mongodb';
import { isDuplicateKey } from '@libs/mongo/mongo';
import { ContactStatus, FINAL_CONTACT_STATUSES } from '@contracts/campaigns/settings';
import { CallOutcome } from '@contracts/calls/events';
import { contactIdOfCall } from '@contracts/dialing/dial-job';
import { NormalizedContact } from '../contacts/normalize-contacts';
import { AfterCall } from '../contacts/retry-policy';

export interface ContactDoc extends Omit<NormalizedContact, 'contactId'> {
  _id: string;
  campaignId: string;
  clientId: string;
  status: ContactStatus;
  /** Position in the order added: stream sequence of the batch * 1e5 + index in the batch. */
  order: number;
  /** Attempts claimed by a dialer, including any handed back undialled; numbers the call ids. */
  attempts: number;
  /** Calls placed since the attempt budget was last granted (at creation or by a retry request). */
  calls: number;
  lastCallId?: string;
  lastOutcome?: CallOutcome;
  retryAt?: string;
  /** Stream sequence of the last retry request that gave this contact a fresh budget. */
  retriedBySeq?: number;
  /** Why a `skipped` contact was not called (`dnc`: on the client's do-not-call list). */
  skipReason?: string;
  addedAt: string;
  updatedAt: string;
}

const OPEN_STATUSES: ContactStatus[] = ['pending', 'queued', 'calling'];

export type DialOrder = 'fifo' | 'priority';
const SORT_BY: Record<DialOrder, Record<string, 1 | -1>> = { fifo: { order: 1 }, priority: { priority: -1, order: 1 } };

/** Contact status per campaign, projected from contact batches and call events. */
export class ContactsReadModel {
  readonly collection: Collection<ContactDoc>;

  constructor(db: Db) {
    this.collection = db.collection<ContactDoc>('contacts');
  }

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ campaignId: 1, status: 1, order: 1 });
    await this.collection.createIndex({ campaignId: 1, status: 1, priority: -1, order: 1 });
    await this.collection.createIndex({ campaignId: 1, order: 1 });
  }

  /** Inserts a batch; a contact already present (replay, duplicate add) is left untouched. */
  async addBatch(campaignId: string, clientId: string, contacts: NormalizedContact[], batchSeq: number, at: string) {
    if (contacts.length === 0) return;
    // No lookup of existing ids first: FerretDB scans the collection for `_id $in`; the unique _id drops repeats.
    const docs: ContactDoc[] = contacts
      .map(({ contactId, ...c }, i) => ({
        ...c,
        _id: contactId,
        campaignId,
        clientId,
        status: 'pending' as ContactStatus,
        order: batchSeq * 100_000 + i,
        attempts: 0,
        calls: 0,
        addedAt: at,
        updatedAt: at,
      }));
    await this.collection.insertMany(docs, { ordered: false }).catch((e) => {
      if (!isDuplicateKey(e)) throw e;
    });
  }

  async existingIds(ids: string[]): Promise<Set<string>> {
    const docs = await this.collection.find({ _id: { $in: ids } }, { projection: { _id: 1 } }).toArray();
    return new Set(docs.map((d) => d._id));
  }

  /**
   * The next contacts to dial, in dialling order. `timezones` (when the campaign has a call window)
   * limits them to contacts whose window is open; `null` stands for contacts without a time zone.
   */
  async nextToDial(campaignId: string, order: DialOrder, limit: number, timezones?: (string | null)[]): Promise<ContactDoc[]> {
    const filter = { campaignId, status: 'pending' as ContactStatus, ...(timezones ? { timezone: { $in: timezones as string[] } } : {}) };
    return this.collection.find(filter).sort(SORT_BY[order]).limit(limit).toArray();
  }

  /** How many contacts wait to be dialled per time zone (`null`: none given). */
  async pendingByTimezone(campaignId: string): Promise<{ timezone: string | null; n: number }[]> {
    const rows = await this.collection
      .aggregate<{ _id: string | null; n: number }>([{ $match: { campaignId, status: 'pending' } }, { $group: { _id: '$timezone', n: { $sum: 1 } } }])
      .toArray();
    return rows.map((r) => ({ timezone: r._id ?? null, n: r.n }));
  }

  /**
   * Marks contacts queued *before* their dial jobs are published, so that no call event can touch a
   * contact while this write runs. Returns the contacts this call marked: not those another feed won,
   * nor those that moved on since they were read (a stale read would number the attempt wrongly). One update per contact: an `_id` match is the one query every MongoDB-wire server indexes.
   */
  async markQueued(contacts: ContactDoc[], at: string): Promise<ContactDoc[]> {
    const marked = await Promise.all(
      contacts.map(async (c) => {
        const result = await this.collection.updateOne({ _id: c._id, status: 'pending', attempts: c.attempts }, { $set: { status: 'queued', updatedAt: at } });
        return result.modifiedCount > 0 ? { ...c, status: 'queued' as ContactStatus, updatedAt: at } : undefined;
      }),
    );
    return marked.filter((c): c is ContactDoc => c !== undefined);
  }

  /** Contacts queued before `before` that no dialler has claimed yet: their jobs may have been lost with a crashed feed. */
  async queuedSince(campaignId: string, before: string): Promise<ContactDoc[]> {
    return this.collection.find({ campaignId, status: 'queued', updatedAt: { $lt: before } }).sort({ order: 1 }).toArray();
  }

  async countQueued(campaignId: string): Promise<number> {
    return this.collection.countDocuments({ campaignId, status: 'queued' });
  }

  /** Contacts not called yet become cancelled (those calling keep their call's outcome). */
  async cancelOpen(campaignId: string, at: string): Promise<void> {
    await this.collection.updateMany(
      { campaignId, status: { $in: ['pending', 'queued', 'retry_scheduled'] } },
      { $set: { status: 'cancelled', updatedAt: at }, $unset: { retryAt: '' } },
    );
  }

  /**
   * Attempt `attempt` started. Order-tolerant: a late request never reopens a finished attempt. Returns
   * the calls the contact had made before it (what its end is counted from), or undefined when nothing
   * applied (a stale request, or a contact not projected yet).
   */
  async callRequested(contactId: string, callId: string, attempt: number, at: string): Promise<number | undefined> {
    const contact = await this.collection.findOneAndUpdate(
      { _id: contactId, $or: [{ attempts: { $lt: attempt } }, { attempts: attempt, status: { $in: ['pending', 'queued'] } }] },
      { $set: { status: 'calling', attempts: attempt, lastCallId: callId, updatedAt: at } },
      // No projection: FerretDB does not take one with findAndModify.
    );
    return contact?.calls;
  }

  async exists(contactId: string): Promise<boolean> {
    return (await this.collection.countDocuments({ _id: contactId }, { limit: 1 })) > 0;
  }

  /**
   * Attempt `attempt` ended with a call placed; `next` is the status it leaves (a final one, or a
   * retry at `retryAt`). Applies once: a redelivery finds the attempt no longer open. Returns whether it applied.
   */
  async callEnded(contactId: string, callId: string, attempt: number, outcome: CallOutcome, next: AfterCall, at: string): Promise<boolean> {
    const retryAt = next.status === 'retry_scheduled' ? { retryAt: next.retryAt } : {};
    const result = await this.collection.updateOne(
      { _id: contactId, $or: [{ attempts: { $lt: attempt } }, { attempts: attempt, status: { $in: OPEN_STATUSES } }] },
      {
        $set: { status: next.status, attempts: attempt, lastCallId: callId, lastOutcome: outcome, updatedAt: at, ...retryAt },
        $inc: { calls: 1 },
        ...(next.status === 'retry_scheduled' ? {} : { $unset: { retryAt: '' } }),
      },
    );
    return result.modifiedCount > 0;
  }

  async get(contactId: string): Promise<ContactDoc | null> {
    return this.collection.findOne({ _id: contactId });
  }

  /**
   * Attempt `attempt` was handed back undialled: the contact waits to be fed again (or is cancelled
   * with its campaign). Its attempt budget is untouched.
   */
  async handBack(contactId: string, attempt: number, cancelled: boolean, at: string): Promise<void> {
    await this.collection.updateOne(
      { _id: contactId, attempts: { $lte: attempt }, status: { $in: OPEN_STATUSES } },
      { $set: { status: cancelled ? 'cancelled' : 'pending', attempts: attempt, updatedAt: at } },
    );
  }

  /**
   * Attempt `attempt` was taken from the queue but not dialled, for good (the number is on the
   * do-not-call list): the contact ends `skipped`. A contact already called for it is left alone.
   */
  async markSkipped(contactId: string, attempt: number, reason: string, at: string): Promise<void> {
    await this.collection.updateOne(
      { _id: contactId, attempts: { $lt: attempt }, status: { $in: ['pending', 'queued'] } },
      { $set: { status: 'skipped', skipReason: reason, attempts: attempt, updatedAt: at } },
    );
  }

  /**
   * The retries that followed these calls fell due: their contacts wait to be fed again. A contact
   * whose latest call is another one (a stale or repeated release) is left alone.
   */
  async releaseRetries(campaignId: string, callIds: string[], at: string): Promise<number> {
    const result = await this.collection.updateMany(
      { _id: { $in: callIds.map(contactIdOfCall) }, campaignId, status: 'retry_scheduled', lastCallId: { $in: callIds } },
      { $set: { status: 'pending', updatedAt: at }, $unset: { retryAt: '' } },
    );
    return result.modifiedCount;
  }

  /** Contacts that ended in one of `statuses` are dialled again with a fresh budget (once per retry request `bySeq`). */
  async retryEnded(campaignId: string, statuses: ContactStatus[], bySeq: number, at: string): Promise<void> {
    await this.collection.updateMany(
      { campaignId, status: { $in: statuses }, retriedBySeq: { $ne: bySeq } },
      { $set: { status: 'pending', calls: 0, retriedBySeq: bySeq, updatedAt: at } },
    );
  }

  async countIn(campaignId: string, statuses: ContactStatus[]): Promise<number> {
    return this.collection.countDocuments({ campaignId, status: { $in: statuses } });
  }

  async countsByStatus(campaignId: string): Promise<Partial<Record<ContactStatus, number>>> {
    const rows = await this.collection
      .aggregate<{ _id: ContactStatus; n: number }>([{ $match: { campaignId } }, { $group: { _id: '$status', n: { $sum: 1 } } }])
      .toArray();
    return Object.fromEntries(rows.map((r) => [r._id, r.n]));
  }

  /** Whether a contact of the campaign is not final yet. Stops at the first one: a count reads them all. */
  async hasOpen(campaignId: string): Promise<boolean> {
    const open = await this.collection.findOne({ campaignId, status: { $nin: [...FINAL_CONTACT_STATUSES] } }, { projection: { _id: 1 } });
    return open !== null;
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
