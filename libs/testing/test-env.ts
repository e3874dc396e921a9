import { randomBytes } from 'node:crypto';

/** NATS URL of the servers started by test/global-setup.ts. */
export function testNatsUrl(): string {
  return requireEnv('TEST_NATS_URL');
}

/** MongoDB URL of the servers started by test/global-setup.ts. */
export function testMongoUrl(): string {
  return requireEnv('TEST_MONGO_URL');
}

/**
 * A name no other test uses (streams, buckets, databases), since every test file shares
 * the same servers. Only [a-z0-9_] so it is valid for NATS and MongoDB names alike.
 */
export function uniqueName(prefix = 't'): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests with jest (test/global-setup.ts starts the servers)`);
  return value;
}
