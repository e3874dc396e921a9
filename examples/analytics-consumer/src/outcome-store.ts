// Per-hour outcome counts in MongoDB, safe against redelivery: one document per call (id = callId), written
// only if absent, and the counts are a $group over those documents. A CallEnded delivered twice, or published
// twice under different message ids, still counts once; no two writes need to agree.
import { Collection, Db, MongoServerError } from 'mongodb';
import { CallOutcome } from '@contracts';
import { EndedCall } from './call-ended';

interface EndedCallDoc extends Omit<EndedCall, 'callId'> {
  _id: string;
}

/** hour -> outcome -> calls */
export type HourlyCounts = Record<string, Partial<Record<CallOutcome, number>>>;

export class OutcomeStore {
  private readonly calls: Collection<EndedCallDoc>;

  constructor(db: Db) {
    this.calls = db.collection<EndedCallDoc>('ended_calls');
  }

  async ensureIndexes(): Promise<void> {
    await this.calls.createIndex({ hour: 1, outcome: 1 });
  }

  /** Records the call's end once; returns false when it was already recorded. */
  async record(call: EndedCall): Promise<boolean> {
    const { callId, ...rest } = call;
    try {
      const result = await this.calls.updateOne({ _id: callId }, { $setOnInsert: rest }, { upsert: true });
      return result.upsertedCount === 1;
    } catch (e) {
      if (e instanceof MongoServerError && e.code === 11000) return false;
      throw e;
    }
  }

  async hourlyCounts(filter: { clientId?: string; fromHour?: string } = {}): Promise<HourlyCounts> {
    const match: Record<string, unknown> = {};
    if (filter.clientId) match.clientId = filter.clientId;
    if (filter.fromHour) match.hour = { $gte: filter.fromHour };
    const rows = await this.calls
      .aggregate<{ _id: { hour: string; outcome: CallOutcome }; calls: number }>([
        { $match: match },
        { $group: { _id: { hour: '$hour', outcome: '$outcome' }, calls: { $sum: 1 } } },
      ])
      .toArray();
    const counts: HourlyCounts = {};
    for (const { _id, calls } of rows) (counts[_id.hour] ??= {})[_id.outcome] = calls;
    return counts;
  }
}
