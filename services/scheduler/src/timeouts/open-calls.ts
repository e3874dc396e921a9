import { AnyBulkWriteOperation, Collection, Db } from 'mongodb';
import { CallEnded, CallRequested } from '@contracts/calls/events';

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

  async closed(callId: string) {
    await this.collection.deleteOne({ _id: callId });
  }

  /**
   * Call events in stream order, written in one round trip: per call only its last event counts
   * (requested then ended leaves nothing; a redelivered request after its end opens it again, as one
   * by one would).
   */
  async applyAll(events: (CallRequested | CallEnded)[]) {
    const last = new Map<string, CallRequested | CallEnded>();
    for (const event of events) last.set(event.data.callId, event);
    if (last.size === 0) return;
    const writes: AnyBulkWriteOperation<OpenCallDoc>[] = [...last].map(([_id, event]) =>
      event.type === 'CallRequested' ? { updateOne: { filter: { _id }, update: openOf(event), upsert: true } } : { deleteOne: { filter: { _id } } },
    );
    await this.collection.bulkWrite(writes, { ordered: false });
  }

  overdue(before: Date, limit = 500) {
    return this.collection.find({ requestedAt: { $lt: before } }).sort({ requestedAt: 1 }).limit(limit).toArray();
  }
}

const openOf = (call: CallRequested) => ({ $setOnInsert: { requestedAt: new Date(call.data.requestedAt), call } });
