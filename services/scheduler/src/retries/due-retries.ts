import { Collection, Db } from 'mongodb';
import { ContactRetryScheduled } from '@contracts/campaigns/events';

export interface DueRetryDoc {
  /** The call whose outcome led to the retry: one retry per call. */
  _id: string;
  campaignId: string;
  contactId: string;
  retryAt: string;
}

/** Retries waiting for their time, projected from `campaign.<id>.retries`; removed once released. */
export class DueRetries {
  readonly collection: Collection<DueRetryDoc>;

  constructor(db: Db) {
    this.collection = db.collection<DueRetryDoc>('scheduler_due_retries');
  }

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ retryAt: 1 });
  }

  async add(event: ContactRetryScheduled): Promise<void> {
    const { callId, campaignId, contactId, retryAt } = event.data;
    await this.collection.updateOne({ _id: callId }, { $setOnInsert: { campaignId, contactId, retryAt } }, { upsert: true });
  }

  async dueBefore(time: Date, limit: number): Promise<DueRetryDoc[]> {
    return this.collection.find({ retryAt: { $lte: time.toISOString() } }).sort({ retryAt: 1 }).limit(limit).toArray();
  }

  async remove(ids: string[]): Promise<void> {
    await this.collection.deleteMany({ _id: { $in: ids } });
  }
}
