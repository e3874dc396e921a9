import { MongoClient } from 'mongodb';
import { connect } from 'nats';
import { Subjects } from '@contracts/subjects';

/**
 * The read models of each service: its collections and the durable consumers that project them.
 * Dropping both and starting the service again replays the streams from the start.
 */
export const READ_MODELS = {
  campaigns: {
    collections: ['campaigns', 'contacts', 'clients', 'lists', 'list_contacts'],
    consumers: [
      ['campaigns', 'campaigns-processor'],
      ['calls', 'campaigns-call-outcomes'],
      ['clients', 'clients-processor'],
      ['lists', 'lists-processor'],
    ],
  },
  'call-tracking': { collections: ['calls'], consumers: [['calls', 'call-tracking-calls']] },
  scheduler: {
    collections: ['scheduled_campaigns', 'scheduler_open_calls', 'scheduler_due_retries'],
    consumers: [
      ['campaigns', 'scheduler-campaigns'],
      ['calls', 'scheduler-call-timeouts'],
      ['campaigns', 'scheduler-retries'],
    ],
  },
} as const satisfies Record<string, { collections: readonly string[]; consumers: readonly (readonly [string, string])[] }>;

export type RebuildableService = keyof typeof READ_MODELS;

export interface RebuildTarget {
  natsUrl: string;
  natsNamespace?: string;
  mongoUrl: string;
  mongoDb: string;
}

/**
 * Drops a service's read models and durable consumers. Refuses while an instance of the service
 * answers its health check: a running instance would keep projecting into what is being dropped.
 */
export async function dropReadModels(service: RebuildableService, target: RebuildTarget): Promise<string[]> {
  const subjects = new Subjects(target.natsNamespace ?? '');
  const nc = await connect({ servers: target.natsUrl });
  const mongo = await MongoClient.connect(target.mongoUrl);
  const done: string[] = [];
  try {
    const alive = await nc.request(subjects.health(service), new Uint8Array(), { timeout: 1_000 }).then(
      () => true,
      () => false,
    );
    if (alive) throw new Error(`an instance of ${service} is running: stop every instance first`);
    const jsm = await nc.jetstreamManager();
    const streams = subjects.streams as Record<string, string>;
    for (const [stream, durable] of READ_MODELS[service].consumers) {
      const deleted = await jsm.consumers.delete(streams[stream] ?? stream, durable).catch(() => false);
      if (deleted) done.push(`consumer ${streams[stream]}/${durable}`);
    }
    const db = mongo.db(`${target.mongoDb}_${service}`);
    const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
    for (const name of READ_MODELS[service].collections) {
      if (!existing.has(name)) continue;
      await db.collection(name).drop();
      done.push(`collection ${db.databaseName}.${name}`);
    }
    return done;
  } finally {
    await nc.close();
    await mongo.close();
  }
}
