import { Collection, Db } from 'mongodb';
import { CallEvent, CallOutcome } from '@contracts/calls/events';
import { isDuplicateKey } from '@libs/mongo/mongo';

export type CallStatus =
  | 'queued'
  | 'initiated'
  | 'ringing'
  | 'in-progress'
  | 'completed'
  | 'voicemail'
  | 'busy'
  | 'no-answer'
  | 'failed'
  | 'timeout'
  | 'cancelled';

export interface CallDoc {
  _id: string;
  callUuid?: string;
  requestUuid?: string;
  campaignId: string;
  contactId: string;
  clientId?: string;
  attempt: number;
  from?: string;
  to?: string;
  requestedAt?: string;
  initiatedAt?: string;
  ringingAt?: string;
  answeredAt?: string;
  endedAt?: string;
  outcome?: CallOutcome;
  duration?: number;
  billDuration?: number;
  hangupCause?: string;
  hangupCauseCode?: string;
  machineDetected?: boolean;
  failureReason?: string;
  warmupAttempts?: number;
  warmupDurationMs?: number;
}

/**
 * One document per call attempt, projected from the CALLS stream. Each event kind sets fields only it
 * writes, in one upsert, so applying events twice or in any order gives the same document; the status
 * is derived from the furthest stage present, so a late `ringing` never hides a final outcome.
 */
export class CallsReadModel {
  readonly collection: Collection<CallDoc>;

  constructor(db: Db) {
    this.collection = db.collection<CallDoc>('calls');
  }

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ campaignId: 1, requestedAt: 1 });
    await this.collection.createIndex({ clientId: 1, requestedAt: -1 });
    await this.collection.createIndex({ callUuid: 1 });
  }

  /** Events in stream order; the fields each call gets from them are written in one round trip, one upsert per call. */
  async applyAll(events: CallEvent[]): Promise<void> {
    const fieldsByCall = new Map<string, Partial<CallDoc>>();
    for (const event of events) {
      // call.> also carries ContactSkipped (a do-not-call number, never dialled) and types of newer versions: no call to record.
      if (!PROJECTED.has(event.type)) continue;
      const { callId, campaignId, contactId, attempt } = event.data;
      fieldsByCall.set(callId, { ...fieldsByCall.get(callId), campaignId, contactId, attempt, ...definedFields(fieldsOf(event)) });
    }
    if (fieldsByCall.size === 0) return;
    const upserts = [...fieldsByCall].map(([_id, fields]) => ({ updateOne: { filter: { _id }, update: { $set: fields }, upsert: true } }));
    // Two instances upserting a new call at once: one insert loses with a duplicate key; the retry updates it.
    await this.collection.bulkWrite(upserts, { ordered: false }).catch((e) => (isDuplicateKey(e) ? this.applyAll(events) : Promise.reject(e)));
  }

  async list(clientId: string, campaignId: string, page: number, limit: number) {
    const filter = { campaignId, clientId };
    const [items, total] = await Promise.all([
      this.collection.find(filter).sort({ requestedAt: 1, _id: 1 }).skip((page - 1) * limit).limit(limit).toArray(),
      this.collection.countDocuments(filter),
    ]);
    return { items: items.map(({ _id, outcome: _o, ...c }) => ({ callId: _id, status: statusOf({ _id, ...c, outcome: _o }), ...c })), total, page, limit };
  }
}

const PROJECTED = new Set<string>(['CallRequested', 'CallInitiated', 'CallRinging', 'CallAnswered', 'CallMachineDetected', 'CallEnded']);

/** The fields one event kind owns. */
function fieldsOf(event: CallEvent): Partial<CallDoc> {
  switch (event.type) {
    case 'CallRequested': {
      const { clientId, from, to, requestedAt } = event.data;
      return { clientId, from, to, requestedAt };
    }
    case 'CallInitiated': {
      const { requestUuid, initiatedAt, warmupAttempts, warmupDurationMs } = event.data;
      return { requestUuid, initiatedAt, warmupAttempts, warmupDurationMs };
    }
    case 'CallRinging':
      return { callUuid: event.data.callUuid, ringingAt: event.data.ringingAt };
    case 'CallAnswered':
      return { callUuid: event.data.callUuid, answeredAt: event.data.answeredAt };
    case 'CallMachineDetected':
      return { machineDetected: true };
    case 'CallEnded': {
      const { callId: _c, campaignId: _ca, contactId: _co, attempt: _a, callUuid: _u, ...ended } = event.data;
      return { ...ended, ...(event.data.callUuid ? { callUuid: event.data.callUuid } : {}) };
    }
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

export function statusOf(call: CallDoc): CallStatus {
  if (call.outcome) return call.outcome;
  if (call.answeredAt) return 'in-progress';
  if (call.ringingAt) return 'ringing';
  if (call.initiatedAt) return 'initiated';
  return 'queued';
}

function definedFields<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
