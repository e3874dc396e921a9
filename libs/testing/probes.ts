import { MongoClient } from 'mongodb';
import { connect } from 'nats';

/** Resolves once a NATS server at `url` accepts a connection with JetStream enabled. */
export async function natsReady(url: string): Promise<true> {
  const nc = await connect({ servers: url, timeout: 2_000, reconnect: false });
  try {
    // jetstreamManager() asks the server for the account's JetStream info and throws
    // when JetStream is disabled, so this also proves `-js` took effect.
    await nc.jetstreamManager();
    return true;
  } finally {
    await nc.close();
  }
}

/** Resolves once a MongoDB-wire server at `url` answers `ping`. */
export async function mongoReady(url: string): Promise<true> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 2_000, connectTimeoutMS: 2_000 });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
    return true;
  } finally {
    await client.close();
  }
}

/** Resolves to true when GET `url` answers 200. */
export async function httpOk(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  await response.arrayBuffer();
  return response.status === 200;
}

/** Resolves to true when `url` answers HTTP at all, whatever the status. */
export async function httpUp(url: string): Promise<true> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  await response.arrayBuffer();
  return true;
}
