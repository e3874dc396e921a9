import { Db, MongoClient } from 'mongodb';

export interface MongoHandle {
  client: MongoClient;
  db: Db;
}

export async function openMongo(url: string, dbName: string): Promise<MongoHandle> {
  const client = new MongoClient(url, { maxPoolSize: 20, serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  return { client, db: client.db(dbName) };
}

/** True for a duplicate-key error (E11000), which an idempotent upsert treats as "already applied". */
export function isDuplicateKey(e: unknown): boolean {
  return (e as { code?: number })?.code === 11000;
}
