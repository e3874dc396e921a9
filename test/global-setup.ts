import { randomBytes } from 'node:crypto';
import { startTestServers, type TestServers } from '../libs/testing/servers';

declare global {
  // Read by global-teardown.ts: jest runs both in the same process.
  // eslint-disable-next-line no-var
  var __TEST_SERVERS__: TestServers | undefined;
}

/**
 * Starts NATS JetStream and a MongoDB-wire server once per jest run. Workers inherit the
 * environment set here. With TEST_NATS_URL and TEST_MONGO_URL already set, nothing starts.
 */
export default async function globalSetup(): Promise<void> {
  process.env.TEST_RUN_ID ??= `${process.pid}-${randomBytes(4).toString('hex')}`;
  if (process.env.TEST_NATS_URL && process.env.TEST_MONGO_URL) return;
  const servers = await startTestServers();
  globalThis.__TEST_SERVERS__ = servers;
  process.env.TEST_NATS_URL = servers.natsUrl;
  process.env.TEST_MONGO_URL = servers.mongoUrl;
}
