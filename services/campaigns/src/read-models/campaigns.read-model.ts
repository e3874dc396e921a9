import { Collection, Db } from 'mongodb';
import { CampaignCreated, CampaignEvent } from '@contracts/campaigns/events';
import { CampaignStatus } from '@contracts/campaigns/settings';

export type CampaignDoc = Omit<CampaignCreated['data'], 'campaignId'> & {
  _id: string;
  status: CampaignStatus;
  startedAt?: string;
  pausedAt?: string;
  pausedBy?: string;
  resumedAt?: string;
  cancelledAt?: string;
  completedAt?: string;
  /** Retry requests applied so far; a completion seen before the latest one is stale. */
  retryRound?: number;
  /** Stream sequence of the last event applied: replays and redeliveries of older events change nothing. */
  _rev: number;
};

/** Campaign documents for queries, projected from `campaign.<id>.events`. */
export class CampaignsReadModel {
  readonly collection: Collection<CampaignDoc>;

  constructor(db: Db) {
    this.collection = db.collection<CampaignDoc>('campaigns');
  }

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ clientId: 1, status: 1 });
    await this.collection.createIndex({ clientId: 1, createdAt: -1 });
  }

  async apply(event: CampaignEvent, seq: number): Promise<void> {
    const id = event.metadata.aggregateId;
    const guard = { _id: id, _rev: { $lt: seq } };
    switch (event.type) {
      case 'CampaignCreated': {
        const { campaignId, ...data } = event.data;
        const status: CampaignStatus = data.scheduledTime ? 'scheduled' : 'draft';
        await this.collection
          .insertOne({ _id: campaignId, ...data, status, _rev: seq })
          .catch((e) => ((e as { code?: number }).code === 11000 ? undefined : Promise.reject(e)));
        return;
      }
      case 'CampaignScheduled':
        await this.collection.updateOne(guard, {
          $set: { status: 'scheduled', scheduledTime: event.data.scheduledTime, scheduledBy: event.data.scheduledBy, _rev: seq },
        });
        return;
      case 'CampaignStarted':
        await this.collection.updateOne(guard, { $set: { status: 'running', startedAt: event.data.startedAt, _rev: seq } });
        return;
      case 'CampaignPaused':
        await this.collection.updateOne(guard, { $set: { status: 'paused', pausedAt: event.data.pausedAt, pausedBy: event.data.pausedBy, _rev: seq } });
        return;
      case 'CampaignResumed':
        await this.collection.updateOne(guard, { $set: { status: 'running', resumedAt: event.data.resumedAt, _rev: seq } });
        return;
      case 'CampaignCancelled':
        await this.collection.updateOne(guard, { $set: { status: 'cancelled', cancelledAt: event.data.cancelledAt, _rev: seq } });
        return;
      case 'CampaignUpdated': {
        const { campaignId: _id, updatedBy: _by, ...changes } = event.data;
        await this.collection.updateOne(guard, { $set: { ...changes, _rev: seq } });
        return;
      }
      case 'CampaignDeleted':
        await this.collection.updateOne(guard, { $set: { status: 'deleted', _rev: seq } });
        return;
      case 'CampaignCompleted':
        await this.collection.updateOne(guard, { $set: { status: 'completed', completedAt: event.data.completedAt, _rev: seq } });
        return;
      case 'CampaignRetryRequested':
        await this.collection.updateOne({ ...guard, status: 'completed' }, { $set: { status: 'running' }, $unset: { completedAt: '' } });
        await this.collection.updateOne(guard, { $inc: { retryRound: 1 }, $set: { _rev: seq } });
        return;
      default: {
        const unknown: never = event;
        return unknown;
      }
    }
  }

  /** A campaign of another client is not found. */
  async get(clientId: string, campaignId: string): Promise<CampaignDoc | null> {
    return this.collection.findOne({ _id: campaignId, clientId, status: { $ne: 'deleted' } });
  }

  async list(clientId: string, query: { status?: string; page: number; limit: number }) {
    const filter = { clientId, ...(query.status ? { status: query.status as CampaignStatus } : { status: { $ne: 'deleted' as const } }) };
    const [items, total] = await Promise.all([
      this.collection
        .find(filter)
        .sort({ createdAt: -1, _id: 1 })
        .skip((query.page - 1) * query.limit)
        .limit(query.limit)
        .toArray(),
      this.collection.countDocuments(filter),
    ]);
    return { items, total, page: query.page, limit: query.limit };
  }
}
