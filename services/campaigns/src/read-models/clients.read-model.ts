import { Collection, Db } from 'mongodb';
import { ClientEvent } from '@contracts/clients/events';

export interface ClientDoc {
  _id: string;
  name: string;
  maxConcurrentCalls: number;
  apiKeyHash: string;
  createdAt: string;
  _rev: number;
}

/** Clients and their API key hashes, projected from `client.<id>.events`. */
export class ClientsReadModel {
  readonly collection: Collection<ClientDoc>;

  constructor(db: Db) {
    this.collection = db.collection<ClientDoc>('clients');
  }

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ apiKeyHash: 1 }, { unique: true });
  }

  async apply(event: ClientEvent, seq: number): Promise<void> {
    switch (event.type) {
      case 'ClientRegistered': {
        const { clientId, ...data } = event.data;
        await this.collection
          .insertOne({ _id: clientId, ...data, _rev: seq })
          .catch((e) => ((e as { code?: number }).code === 11000 ? undefined : Promise.reject(e)));
        return;
      }
      case 'ClientLimitsChanged':
        await this.collection.updateOne(
          { _id: event.data.clientId, _rev: { $lt: seq } },
          { $set: { maxConcurrentCalls: event.data.maxConcurrentCalls, _rev: seq } },
        );
        return;
      default: {
        const unknown: never = event;
        return unknown;
      }
    }
  }

  byKeyHash(apiKeyHash: string) {
    return this.collection.findOne({ apiKeyHash });
  }

  get(clientId: string) {
    return this.collection.findOne({ _id: clientId });
  }
}
