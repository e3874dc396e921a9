import { Collection, Db } from 'mongodb';
import { CallEvent } from '@contracts/calls/events';

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
  status: CallStatus;
  /** Stages only move forward: a late `ringing` never overrides a final status. */
  statusRank: number;
  requestedAt?: string;
  ringingAt?: string;
  answeredAt?: string;
  endedAt?: string;
  duration?: number;
  billDuration?: number;
  hangupCause?: string;
  hangupCauseCode?: string;
  machineDetected?: boolean;
  failureReason?: string;
}

const RANK = { requested: 0, initiated: 1, ringing: 2, answered: 3, ended: 4 } as const;

/** One document per call attempt, projected from the CALLS stream; idempotent and order-tolerant. */
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

  async apply(event: CallEvent): Promise<void> {
    const base = { campaignId: event.data.campaignId, contactId: event.data.contactId, attempt: event.data.attempt };
    switch (event.type) {
      case 'CallRequested': {
        const d = event.data;
        return this.write(d.callId, base, { clientId: d.clientId, from: d.from, to: d.to, requestedAt: d.requestedAt }, 'queued', RANK.requested);
      }
      case 'CallInitiated': {
        const d = event.data;
        return this.write(d.callId, base, { requestUuid: d.requestUuid }, 'initiated', RANK.initiated);
      }
      case 'CallRinging': {
        const d = event.data;
        return this.write(d.callId, base, { callUuid: d.callUuid, ringingAt: d.ringingAt }, 'ringing', RANK.ringing);
      }
      case 'CallAnswered': {
        const d = event.data;
        return this.write(d.callId, base, { callUuid: d.callUuid, answeredAt: d.answeredAt }, 'in-progress', RANK.answered);
      }
      case 'CallMachineDetected': {
        const d = event.data;
        return this.write(d.callId, base, { machineDetected: true }, undefined, 0);
      }
      case 'CallEnded': {
        const d = event.data;
        const { callId: _c, campaignId: _ca, contactId: _co, attempt: _a, outcome, ...fields } = d;
        return this.write(d.callId, base, fields, outcome, RANK.ended);
      }
      default: {
        const unknown: never = event;
        return unknown;
      }
    }
  }

  private async write(callId: string, base: object, fields: object, status: CallStatus | undefined, rank: number) {
    const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    await this.collection.updateOne(
      { _id: callId },
      { $set: { ...base, ...defined }, $setOnInsert: { status: 'queued', statusRank: -1 } },
      { upsert: true },
    ).catch((e) => ((e as { code?: number }).code === 11000 ? this.collection.updateOne({ _id: callId }, { $set: { ...base, ...defined } }) : Promise.reject(e)));
    if (status) await this.collection.updateOne({ _id: callId, statusRank: { $lt: rank } }, { $set: { status, statusRank: rank } });
  }

  async list(clientId: string, campaignId: string, page: number, limit: number) {
    const filter = { campaignId, clientId };
    const [items, total] = await Promise.all([
      this.collection.find(filter).sort({ requestedAt: 1, _id: 1 }).skip((page - 1) * limit).limit(limit).toArray(),
      this.collection.countDocuments(filter),
    ]);
    return { items: items.map(({ _id, statusRank: _r, ...c }) => ({ callId: _id, ...c })), total, page, limit };
  }
}
