import { Collection, Db } from 'mongodb';
import { CampaignEvent } from '@contracts/campaigns/events';

export interface ScheduledCampaignDoc {
  _id: string;
  clientId: string;
  /** UTC ISO-8601 start time while the campaign is scheduled; absent otherwise. */
  scheduledTime?: string;
  _rev: number;
}

/** Events after which a campaign no longer waits for a scheduled start. */
const SCHEDULE_ENDS: ReadonlySet<CampaignEvent['type']> = new Set(['CampaignStarted', 'CampaignCancelled', 'CampaignDeleted', 'CampaignCompleted']);

/** The scheduler's own view of which campaign starts when, projected from campaign events. */
export class ScheduledCampaigns {
  readonly collection: Collection<ScheduledCampaignDoc>;

  constructor(db: Db) {
    this.collection = db.collection<ScheduledCampaignDoc>('scheduled_campaigns');
  }

  async ensureIndexes() {
    await this.collection.createIndex({ scheduledTime: 1 });
  }

  async apply(event: CampaignEvent, seq: number): Promise<void> {
    const id = event.metadata.aggregateId;
    const existing = await this.collection.findOne({ _id: id });
    if (existing && existing._rev >= seq) return;
    // Any other event (an update of its name or settings) leaves the time as it was: a start fired for a
    // campaign no longer scheduled is refused by the campaign itself, a start never fired is lost.
    const scheduledTime =
      event.type === 'CampaignCreated' || event.type === 'CampaignScheduled'
        ? event.data.scheduledTime
        : SCHEDULE_ENDS.has(event.type)
          ? undefined
          : existing?.scheduledTime;
    const doc: ScheduledCampaignDoc = { _id: id, clientId: event.metadata.clientId, _rev: seq, ...(scheduledTime ? { scheduledTime } : {}) };
    await this.collection.replaceOne({ _id: id }, doc, { upsert: true });
  }

  /** Campaigns due to start before `until`. */
  dueBefore(until: Date): Promise<ScheduledCampaignDoc[]> {
    return this.collection.find({ scheduledTime: { $lte: until.toISOString() } }).toArray();
  }
}
