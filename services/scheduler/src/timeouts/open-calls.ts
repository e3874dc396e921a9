import { Collection, Db } from 'mongodb';
import { CallRequested } from '@contracts/calls/events';

export interface OpenCallDoc {
  _id: string;
  requestedAt: Date;
  call: CallRequested;
}

/** Calls requested and not yet ended, owned by the scheduler to find the ones that time out. */
export class OpenCalls {
  readonly collection: Collection<OpenCallDoc>;

  constructor(db: Db) {
    this.collection = db.collection<OpenCallDoc>('scheduler_open_calls');
  }

  async ensureIndexes() {
    await this.collection.createIndex({ requestedAt: 1 });
  }

  async opened(call: CallRequested) {
    await this.collection.updateOne(
      { _id: call.data.callId },
      { $setOnInsert: { requestedAt: new Date(call.data.requestedAt), call } },
      { upsert: true },
    );
  }

  async closed(callId: string) {
    await this.collection.deleteOne({ _id: callId });
  }

  overdue(before: Date, limit = 500) {
    return this.collection.find({ requestedAt: { $lt: before } }).sort({ requestedAt: 1 }).limit(limit).toArray();
  }
}
