import { MongoClient } from 'mongodb';

/**
 * Drops a run's databases (`<MONGO_DB>_<service>`, one per service) from a long-lived server
 * (`BENCH_MONGO_URL`): an in-memory server kept across runs would otherwise grow with each, and slow
 * every later run down.
 */
export async function dropDatabases(url: string, mongoDb: string): Promise<void> {
  const client = await MongoClient.connect(url);
  try {
    const { databases } = await client.db().admin().listDatabases({ nameOnly: true });
    for (const { name } of databases) if (name.startsWith(`${mongoDb}_`)) await client.db(name).dropDatabase();
  } finally {
    await client.close();
  }
}
